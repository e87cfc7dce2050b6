import { Chat, Clock, SnapshotSender } from '../../service/ports';
import { snapshotEvent } from './buildEvent';
import { sendEvent } from './sendEvent';

export function createSnapshotSender(deps: { chat: Pick<Chat, 'notify'>; clock: Clock }): SnapshotSender {
    return {
        async snapshot(subscriber, roomId, view) {
            const event = snapshotEvent(view, subscriber, new Date(deps.clock.now()).toISOString());
            await sendEvent(deps.chat, subscriber.id, roomId, event);
        },
    };
}

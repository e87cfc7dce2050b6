import { Clock, SnapshotSender } from '../../service/ports';
import { snapshotEvent } from './buildEvent';
import { eventTextFor } from './eventText';
import { EventSender } from './metadataEvent';

export function createSnapshotSender(deps: { sender: EventSender; clock: Clock }): SnapshotSender {
    return {
        async snapshot(subscriber, roomId, view) {
            const event = snapshotEvent(view, subscriber, new Date(deps.clock.now()).toISOString());
            await deps.sender.send(subscriber.id, roomId, eventTextFor(event), event);
        },
    };
}

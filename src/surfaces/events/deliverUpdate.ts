import { AccessFacts } from '../../access/facts';
import { changeSeenBy } from '../../access/visibility';
import { gatherFacts } from '../../service/authorise';
import { Subscription } from '../../core/types';
import { Chat, Directory, Log, StorePort, UserEntry } from '../../service/ports';
import { ResolvedSubject } from '../../service/resolveSubject';
import { errorText } from '../../service/runEffects';
import { ChangeNotice, SubjectInfo } from '../../service/types';
import { AppSettingsValues } from '../../settings';
import { updateEventFor } from './buildEvent';
import { sendEvent } from './sendEvent';

export interface DeliveryDeps {
    store: Pick<StorePort, 'subscribersOf'>;
    directory: Directory;
    chat: Pick<Chat, 'notify'>;
    settings: AppSettingsValues;
    log: Log;
}

/**
 * Sends one change to every subscriber of its subject, each seeing only what they may read now
 * (access/visibility.ts decides, at delivery: a subscriber who left a private room gets nothing more, one
 * without private access nothing of a change to private items only).
 */
export async function deliverUpdate(deps: DeliveryDeps, notice: ChangeNotice): Promise<void> {
    await toEachSubscriber(deps, notice.subject, notice.subscribers, async (subscriber, facts, roomId) => {
        const seen = changeSeenBy(facts, notice);
        if (!seen) return; // nothing of it is theirs to see
        await sendEvent(deps.chat, subscriber.id, roomId, updateEventFor(notice, seen));
    });
}

/**
 * Calls `send` for every subscriber of a subject who still exists, with what the access rules know of them
 * now and the room their events go to. One subscriber's failure does not stop the others: it is logged.
 */
export async function toEachSubscriber(
    deps: DeliveryDeps,
    info: SubjectInfo,
    subscribers: Promise<Subscription[]> | undefined,
    send: (subscriber: UserEntry, facts: AccessFacts, roomId: string) => Promise<void>,
): Promise<void> {
    const subscriptions = await (subscribers ?? deps.store.subscribersOf({ namespace: info.namespace, id: info.id }));
    if (subscriptions.length === 0) return;
    const subject = await resolvedSubjectOf(deps.directory, info);
    await Promise.all(subscriptions.map(async (subscription) => {
        try {
            const subscriber = await deps.directory.findUser(subscription.subscriberId);
            if (!subscriber) return;
            await send(subscriber, await gatherFacts(deps.directory, subscriber, subject, deps.settings, false), subscription.roomId);
        } catch (error) {
            deps.log.error('metadata: an event could not be delivered', subscription.subscriberId, errorText(error));
        }
    }));
}

async function resolvedSubjectOf(directory: Directory, info: SubjectInfo): Promise<ResolvedSubject> {
    if (info.namespace === 'user') return { info };
    // a message is held to its room's rules
    const roomId = info.namespace === 'message' ? info.roomId ?? '' : info.id;
    const room = roomId === '' ? undefined : await directory.findRoom(roomId);
    return { info, room: room ?? { id: roomId, name: info.name, type: '' } };
}

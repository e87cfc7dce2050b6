import { changeSeenBy } from '../../access/visibility';
import { gatherFacts } from '../../service/authorise';
import { Subscription } from '../../core/types';
import { Chat, Directory, Log, StorePort } from '../../service/ports';
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
 * One subscriber's failure does not stop the others.
 */
export async function deliverUpdate(deps: DeliveryDeps, notice: ChangeNotice): Promise<void> {
    const subscriptions = await (notice.subscribers ?? deps.store.subscribersOf({ namespace: notice.subject.namespace, id: notice.subject.id }));
    if (subscriptions.length === 0) return;
    const subject = await resolvedSubjectOf(deps.directory, notice.subject);
    await Promise.all(subscriptions.map((subscription) => deliverTo(deps, notice, subject, subscription)
        .catch((error) => deps.log.error('metadata: an event could not be delivered', subscription.subscriberId, errorText(error)))));
}

async function deliverTo(deps: DeliveryDeps, notice: ChangeNotice, subject: ResolvedSubject, subscription: Subscription): Promise<void> {
    const subscriber = await deps.directory.findUser(subscription.subscriberId);
    if (!subscriber) return;
    const facts = await gatherFacts(deps.directory, subscriber, subject, deps.settings, false);
    const seen = changeSeenBy(facts, notice);
    if (!seen) return; // nothing of it is theirs to see
    const event = updateEventFor(notice, seen);
    await sendEvent(deps.chat, subscriber.id, subscription.roomId, event);
}

export async function resolvedSubjectOf(directory: Directory, info: SubjectInfo): Promise<ResolvedSubject> {
    if (info.namespace === 'user') return { info };
    const room = await directory.findRoom(info.id);
    return { info, room: room ?? { id: info.id, name: info.name, type: '' } };
}

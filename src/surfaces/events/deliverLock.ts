import { canRead } from '../../access/rules';
import { Translate, translator } from '../../i18n/catalog';
import { gatherFacts } from '../../service/authorise';
import { LockNotice } from '../../service/ports';
import { errorText } from '../../service/runEffects';
import { DeliveryDeps, resolvedSubjectOf } from './deliverUpdate';
import { LockEvent } from './metadataEvent';

/**
 * Sends a decided lock change to every subscriber of its subject who may read the subject now: locks
 * carry no private data, so reading the subject is all it takes (access/rules.ts). One subscriber's
 * failure does not stop the others.
 */
export async function deliverLock(deps: DeliveryDeps, notice: LockNotice): Promise<void> {
    const subscriptions = await deps.store.subscribersOf({ namespace: notice.subject.namespace, id: notice.subject.id });
    if (subscriptions.length === 0) return;
    const subject = await resolvedSubjectOf(deps.directory, notice.subject);
    const names = new Map<string, string>();
    const nameOf = async (id: string) => names.get(id) ?? (await deps.directory.findUser(id))?.username ?? id;
    const { hold, by, kind } = notice.change;
    const holder = { id: hold.holder, username: await nameOf(hold.holder) };
    const event: LockEvent = {
        type: 'LOCK',
        subject: notice.subject,
        change: kind,
        lock: { name: hold.name, holder, acquiredAt: hold.acquiredAt, expiresAt: hold.expiresAt },
        ...(by === '' ? {} : { actor: { id: by, username: await nameOf(by) } }),
        at: notice.at,
    };
    await Promise.all(subscriptions.map(async (subscription) => {
        try {
            const subscriber = await deps.directory.findUser(subscription.subscriberId);
            if (!subscriber) return;
            const facts = await gatherFacts(deps.directory, subscriber, subject, deps.settings, false);
            if (!canRead(facts)) return;
            await deps.chat.notify(subscriber.id, subscription.roomId, (language) => lockEventText(event, translator(language)), { metadataEvent: event });
        } catch (error) {
            deps.log.error('metadata: a lock event could not be delivered', subscription.subscriberId, errorText(error));
        }
    }));
}

/** The short line that carries a LOCK event, in the subscriber's language; names without `@`, so nobody is mentioned. */
export function lockEventText(event: LockEvent, tr: Translate): string {
    const subject = tr(event.subject.namespace === 'room' ? 'Event_Room' : 'Event_User', { name: event.subject.name });
    const params = { subject, name: event.lock.name, holder: event.lock.holder.username, actor: event.actor?.username ?? '', until: event.lock.expiresAt };
    return tr(`Event_Lock_${event.change}`, params);
}

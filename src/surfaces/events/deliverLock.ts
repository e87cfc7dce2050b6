import { canRead } from '../../access/rules';
import { Translate, translator } from '../../i18n/catalog';
import { LockNotice } from '../../service/ports';
import { DeliveryDeps, toEachSubscriber } from './deliverUpdate';
import { LockEvent } from './metadataEvent';
import { subjectText } from './eventText';

/**
 * Sends a decided lock change to every subscriber of its subject who may read the subject now: locks
 * carry no private data, so reading the subject is all it takes (access/rules.ts).
 */
export async function deliverLock(deps: DeliveryDeps, notice: LockNotice): Promise<void> {
    const { hold, by, kind } = notice.change;
    const nameOf = async (id: string) => (await deps.directory.findUser(id))?.username ?? id;
    const [holder, actor] = await Promise.all([nameOf(hold.holder), by === '' || by === hold.holder ? undefined : nameOf(by)]);
    const event: LockEvent = {
        type: 'LOCK',
        subject: notice.subject,
        change: kind,
        lock: { name: hold.name, holder: { id: hold.holder, username: holder }, acquiredAt: hold.acquiredAt, expiresAt: hold.expiresAt },
        ...(by === '' ? {} : { actor: { id: by, username: actor ?? holder } }),
        at: notice.at,
    };
    await toEachSubscriber(deps, notice.subject, undefined, async (subscriber, facts, roomId) => {
        if (!canRead(facts)) return;
        await deps.chat.notify(subscriber.id, roomId, (language) => lockEventText(event, translator(language)), { metadataEvent: event });
    });
}

/** The short line that carries a LOCK event, in the subscriber's language; names without `@`, so nobody is mentioned. */
export function lockEventText(event: LockEvent, tr: Translate): string {
    const subject = subjectText(event.subject, tr);
    const params = { subject, name: event.lock.name, holder: event.lock.holder.username, actor: event.actor?.username ?? '', until: event.lock.expiresAt };
    return tr(`Event_Lock_${event.change}`, params);
}

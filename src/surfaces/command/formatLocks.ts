import { Translate } from '../../i18n/catalog';
import { LockChangeView, LocksView, LockView } from '../../service/locks';
import { ReplyNames, subjectLabel } from './subjectLabel';

/** `12:00:10 UTC`: a lock lives seconds to minutes, so the time of day is what a reader needs. */
function until(lock: LockView): string {
    return `${lock.expiresAt.slice(11, 19)} UTC`;
}

/** The reply to `/meta lock` and `/meta unlock`: what happened, to which lock, on which subject. */
export function formatLockChange(changed: LockChangeView, tr: Translate, names: ReplyNames): string {
    const params = { subject: subjectLabel(changed.subject, names), name: changed.lock.name, holder: changed.lock.holder.username, until: until(changed.lock) };
    switch (changed.change) {
        case 'acquired':
            return tr('Meta_Lock_Acquired', params);
        case 'renewed':
            return tr('Meta_Lock_Renewed', params);
        case 'revoked':
            return tr('Meta_Lock_Revoked', params);
        default:
            return tr('Meta_Lock_Released', params);
    }
}

/** The reply to `/meta locks`: each held lock, its holder and until when. */
export function formatLocks(view: LocksView, tr: Translate, names: ReplyNames): string {
    const subject = subjectLabel(view.subject, names);
    if (view.locks.length === 0) return tr('Meta_Locks_None', { subject });
    const lines = view.locks.map((lock) => tr('Meta_Locks_Line', { name: lock.name, holder: lock.holder.username, until: until(lock) }));
    return [tr('Meta_Locks_Heading', { subject }), ...lines].join('\n');
}

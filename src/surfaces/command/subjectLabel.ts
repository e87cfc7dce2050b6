import { SubjectInfo, SubjectTarget } from '../../service/types';

/** `@alice`, `#general`; rooms without a name (direct messages) by their subject id. */
export function subjectLabel(subject: SubjectInfo): string {
    if (subject.name) return `${subject.namespace === 'user' ? '@' : '#'}${subject.name}`;
    return `${subject.namespace}:${subject.id}`;
}

/** A target as the user typed it, for replies about subjects the service did not describe. */
export function targetLabel(target: SubjectTarget, currentRoomId: string): string {
    if (target.namespace === 'user') return target.ref === 'me' ? 'me' : `@${target.ref}`;
    return target.ref === currentRoomId ? 'here' : `#${target.ref}`;
}

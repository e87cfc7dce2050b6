import { AccessFacts } from './facts';

/** SPEC §6: who may see, read private items of, write, and change collaborative state on a subject. */

export function isAdmin(facts: Pick<AccessFacts, 'callerRoles' | 'adminRoles'>): boolean {
    return facts.callerRoles.some((role) => facts.adminRoles.includes(role));
}

/** May the caller see the subject at all (and so its public items)? */
export function canRead(facts: AccessFacts): boolean {
    if (isAdmin(facts)) return true;
    const subject = facts.subject;
    if (subject.namespace === 'user') return true;
    // Only public channels are open to non-members; an unknown room type is treated as closed.
    return subject.roomType === 'c' || subject.callerIsMember;
}

/** May the caller read private items: the subject's owner (the user themself, the room's members) or an admin. */
export function canReadPrivate(facts: AccessFacts): boolean {
    if (isAdmin(facts)) return true;
    const subject = facts.subject;
    if (subject.namespace === 'user') return subject.userId === facts.callerId;
    return subject.callerIsMember;
}

/** May the caller write items (set, update, remove, merge)? */
export function canWrite(facts: AccessFacts): boolean {
    if (isAdmin(facts)) return true;
    const subject = facts.subject;
    if (subject.namespace === 'user') return subject.userId === facts.callerId;
    if (subject.callerIsOwner || subject.callerIsModerator) return true;
    if (!subject.callerIsMember) return false;
    // A direct room has no owners: its members are its owners.
    return subject.membersMayWrite || subject.roomType === 'd';
}

/** May the caller change their own entry of a collaborative state key? Any user on users, members on rooms. */
export function canChangeState(facts: AccessFacts): boolean {
    const subject = facts.subject;
    if (subject.namespace === 'user') return true;
    return subject.callerIsMember || isAdmin(facts);
}

import { Translate } from '../../i18n/catalog';
import { SubjectInfo, SubjectTarget } from '../../service/types';

/** What a reply knows of a room besides its id: its name, or for a direct room the usernames of its members. */
export interface RoomFacts {
    name?: string;
    /** set for direct rooms only */
    directMembers?: readonly string[];
}

/**
 * Names a reply uses beyond what the service answered: a label for each room it mentions
 * (`#team`, `direct room with @bob`) and usernames by user id. Best effort: a reply falls back to ids.
 */
export interface ReplyNames {
    rooms: ReadonlyMap<string, string>;
    users: ReadonlyMap<string, string>;
}

export const NO_NAMES: ReplyNames = { rooms: new Map(), users: new Map() };

/** `@alice`, `#general`, `direct room with @bob`; a room the reply knows nothing of by its subject id. */
export function subjectLabel(subject: SubjectInfo, names: ReplyNames = NO_NAMES): string {
    if (subject.namespace === 'room') {
        const label = names.rooms.get(subject.id);
        if (label) return label;
    }
    if (subject.namespace === 'message') return `message:${subject.id}`;
    if (subject.name && subject.name !== subject.id) return `${subject.namespace === 'user' ? '@' : '#'}${subject.name}`;
    return `${subject.namespace}:${subject.id}`;
}

/**
 * How rooms are named in replies: `#name`; a direct room (which has no name) by the other member as
 * the caller sees it, or by its members when the caller is not one of them.
 */
export function roomLabels(rooms: ReadonlyMap<string, RoomFacts>, callerUsername: string, tr: Translate): Map<string, string> {
    const labels = new Map<string, string>();
    for (const [id, facts] of rooms) {
        if (facts.directMembers && facts.directMembers.length > 0) {
            const others = facts.directMembers.filter((username) => username !== callerUsername);
            const mine = others.length < facts.directMembers.length && others.length > 0;
            const users = (mine ? others : facts.directMembers).map((username) => `@${username}`).join(', ');
            labels.set(id, tr(mine ? 'Meta_Direct_Room_With' : 'Meta_Direct_Room_Of', { users }));
        } else if (facts.name && facts.name !== id) {
            labels.set(id, `#${facts.name}`);
        }
    }
    return labels;
}

/** A target as the user typed it, for replies about subjects the service did not describe. */
export function targetLabel(target: SubjectTarget, currentRoomId: string): string {
    if (target.namespace === 'user') return target.ref === 'me' ? 'me' : `@${target.ref}`;
    return target.ref === currentRoomId ? 'here' : `#${target.ref}`;
}

import { MetadataError } from '../core/errors';
import { SubjectRef } from '../core/types';
import { Caller, SubjectInfo, SubjectTarget } from './types';
import { Directory, RoomEntry } from './ports';

export interface ResolvedSubject {
    info: SubjectInfo;
    /** for room subjects, and the room a message is in (SPEC §19: its rules are the room's) */
    room?: RoomEntry;
}

/** `me`, a user id or username (`@` optional), a room id or name (`#` optional), a message id; unknown → 404. */
export async function resolveSubject(directory: Directory, caller: Caller, target: SubjectTarget): Promise<ResolvedSubject> {
    const ref = typeof target.ref === 'string' ? target.ref.trim() : '';
    if (target.namespace === 'user') {
        if (ref === 'me') return { info: { namespace: 'user', id: caller.id, name: caller.username } };
        const user = ref === '' ? undefined : await directory.findUser(ref.replace(/^@/, ''));
        if (!user) throw notFound('user', ref, 'No user has the id or username');
        return { info: { namespace: 'user', id: user.id, name: user.username } };
    }
    if (target.namespace === 'room') {
        const room = ref === '' ? undefined : await directory.findRoom(ref.replace(/^#/, ''));
        if (!room) throw notFound('room', ref, 'No room has the id or name');
        return { info: { namespace: 'room', id: room.id, name: room.name }, room };
    }
    if (target.namespace === 'message') {
        const message = ref === '' ? undefined : await directory.findMessage(ref);
        const room = message ? await directory.findRoom(message.roomId) : undefined;
        if (!message || !room) throw notFound('message', ref, 'No message has the id');
        return { info: { namespace: 'message', id: message.id, name: room.name, roomId: room.id }, room };
    }
    throw new MetadataError('invalid_request', `The namespace must be "user", "room" or "message", not ${JSON.stringify(String(target.namespace))}.`);
}

function notFound(namespace: string, ref: string, text: string): MetadataError {
    const shown = ref === '' ? 'that is empty' : JSON.stringify(ref);
    return new MetadataError('subject_not_found', `${text} ${shown}.`, { namespace, ref });
}

export function refOf(subject: ResolvedSubject): SubjectRef {
    return { namespace: subject.info.namespace, id: subject.info.id };
}

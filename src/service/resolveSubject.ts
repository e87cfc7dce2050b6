import { MetadataError } from '../core/errors';
import { SubjectRef } from '../core/types';
import { Caller, SubjectInfo, SubjectTarget } from './types';
import { Directory, RoomEntry } from './ports';

export interface ResolvedSubject {
    info: SubjectInfo;
    /** for room subjects */
    room?: RoomEntry;
}

/** `me`, a user id or username (`@` optional), a room id or name (`#` optional); unknown → 404. */
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
    throw new MetadataError('invalid_request', `The namespace must be "user" or "room", not ${JSON.stringify(String(target.namespace))}.`);
}

function notFound(namespace: string, ref: string, text: string): MetadataError {
    const shown = ref === '' ? 'that is empty' : JSON.stringify(ref);
    return new MetadataError('subject_not_found', `${text} ${shown}.`, { namespace, ref });
}

export function refOf(subject: ResolvedSubject): SubjectRef {
    return { namespace: subject.info.namespace, id: subject.info.id };
}

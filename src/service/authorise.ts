import { AccessFacts } from '../access/facts';
import { canChangeState, canRead, canWrite } from '../access/rules';
import { MetadataError } from '../core/errors';
import { AppSettingsValues } from '../settings';
import { Directory } from './ports';
import { ResolvedSubject } from './resolveSubject';
import { Caller } from './types';

/** Gathers what the access rules need; room roles cost lookups, so only writes ask for them. */
export async function gatherFacts(
    directory: Directory,
    caller: Caller,
    subject: ResolvedSubject,
    settings: AppSettingsValues,
    withRoomRoles: boolean,
): Promise<AccessFacts> {
    const base = { callerId: caller.id, callerRoles: caller.roles ?? [], adminRoles: settings.adminRoles };
    if (subject.info.namespace === 'user') {
        return { ...base, subject: { namespace: 'user', userId: subject.info.id } };
    }
    // a message's subject is held to its room's rules
    const roomId = subject.room?.id ?? subject.info.id;
    const standing = withRoomRoles
        ? await directory.standing(roomId, caller.id)
        : { member: await directory.isMember(roomId, caller.id), owner: false, moderator: false };
    return {
        ...base,
        subject: {
            namespace: 'room',
            roomType: subject.room?.type ?? '',
            callerIsMember: standing.member,
            callerIsOwner: standing.owner,
            callerIsModerator: standing.moderator,
            membersMayWrite: settings.membersMayWriteRooms,
        },
    };
}

export function assertMayRead(facts: AccessFacts, subject: ResolvedSubject): void {
    if (!canRead(facts)) {
        throw forbidden(`Only members of the private room ${subject.info.name} may read its metadata.`);
    }
}

export function assertMayWrite(facts: AccessFacts, subject: ResolvedSubject): void {
    if (canWrite(facts)) return;
    if (facts.subject.namespace === 'user') {
        throw forbidden(`Only ${subject.info.name} and admins may change the metadata of ${subject.info.name}.`);
    }
    const who = facts.subject.membersMayWrite ? 'Members' : 'Owners, moderators';
    throw forbidden(`${who} and admins may change the metadata of room ${subject.info.name}; you may not.`);
}

export function assertMayChangeState(facts: AccessFacts, subject: ResolvedSubject): void {
    if (!canChangeState(facts)) {
        throw forbidden(`Only members of room ${subject.info.name} may change its collaborative state.`);
    }
}

function forbidden(message: string): MetadataError {
    return new MetadataError('forbidden', message);
}

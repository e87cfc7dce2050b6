import { describe, expect, it } from 'vitest';

import { AccessFacts, RoomSubjectFacts } from '../../src/access/facts';
import { canChangeState, canRead, canReadPrivate, canWrite, isAdmin } from '../../src/access/rules';

const ADMIN_ROLES = ['admin'];

function onUser(callerId: string, userId: string, roles: string[] = ['user']): AccessFacts {
    return { callerId, callerRoles: roles, adminRoles: ADMIN_ROLES, subject: { namespace: 'user', userId } };
}

function onRoom(room: Partial<RoomSubjectFacts>, roles: string[] = ['user']): AccessFacts {
    return {
        callerId: 'caller',
        callerRoles: roles,
        adminRoles: ADMIN_ROLES,
        subject: {
            namespace: 'room',
            roomType: 'c',
            callerIsMember: false,
            callerIsOwner: false,
            callerIsModerator: false,
            membersMayWrite: false,
            ...room,
        },
    };
}

describe('admins', () => {
    it('a user with the admin role is an admin', () => {
        expect(isAdmin({ callerRoles: ['user', 'admin'], adminRoles: ['admin'] })).toBe(true);
    });

    it('the roles the admin configured count as admin roles', () => {
        expect(isAdmin({ callerRoles: ['metadata-editor'], adminRoles: ['admin', 'metadata-editor'] })).toBe(true);
    });

    it('a user without an admin role is not an admin', () => {
        expect(isAdmin({ callerRoles: ['user', 'bot'], adminRoles: ['admin'] })).toBe(false);
    });

    it('with no admin roles configured nobody is an admin', () => {
        expect(isAdmin({ callerRoles: ['admin'], adminRoles: [] })).toBe(false);
    });
});

describe('reading user metadata', () => {
    it('any user may read the public items of any user', () => {
        expect(canRead(onUser('bob', 'alice'))).toBe(true);
    });

    it('a user may read their own private items', () => {
        expect(canReadPrivate(onUser('alice', 'alice'))).toBe(true);
    });

    it('another user may not read private items', () => {
        expect(canReadPrivate(onUser('bob', 'alice'))).toBe(false);
    });

    it('an admin may read the private items of any user', () => {
        expect(canReadPrivate(onUser('root', 'alice', ['admin']))).toBe(true);
    });
});

describe('reading room metadata', () => {
    it('anyone may see a public channel', () => {
        expect(canRead(onRoom({ roomType: 'c' }))).toBe(true);
    });

    it('a non-member of a public channel may not read its private items', () => {
        expect(canReadPrivate(onRoom({ roomType: 'c' }))).toBe(false);
    });

    it('a member of a public channel may read its private items', () => {
        expect(canReadPrivate(onRoom({ roomType: 'c', callerIsMember: true }))).toBe(true);
    });

    it('a non-member may not see a private group at all', () => {
        expect(canRead(onRoom({ roomType: 'p' }))).toBe(false);
    });

    it('a member of a private group may see it and read its private items', () => {
        const facts = onRoom({ roomType: 'p', callerIsMember: true });
        expect([canRead(facts), canReadPrivate(facts)]).toEqual([true, true]);
    });

    it('a non-member may not see a direct room', () => {
        expect(canRead(onRoom({ roomType: 'd' }))).toBe(false);
    });

    it('a non-member may not see a room of an unknown type', () => {
        expect(canRead(onRoom({ roomType: 'x' }))).toBe(false);
    });

    it('an admin may see any room and read its private items without being a member', () => {
        const facts = onRoom({ roomType: 'p' }, ['admin']);
        expect([canRead(facts), canReadPrivate(facts)]).toEqual([true, true]);
    });
});

describe('writing user metadata', () => {
    it('a user may write their own metadata', () => {
        expect(canWrite(onUser('alice', 'alice'))).toBe(true);
    });

    it('a user may not write another user\'s metadata', () => {
        expect(canWrite(onUser('bob', 'alice'))).toBe(false);
    });

    it('an admin may write any user\'s metadata', () => {
        expect(canWrite(onUser('root', 'alice', ['admin']))).toBe(true);
    });
});

describe('writing room metadata', () => {
    it('a room owner may write', () => {
        expect(canWrite(onRoom({ callerIsMember: true, callerIsOwner: true }))).toBe(true);
    });

    it('a room moderator may write', () => {
        expect(canWrite(onRoom({ callerIsMember: true, callerIsModerator: true }))).toBe(true);
    });

    it('a plain member may not write by default', () => {
        expect(canWrite(onRoom({ callerIsMember: true }))).toBe(false);
    });

    it('a plain member may write when the admin lets members write', () => {
        expect(canWrite(onRoom({ callerIsMember: true, membersMayWrite: true }))).toBe(true);
    });

    it('a non-member may not write even when members may write', () => {
        expect(canWrite(onRoom({ membersMayWrite: true }))).toBe(false);
    });

    it('a member of a direct room may write, as a direct room has no owners', () => {
        expect(canWrite(onRoom({ roomType: 'd', callerIsMember: true }))).toBe(true);
    });

    it('an admin may write any room without being a member', () => {
        expect(canWrite(onRoom({ roomType: 'p' }, ['admin']))).toBe(true);
    });
});

describe('changing collaborative state', () => {
    it('any user may change their entry on any user', () => {
        expect(canChangeState(onUser('bob', 'alice'))).toBe(true);
    });

    it('any member of a room may change their entry, even when members may not write items', () => {
        expect(canChangeState(onRoom({ callerIsMember: true }))).toBe(true);
    });

    it('a non-member may not change state on a public channel', () => {
        expect(canChangeState(onRoom({ roomType: 'c' }))).toBe(false);
    });

    it('an admin may change their entry on any room', () => {
        expect(canChangeState(onRoom({ roomType: 'p' }, ['admin']))).toBe(true);
    });
});

import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { describe, expect, it } from 'vitest';

import { createDirectory } from '../../src/engine/directory';
import { world } from './harness';

describe('the engine directory', () => {
    it('a server that throws for an unknown id still finds the user by username', async () => {
        const engine = world();
        const read = engine.read;
        const users = read.getUserReader();
        const throwing = {
            ...read,
            getUserReader: () => ({ ...users, getById: async () => { throw new Error('not found'); } }),
        } as unknown as IRead;
        expect(await createDirectory(throwing).findUser('alice')).toEqual({ id: 'u-alice', username: 'alice', roles: ['user'] });
    });

    it('a server that throws for both lookups means "not found"', async () => {
        const read = {
            getUserReader: () => ({ getById: async () => { throw new Error('x'); }, getByUsername: async () => { throw new Error('y'); } }),
            getRoomReader: () => ({}),
        } as unknown as IRead;
        expect(await createDirectory(read).findUser('ghost')).toBeUndefined();
    });

    it('an empty object from the server is no user', async () => {
        const read = {
            getUserReader: () => ({ getById: async () => ({}), getByUsername: async () => undefined }),
            getRoomReader: () => ({}),
        } as unknown as IRead;
        expect(await createDirectory(read).findUser('ghost')).toBeUndefined();
    });

    it('a room reads with its name and type', async () => {
        expect(await createDirectory(world().read).findRoom('secret')).toEqual({ id: 'r-secret', name: 'secret', type: 'p' });
    });

    it('a user\'s standing in a room: member, owner, moderator', async () => {
        const directory = createDirectory(world().read);
        expect(await directory.standing('r-secret', 'u-alice')).toEqual({ member: true, owner: true, moderator: false });
        expect(await directory.standing('r-secret', 'u-carol')).toEqual({ member: true, owner: false, moderator: true });
        expect(await directory.standing('r-secret', 'u-bob')).toEqual({ member: false, owner: false, moderator: false });
    });

    it('on servers older than Apps-Engine 1.58 (no getUserRoomIds) membership comes from the room\'s members', async () => {
        const read = world().read;
        const users = read.getUserReader();
        const { getUserRoomIds: _absent, ...olderUsers } = users as unknown as Record<string, unknown>;
        const older = { ...read, getUserReader: () => olderUsers } as unknown as IRead;
        const directory = createDirectory(older);
        expect(await directory.isMember('r-secret', 'u-alice')).toBe(true);
        expect(await directory.isMember('r-secret', 'u-bob')).toBe(false);
    });
});

// The local workspace every fresh data dir starts with. Ids and tokens are fixed (and differ from usernames, so
// that an app mixing the two up gets caught), passwords are printed on start.
import type { HostContext } from './engine/context';
import { createDirect, createRoom } from './lib/rooms';
import type { RoomDoc, UserDoc } from './store/docs';
import { defaultSettings } from './store/Settings';

export interface SeedUser {
    id: string;
    username: string;
    name: string;
    password: string;
    /** a personal access token that is always valid (login gives fresh ones too) */
    token: string;
    roles: string[];
}

export const SEED_USERS: Record<'admin' | 'alice' | 'bob' | 'carol', SeedUser> = {
    admin: { id: 'uid-admin', username: 'admin', name: 'Administrator', password: 'admin-pass', token: 'token-admin', roles: ['admin', 'user'] },
    alice: { id: 'uid-alice', username: 'alice', name: 'Alice', password: 'alice-pass', token: 'token-alice', roles: ['user'] },
    bob: { id: 'uid-bob', username: 'bob', name: 'Bob', password: 'bob-pass', token: 'token-bob', roles: ['user'] },
    carol: { id: 'uid-carol', username: 'carol', name: 'Carol', password: 'carol-pass', token: 'token-carol', roles: ['user'] },
};

export interface SeedRoom {
    id: string;
    name: string;
    t: RoomDoc['t'];
    description: string;
}

/**
 * #general: public, no creator (like the server's GENERAL room: the engine's room updater checks for one), everyone.
 * #team: public, owner alice, moderator bob, members carol; admin is NOT a member.
 * #secret: private, owner alice, member carol; bob and admin are not members.
 * DMs: alice–bob, alice–carol.
 */
export const SEED_ROOMS: Record<'general' | 'team' | 'secret' | 'dmAliceBob' | 'dmAliceCarol', SeedRoom> = {
    general: { id: 'GENERAL', name: 'general', t: 'c', description: 'public, created by the server (no creator), everybody' },
    team: { id: 'rid-team', name: 'team', t: 'c', description: 'public; owner alice, moderator bob, member carol' },
    secret: { id: 'rid-secret', name: 'secret', t: 'p', description: 'private; owner alice, member carol' },
    dmAliceBob: { id: 'uid-aliceuid-bob', name: '@alice+bob', t: 'd', description: 'direct room alice–bob' },
    dmAliceCarol: { id: 'uid-aliceuid-carol', name: '@alice+carol', t: 'd', description: 'direct room alice–carol' },
};

export function seed(ctx: HostContext, opts: { siteUrl: string; messageCustomFields?: boolean }): void {
    ctx.store.tx(() => {
        ctx.settings.seed(defaultSettings(opts.siteUrl));
        if (ctx.store.getMeta('seeded')) {
            return;
        }
        if (opts.messageCustomFields !== undefined) {
            ctx.settings.setValue('Message_CustomFields_Enabled', opts.messageCustomFields);
        }
        const now = new Date();
        for (const u of Object.values(SEED_USERS)) {
            const user: UserDoc = {
                _id: u.id,
                username: u.username,
                name: u.name,
                type: 'user',
                active: true,
                roles: u.roles,
                status: 'online',
                statusConnection: 'online',
                utcOffset: 0,
                emails: [{ address: `${u.username}@example.invalid`, verified: true }],
                createdAt: now,
                _updatedAt: now,
            };
            ctx.users.insert(user);
            ctx.users.setPassword(u.id, u.password);
            ctx.users.createToken(u.id, u.token, 'seed');
        }
        const byName = (name: keyof typeof SEED_USERS) => ctx.users.findById(SEED_USERS[name].id) as UserDoc;
        createRoom(ctx, {
            _id: SEED_ROOMS.general.id,
            t: 'c',
            name: 'general',
            members: Object.values(SEED_USERS).map((u) => u.username),
            extra: { default: true },
        });
        createRoom(ctx, {
            _id: SEED_ROOMS.team.id,
            t: 'c',
            name: 'team',
            creator: byName('alice'),
            members: ['bob', 'carol'],
            roles: { bob: ['moderator'] },
        });
        createRoom(ctx, {
            _id: SEED_ROOMS.secret.id,
            t: 'p',
            name: 'secret',
            creator: byName('alice'),
            members: ['carol'],
        });
        createDirect(ctx, SEED_USERS.alice.id, ['bob']);
        createDirect(ctx, SEED_USERS.alice.id, ['carol']);
        ctx.store.setMeta('seeded', now.toISOString());
    });
}

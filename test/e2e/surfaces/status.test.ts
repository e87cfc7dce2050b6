// SPEC §9 (room status messages) and §10 (their customFields) on a host with message custom fields refused, as a
// Rocket.Chat server ships: a change to a room's metadata posts "who changed what" in that room from the app's bot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHost, type Host, type HostInstance } from '../../support/host';
import { BOT, botMessages, GENERAL, liveMentions, SECRET, TEAM, waitForBotMessages } from './helpers';

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost();
    a = host.first;
});

afterAll(async () => {
    await host?.stop();
});

/** Writes, then waits for exactly the bot's next status message in the room and returns it. */
async function statusAfter(room: string, write: () => Promise<{ status: number }>): Promise<Record<string, unknown>> {
    const count = (await botMessages(a, room)).length;
    const res = await write();
    expect(res.status).toBe(200);
    const fresh = await waitForBotMessages(a, room, count);
    expect(fresh).toHaveLength(1);
    return fresh[0];
}

/** Proves no status message follows `write`: a later public change's message is the only new one. */
async function expectNoStatus(room: string, write: () => Promise<unknown>): Promise<void> {
    const count = (await botMessages(a, room)).length;
    await write();
    const marker = `marker${Date.now()}`;
    expect((await a.api('alice', 'PUT', `metadata/room/${room}`, { items: [{ key: 'marker', value: marker, visibility: 'public' }] })).status).toBe(200);
    const fresh = await waitForBotMessages(a, room, count);
    expect(fresh.map((m) => String(m.msg))).toEqual([expect.stringContaining(marker)]);
}

describe('room status messages', () => {
    it('a change to #team\'s metadata posts a message in #team from the bot naming who changed which key to what', async () => {
        const message = await statusAfter(TEAM, () => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'topic', value: 'Q3 planning', visibility: 'public' }] }));
        expect(message.rid).toBe(TEAM);
        expect((message.u as { username: string }).username).toBe(BOT);
        expect(message.msg).toBe('alice changed metadata: `topic` = `Q3 planning`');
    });

    it('names the moderator who wrote, and the command writes post it too', async () => {
        const message = await statusAfter(TEAM, () => a.command('bob', 'team', 'set here phase=review --public'));
        expect(message.msg).toBe('bob changed metadata: `phase` = `review`');
    });

    // A public channel's messages are read by non-members: the message tells what a reader without private access
    // sees of the change (SPEC §6), so nothing of private items, not even how many changed.
    it('shows nothing of private items: no key, no value, no count', async () => {
        const message = await statusAfter(TEAM, () => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'budget', value: 'ten thousand', visibility: 'private' }, { key: 'topic', value: 'Q4', visibility: 'public' }] }));
        expect(message.msg).toBe('alice changed metadata: `topic` = `Q4`');
    });

    it('a change to private items only posts nothing', async () => {
        await expectNoStatus(TEAM, () => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'budget', value: 'eleven thousand', visibility: 'private' }] }));
    });

    it('a public key turned private reads as removed', async () => {
        const message = await statusAfter(TEAM, () => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'topic', value: 'Q4', visibility: 'private' }] }));
        expect(message.msg).toBe('alice removed metadata: `topic`');
    });

    it('says what was removed', async () => {
        const message = await statusAfter(TEAM, () => a.api('alice', 'DELETE', `metadata/room/${TEAM}?keys=phase`));
        expect(message.msg).toBe('alice removed metadata: `phase`');
    });

    it('a state operation (a vote) posts no status message out of the box', async () => {
        await expectNoStatus(TEAM, () => a.api('carol', 'POST', `metadata/room/${TEAM}/state`, { key: 'votes', type: 'set', op: 'add', value: 'salad' }));
        await expectNoStatus(TEAM, () => a.command('bob', 'team', 'state here votes add salad'));
    });

    it('when the admin turns on status messages for state changes, says which state key someone changed', async () => {
        await a.setAppSetting('state_status_messages', true);
        try {
            const message = await statusAfter(TEAM, () => a.api('carol', 'POST', `metadata/room/${TEAM}/state`, { key: 'votes', type: 'set', op: 'add', value: 'pizza' }));
            expect(message.msg).toBe('carol updated state: `votes`');
        } finally {
            await a.setAppSetting('state_status_messages', false);
        }
    });

    it('a burst of changes by one user within the coalescing window is one message; another user\'s is their own', async () => {
        await a.setAppSetting('coalesce_window_ms', 1500);
        try {
            const count = (await botMessages(a, TEAM)).length;
            for (const value of ['one', 'two', 'three']) {
                expect((await a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: `burst_${value}`, value, visibility: 'public' }] })).status).toBe(200);
            }
            expect((await a.api('bob', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'burst_bob', value: 'b', visibility: 'public' }] })).status).toBe(200);
            // Both windows have closed once both messages are there: no third one is pending.
            await expect.poll(async () => (await botMessages(a, TEAM)).length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(count + 2);
            const fresh = (await botMessages(a, TEAM)).slice(count);
            expect(fresh.map((m) => String(m.msg)).sort()).toEqual([
                'alice changed metadata: `burst_one` = `one`, `burst_three` = `three`, `burst_two` = `two`',
                'bob changed metadata: `burst_bob` = `b`',
            ]);
        } finally {
            await a.setAppSetting('coalesce_window_ms', 0);
        }
    });

    it('neutralises @all, @here and @user in values: the message mentions nobody', async () => {
        const message = await statusAfter(TEAM, () => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'shout', value: '@all @here @bob look', visibility: 'public' }] }));
        expect(message.mentions).toEqual([]);
        expect(liveMentions(String(message.msg))).toEqual([]);
        // still readable: the names are there, only made inert
        expect(String(message.msg).replace(/\u2060/g, '')).toContain('@all @here @bob look');
    });

    it('is posted without customFields while the server refuses message custom fields', async () => {
        const message = await statusAfter(TEAM, () => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'topic', value: 'no fields', visibility: 'public' }] }));
        expect(message.msg).toBe('alice changed metadata: `topic` = `no fields`');
        expect(message.customFields).toBeUndefined();
    });

    it('is posted in a private room too', async () => {
        const message = await statusAfter(SECRET, () => a.api('alice', 'PUT', `metadata/room/${SECRET}`, { items: [{ key: 'plan', value: 'party', visibility: 'public' }] }));
        expect(message.rid).toBe(SECRET);
        expect(message.msg).toBe('alice changed metadata: `plan` = `party`');
    });

    it('is posted in #general, the room without a creator', async () => {
        const message = await statusAfter(GENERAL, () => a.api('admin', 'PUT', `metadata/room/${GENERAL}`, { items: [{ key: 'motd', value: 'welcome', visibility: 'public' }] }));
        expect(message.msg).toBe('admin changed metadata: `motd` = `welcome`');
    });

    it('a write that changes nothing posts nothing', async () => {
        await a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'same', value: 1, visibility: 'public' }] });
        await expectNoStatus(TEAM, () => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'same', value: 1 }] }));
    });

    it('a refused write posts nothing', async () => {
        await expectNoStatus(TEAM, () => a.api('carol', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'by_member', value: 1 }] }));
    });

    it('a change to a user\'s metadata posts nothing in any room', async () => {
        const before = await Promise.all([TEAM, SECRET, GENERAL].map(async (room) => (await botMessages(a, room)).length));
        expect((await a.api('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'theme', value: 'dark', visibility: 'public' }] })).status).toBe(200);
        // the user write's effects have run by the time a later room write's status message is there
        await statusAfter(SECRET, () => a.api('alice', 'PUT', `metadata/room/${SECRET}`, { items: [{ key: 'witness', value: 1, visibility: 'public' }] }));
        const after = await Promise.all([TEAM, SECRET, GENERAL].map(async (room) => (await botMessages(a, room)).length));
        expect(after).toEqual([before[0], before[1] + 1, before[2]]);
    });

    it('the admin can turn them off', async () => {
        await a.setAppSetting('room_status_messages', false);
        try {
            const count = (await botMessages(a, TEAM)).length;
            expect((await a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'quiet', value: 1, visibility: 'public' }] })).status).toBe(200);
            // the mirror is another effect of the same write: once it shows, the status message would have been posted
            await expect.poll(async () => ((await a.roomInfo('team')).customFields as { metadata?: { quiet?: number } } | undefined)?.metadata?.quiet, { timeout: 10_000 }).toBe(1);
            expect(await botMessages(a, TEAM)).toHaveLength(count);
        } finally {
            await a.setAppSetting('room_status_messages', true);
        }
        const message = await statusAfter(TEAM, () => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'quiet', value: 2 }] }));
        expect(message.msg).toBe('alice changed metadata: `quiet` = `2`');
    });
});

// SPEC §9 — subscriptions and events: SNAPSHOT on subscribe, UPDATE on every change, as ephemeral messages from the
// app's bot in the delivery room with the event in customFields.metadataEvent, holding only what the subscriber may
// read, carrying the write's cause. Delivery is asynchronous: the tests poll the host's notification log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHost, type Host, type HostInstance } from '../../support/host';
import {
    BOT, eventOf, eventsIn, expectNoEventBefore, GENERAL, ID, keysOf, liveMentions, mark, replyText, SECRET, TEAM, waitForEvent,
    type ErrorBody, type MetadataEvent, type MetadataView,
} from './helpers';

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost();
    a = host.first;
});

afterAll(async () => {
    await host?.stop();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const put = (who: 'alice' | 'bob' | 'carol' | 'admin', path: string, body: unknown) => a.api(who, 'PUT', path, body);

describe('subscribing with /meta subscribe', () => {
    let since: number;

    beforeAll(async () => {
        await put('alice', 'metadata/user/me', { items: [{ key: 'theme', value: 'dark', visibility: 'public' }, { key: 'diary', value: 'secret thoughts', visibility: 'private' }] });
        since = await mark(a, 'bob');
    });

    it('bob subscribing to alice in #team gets a SNAPSHOT there, from the bot, with what he may read', async () => {
        const res = await a.command('bob', 'team', 'subscribe @alice');
        expect(replyText(res.replies)).toContain('✓ Subscribed to @alice: every change arrives in this room');
        const snapshot = await waitForEvent(a, 'bob', since, (e) => e.type === 'SNAPSHOT' && e.subject.id === ID.alice);
        expect(snapshot).toMatchObject({ userId: ID.bob, roomId: TEAM, kind: 'ephemeral' });
        expect((snapshot.message.u as { username: string }).username).toBe(BOT);
        const event = eventOf(snapshot)!;
        expect(event).toMatchObject({ type: 'SNAPSHOT', subject: { namespace: 'user', id: ID.alice, name: 'alice' }, document: { theme: 'dark' }, changed: [], removed: [] });
        expect(keysOf(event)).toEqual(['theme']);
        expect(event.majorRevision).toBe(1);
        expect(JSON.stringify(event)).not.toContain('secret thoughts');
        expect(String(snapshot.message.msg)).toBe('Subscribed to the metadata of user alice (revision 1, 1 item). Changes will be shown here.');
    });

    it('alice\'s write reaches bob as an UPDATE with changed, majorRevision, actor, at and the write\'s cause', async () => {
        const before = await mark(a, 'bob');
        const res = await put('alice', 'metadata/user/me', { items: [{ key: 'theme', value: 'light' }, { key: 'lang', value: 'en', visibility: 'public' }], cause: { ticket: 42, via: 'crm' } });
        expect(res.status).toBe(200);
        const n = await waitForEvent(a, 'bob', before, (e) => e.type === 'UPDATE');
        expect(n).toMatchObject({ userId: ID.bob, roomId: TEAM, kind: 'ephemeral' });
        const event = eventOf(n)!;
        expect(event).toMatchObject({
            type: 'UPDATE',
            subject: { namespace: 'user', id: ID.alice, name: 'alice' },
            majorRevision: 2,
            changed: ['theme', 'lang'].sort(),
            removed: [],
            actor: { id: ID.alice, username: 'alice' },
            cause: { ticket: 42, via: 'crm' },
            document: { theme: 'light', lang: 'en' },
        });
        expect(event.changed.slice().sort()).toEqual(['lang', 'theme']);
        expect(event.at).toMatch(ISO);
        expect(String(n.message.msg)).toMatch(/^Metadata of user alice changed by alice \(revision 2\): set (theme, lang|lang, theme)\.$/);
    });

    it('the event is not a room message and reaches nobody else', async () => {
        const carol = await mark(a, 'carol');
        const before = await mark(a, 'bob');
        const messagesBefore = (await a.messages('team')).length;
        await put('alice', 'metadata/user/me', { items: [{ key: 'theme', value: 'blue' }] });
        await waitForEvent(a, 'bob', before, (e) => e.type === 'UPDATE' && e.document.theme === 'blue');
        expect(await a.notifications('carol', { since: carol })).toEqual([]);
        expect(await a.messages('team')).toHaveLength(messagesBefore);
    });

    it('a removal arrives as removed keys', async () => {
        const before = await mark(a, 'bob');
        await a.api('alice', 'DELETE', 'metadata/user/me?keys=lang', undefined);
        const event = eventOf(await waitForEvent(a, 'bob', before, (e) => e.removed.length > 0))!;
        expect(event.removed).toEqual(['lang']);
        expect(event.changed).toEqual([]);
        expect(keysOf(event)).toEqual(['theme']);
    });

    it('a cause given on /meta with --cause is forwarded in the event', async () => {
        const before = await mark(a, 'bob');
        await a.command('alice', 'general', 'set theme=green --cause "from the command"');
        const event = eventOf(await waitForEvent(a, 'bob', before, (e) => e.document.theme === 'green'))!;
        expect(event.cause).toBe('from the command');
    });

    it('a change to a private item does not reach bob; the next public one does', async () => {
        const before = await mark(a, 'bob');
        await put('alice', 'metadata/user/me', { items: [{ key: 'diary', value: 'more secrets' }] });
        const events = await expectNoEventBefore(
            a, 'bob', before,
            () => put('alice', 'metadata/user/me', { items: [{ key: 'theme', value: 'sentinel-1' }] }),
            (e) => e.document.theme === 'sentinel-1',
            (e) => e.changed.includes('diary'),
        );
        expect(JSON.stringify(events)).not.toContain('secrets');
        expect(events.filter((e) => e.type === 'UPDATE')).toHaveLength(1);
    });

    it('a public item turned private reaches bob as removed, without its value', async () => {
        await put('alice', 'metadata/user/me', { items: [{ key: 'badge', value: 'gold', visibility: 'public' }] });
        const before = await mark(a, 'bob');
        await put('alice', 'metadata/user/me', { items: [{ key: 'badge', value: 'platinum', visibility: 'private' }] });
        const event = eventOf(await waitForEvent(a, 'bob', before, (e) => e.removed.includes('badge')))!;
        expect(event.changed).toEqual([]);
        expect(JSON.stringify(event)).not.toContain('platinum');
    });

    it('a write that changes nothing sends no event', async () => {
        const before = await mark(a, 'bob');
        await put('alice', 'metadata/user/me', { items: [{ key: 'theme', value: 'sentinel-1' }] });
        await expectNoEventBefore(
            a, 'bob', before,
            () => put('alice', 'metadata/user/me', { items: [{ key: 'theme', value: 'sentinel-2' }] }),
            (e) => e.document.theme === 'sentinel-2',
            (e) => e.document.theme === 'sentinel-1',
        );
    });

    it('a state change arrives with stateChanged and the state', async () => {
        const before = await mark(a, 'bob');
        await a.api('carol', 'POST', 'metadata/user/alice/state', { key: 'kudos', type: 'set', op: 'add', value: 'great talk', cause: 'conf' });
        const event = eventOf(await waitForEvent(a, 'bob', before, (e) => e.stateChanged.includes('kudos')))!;
        expect(event).toMatchObject({ actor: { id: ID.carol, username: 'carol' }, changed: [], removed: [], cause: 'conf' });
        expect(event.state.kudos.byUser).toEqual({ [ID.carol]: ['great talk'] });
    });

    it('`/meta subscriptions` lists the subscription with its room', async () => {
        const text = replyText((await a.command('bob', 'team', 'subscriptions')).replies);
        expect(text).toContain('Your subscriptions (1):');
        expect(text).toMatch(/• @alice → this room/);
    });

    it('`/meta unsubscribe @alice` stops the events', async () => {
        const res = await a.command('bob', 'team', 'unsubscribe @alice');
        expect(replyText(res.replies)).toBe('✓ Unsubscribed from @alice.');
        // carol subscribes to alice too, so a write that reaches her proves the write was delivered to subscribers
        const carolSince = await mark(a, 'carol');
        await a.command('carol', 'team', 'subscribe @alice');
        await waitForEvent(a, 'carol', carolSince, (e) => e.type === 'SNAPSHOT');
        const before = await mark(a, 'bob');
        await put('alice', 'metadata/user/me', { items: [{ key: 'theme', value: 'after-unsubscribe' }] });
        await waitForEvent(a, 'carol', carolSince, (e) => e.document.theme === 'after-unsubscribe');
        expect(eventsIn(await a.notifications('bob', { since: before }))).toEqual([]);
        expect(replyText((await a.command('bob', 'team', 'subscriptions')).replies)).toContain('You have no subscriptions');
    });
});

describe('subscribing over HTTP', () => {
    it('with roomId: the SNAPSHOT and the UPDATEs arrive in that room', async () => {
        const before = await mark(a, 'bob');
        const res = await a.api('bob', 'POST', 'subscriptions', { subject: `room:${TEAM}`, roomId: GENERAL });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ subject: { namespace: 'room', id: TEAM, name: 'team' }, roomId: GENERAL });
        const snapshot = await waitForEvent(a, 'bob', before, (e) => e.type === 'SNAPSHOT' && e.subject.id === TEAM);
        expect(snapshot.roomId).toBe(GENERAL);
        await put('alice', `metadata/room/${TEAM}`, { items: [{ key: 'topic', value: 'planning' }], cause: 'http' });
        const update = await waitForEvent(a, 'bob', before, (e) => e.type === 'UPDATE' && e.subject.id === TEAM);
        expect(update.roomId).toBe(GENERAL);
        // bob is a member of #team, so he gets its private items too
        expect(eventOf(update)).toMatchObject({ changed: ['topic'], document: { topic: 'planning' }, cause: 'http', actor: { username: 'alice' } });
    });

    it('without roomId: the events arrive in the subscriber\'s direct room with the bot', async () => {
        const before = await mark(a, 'carol');
        const res = await a.api<{ roomId: string }>('carol', 'POST', 'subscriptions', { subject: 'user:bob' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const dm = res.body.roomId;
        expect(dm).not.toBe('');
        const room = await a.roomInfo(dm);
        expect(room.t).toBe('d');
        expect((room.usernames as string[]).slice().sort()).toEqual(['carol', BOT]);
        const snapshot = await waitForEvent(a, 'carol', before, (e) => e.type === 'SNAPSHOT' && e.subject.id === ID.bob);
        expect(snapshot.roomId).toBe(dm);
        await put('bob', 'metadata/user/me', { items: [{ key: 'status', value: 'in a meeting', visibility: 'public' }] });
        const update = await waitForEvent(a, 'carol', before, (e) => e.type === 'UPDATE' && e.subject.id === ID.bob);
        expect(update.roomId).toBe(dm);
        expect(eventOf(update)?.document).toEqual({ status: 'in a meeting' });
    });

    it('subscribing again moves the subscription and sends a fresh SNAPSHOT', async () => {
        const before = await mark(a, 'carol');
        const res = await a.api('carol', 'POST', 'subscriptions', { subject: 'user:bob', roomId: TEAM });
        expect(res.status).toBe(200);
        await waitForEvent(a, 'carol', before, (e) => e.type === 'SNAPSHOT' && e.subject.id === ID.bob);
        const list = (await a.api<{ subscriptions: Array<{ subject: { id: string }; roomId: string }> }>('carol', 'GET', 'subscriptions')).body.subscriptions;
        expect(list.filter((s) => s.subject.id === ID.bob)).toEqual([expect.objectContaining({ roomId: TEAM })]);
        const mid = await mark(a, 'carol');
        await put('bob', 'metadata/user/me', { items: [{ key: 'status', value: 'back', visibility: 'public' }] });
        expect((await waitForEvent(a, 'carol', mid, (e) => e.type === 'UPDATE' && e.subject.id === ID.bob)).roomId).toBe(TEAM);
    });

    it('DELETE subscriptions stops the events', async () => {
        const del = await a.api('carol', 'DELETE', 'subscriptions', { subject: 'user:bob' });
        expect(del.status).toBe(200);
        const before = await mark(a, 'carol');
        // alice's subscription to bob is the witness that bob's write went out to subscribers
        const aliceSince = await mark(a, 'alice');
        await a.api('alice', 'POST', 'subscriptions', { subject: 'user:bob', roomId: TEAM });
        await put('bob', 'metadata/user/me', { items: [{ key: 'status', value: 'gone', visibility: 'public' }] });
        await waitForEvent(a, 'alice', aliceSince, (e) => e.type === 'UPDATE' && e.document.status === 'gone');
        expect(eventsIn(await a.notifications('carol', { since: before })).filter((e) => e.subject.id === ID.bob)).toEqual([]);
    });

    it('a user may not subscribe to a private room they are not in (403)', async () => {
        const res = await a.api<ErrorBody>('bob', 'POST', 'subscriptions', { subject: `room:${SECRET}` });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        expect(replyText((await a.command('bob', 'team', 'subscribe #secret')).replies)).toContain('Only members of the private room #secret may read its metadata.');
    });

    it('events may not be routed to a room the subscriber is not in (403)', async () => {
        const res = await a.api<ErrorBody>('bob', 'POST', 'subscriptions', { subject: 'user:alice', roomId: SECRET });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
    });

    it('an unknown subject is 404 subject_not_found', async () => {
        const res = await a.api<ErrorBody>('bob', 'POST', 'subscriptions', { subject: 'user:nobody' });
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('subject_not_found');
    });
});

describe('room subjects', () => {
    it('a member subscribed to a private room gets its private items in the events', async () => {
        const before = await mark(a, 'carol');
        await a.command('carol', 'secret', 'subscribe here');
        await waitForEvent(a, 'carol', before, (e) => e.type === 'SNAPSHOT' && e.subject.id === SECRET);
        await put('alice', `metadata/room/${SECRET}`, { items: [{ key: 'plan', value: 'surprise party', visibility: 'private' }] });
        const event = eventOf(await waitForEvent(a, 'carol', before, (e) => e.type === 'UPDATE' && e.subject.id === SECRET))!;
        expect(event.changed).toEqual(['plan']);
        expect(event.document.plan).toBe('surprise party');
    });

    it('an outsider subscribed to a public channel gets its public changes only', async () => {
        const delivery = GENERAL;
        const before = await mark(a, 'admin');
        // with the admin role not counting as admin, admin is an outsider of #team
        await a.setAppSetting('admin_roles', 'superuser');
        try {
            expect((await a.api('admin', 'POST', 'subscriptions', { subject: `room:${TEAM}`, roomId: delivery })).status).toBe(200);
            await put('alice', `metadata/room/${TEAM}`, { items: [{ key: 'budget', value: 1000, visibility: 'private' }] });
            await put('alice', `metadata/room/${TEAM}`, { items: [{ key: 'motto', value: 'ship it', visibility: 'public' }] });
            await waitForEvent(a, 'admin', before, (e) => e.changed.includes('motto'));
            const events = eventsIn(await a.notifications('admin', { since: before })).filter((e) => e.subject.id === TEAM);
            expect(events.flatMap((e) => [...e.changed, ...e.items.map((i) => i.key)])).not.toContain('budget');
            expect(JSON.stringify(events)).not.toContain('1000');
        } finally {
            await a.setAppSetting('admin_roles', 'admin');
        }
    });
});

describe('event text', () => {
    it('never mentions anyone, whatever the values hold', async () => {
        const before = await mark(a, 'bob');
        await a.api('bob', 'POST', 'subscriptions', { subject: 'user:carol', roomId: TEAM });
        await put('carol', 'metadata/user/me', { items: [{ key: 'shout', value: '@all @here @alice hello', visibility: 'public' }] });
        await waitForEvent(a, 'bob', before, (e) => e.type === 'UPDATE' && e.subject.id === ID.carol);
        const texts = (await a.notifications('bob', { since: before })).filter((n) => eventOf(n)).map((n) => String(n.message.msg));
        expect(texts.length).toBeGreaterThanOrEqual(2);
        for (const text of texts) expect(liveMentions(text)).toEqual([]);
        expect(texts.join('\n')).toContain('changed by carol');
    });

    it('names the keys it changed, removed and the state keys, shortening long lists', async () => {
        const before = await mark(a, 'bob');
        await put('carol', 'metadata/user/me', { items: Array.from({ length: 7 }, (_, i) => ({ key: `many${i}`, value: i, visibility: 'public' })) });
        const n = await waitForEvent(a, 'bob', before, (e: MetadataEvent) => e.changed.includes('many0'));
        expect(String(n.message.msg)).toMatch(/set many0, many1, many2, many3, many4 and 2 more\.$/);
    });
});

describe('coalescing window', () => {
    it('merges a burst of writes to one subject into one UPDATE with the keys unioned and the last cause', async () => {
        const since = await mark(a, 'bob');
        await a.api('bob', 'POST', 'subscriptions', { subject: 'user:admin', roomId: TEAM });
        await waitForEvent(a, 'bob', since, (e) => e.type === 'SNAPSHOT' && e.subject.id === ID.admin);
        await a.setAppSetting('coalesce_window_ms', 3000);
        try {
            const before = await mark(a, 'bob');
            await put('admin', 'metadata/user/me', { items: [{ key: 'c1', value: 1, visibility: 'public' }], cause: 'first' });
            await put('admin', 'metadata/user/me', { items: [{ key: 'c2', value: 2, visibility: 'public' }], cause: 'second' });
            await put('admin', 'metadata/user/me', { items: [{ key: 'c3', value: 3, visibility: 'public' }], cause: 'third' });
            const n = await waitForEvent(a, 'bob', before, (e) => e.type === 'UPDATE' && e.subject.id === ID.admin, 15_000);
            const event = eventOf(n)!;
            expect(event.changed.slice().sort()).toEqual(['c1', 'c2', 'c3']);
            expect(event.cause).toBe('third');
            expect(event.document).toMatchObject({ c1: 1, c2: 2, c3: 3 });
            const updates = eventsIn(await a.notifications('bob', { since: before })).filter((e) => e.type === 'UPDATE' && e.subject.id === ID.admin);
            expect(updates).toHaveLength(1);
        } finally {
            await a.setAppSetting('coalesce_window_ms', 0);
        }
    });
});

describe('membership changes (SPEC §6: nothing private leaks)', () => {
    it('a subscriber removed from a private room (groups.kick) gets no further events of it, and its GET is 403 for them', async () => {
        // bob joins #secret (groups.invite by its owner) and subscribes to it, with the events in #team
        const invite = await a.invite('alice', 'secret', ID.bob);
        expect(invite.status, JSON.stringify(invite.body)).toBe(200);
        expect((invite.body.group as { _id: string })._id).toBe(SECRET);
        const since = await mark(a, 'bob');
        expect((await a.api('bob', 'POST', 'subscriptions', { subject: `room:${SECRET}`, roomId: TEAM })).status).toBe(200);
        await waitForEvent(a, 'bob', since, (e) => e.type === 'SNAPSHOT' && e.subject.id === SECRET);
        expect((await a.api('bob', 'GET', `metadata/room/${SECRET}`)).status).toBe(200);
        // alice, subscribed too, is the witness that a write went out to the subscribers
        const aliceSince = await mark(a, 'alice');
        await a.api('alice', 'POST', 'subscriptions', { subject: `room:${SECRET}`, roomId: SECRET });
        await waitForEvent(a, 'alice', aliceSince, (e) => e.type === 'SNAPSHOT' && e.subject.id === SECRET);

        // a plain member may not remove anyone; the owner may
        const denied = await a.kick('carol', 'secret', ID.bob);
        expect(denied.status).toBe(400);
        expect(denied.body.errorType).toBe('error-not-allowed');
        const kick = await a.kick('alice', 'secret', ID.bob);
        expect(kick.status, JSON.stringify(kick.body)).toBe(200);
        expect(kick.body).toEqual({ success: true });

        const before = await mark(a, 'bob');
        await put('alice', `metadata/room/${SECRET}`, { items: [
            { key: 'afterKick', value: 'the new hideout', visibility: 'private' },
            { key: 'afterKickPublic', value: 'open day', visibility: 'public' },
        ] });
        await waitForEvent(a, 'alice', aliceSince, (e) => e.changed.includes('afterKick'));
        expect(eventsIn(await a.notifications('bob', { since: before }))).toEqual([]);
        const get = await a.api<ErrorBody>('bob', 'GET', `metadata/room/${SECRET}`);
        expect(get.status).toBe(403);
        expect(get.body.error.code).toBe('forbidden');
        expect(JSON.stringify(get.body)).not.toContain('hideout');
        expect(replyText((await a.command('bob', 'team', 'get #secret')).replies)).toContain('Only members of the private room #secret may read its metadata.');
    });

    it('invited back (groups.invite), they may read the room again', async () => {
        expect((await a.invite('alice', 'secret', ID.bob)).status).toBe(200);
        const get = await a.api<MetadataView>('bob', 'GET', `metadata/room/${SECRET}`);
        expect(get.status).toBe(200);
        expect(get.body.document).toMatchObject({ afterKick: 'the new hideout', afterKickPublic: 'open day' });
        expect((await a.kick('alice', 'secret', ID.bob)).status).toBe(200);
    });

    it('a member removed from a public channel (channels.kick) reads its public items only, until invited back (channels.invite)', async () => {
        await put('alice', `metadata/room/${TEAM}`, { items: [{ key: 'payroll', value: 'members only', visibility: 'private' }, { key: 'door', value: 'open', visibility: 'public' }] });
        const kick = await a.kick('bob', 'team', ID.carol);
        expect(kick.status, JSON.stringify(kick.body)).toBe(200);
        expect((kick.body.channel as { _id: string })._id).toBe(TEAM);
        try {
            const outside = await a.api<MetadataView>('carol', 'GET', `metadata/room/${TEAM}?keys=payroll,door`);
            expect(outside.status).toBe(200);
            expect(keysOf(outside.body)).toEqual(['door']);
            expect(JSON.stringify(outside.body)).not.toContain('members only');
        } finally {
            const invite = await a.invite('bob', 'team', ID.carol);
            expect(invite.status, JSON.stringify(invite.body)).toBe(200);
            expect((invite.body.channel as { _id: string })._id).toBe(TEAM);
        }
        const inside = await a.api<MetadataView>('carol', 'GET', `metadata/room/${TEAM}?keys=payroll,door`);
        expect(keysOf(inside.body)).toEqual(['door', 'payroll']);
    });
});

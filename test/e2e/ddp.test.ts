// Realtime over DDP (issue 14 item 3): a bot written for Rocket.Chat, with Rocket.Chat's own client
// (@rocket.chat/ddp-client), connects to the local host's /websocket, logs in, subscribes to its user stream and
// sees the app's `/meta` replies and change events as they happen — on one instance, and with the write made on
// another instance of the cluster. A few protocol details are checked with a plain websocket.
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import path from 'node:path';
import { DDPSDK } from '@rocket.chat/ddp-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { SEED_ROOMS, SEED_USERS, startHost, type Host, type HostInstance } from '../support/host';

// ddp-client opens `new WebSocket(url)` with the global constructor, which Node 20 does not have without a flag.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

type Message = Record<string, unknown> & { msg?: string; customFields?: { metadataEvent?: { type?: string } } };

const eventType = (m: Message) => m.customFields?.metadataEvent?.type;
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** Resolves when `list` has an element passing `check` (polled), or fails after `timeoutMs` with what arrived. */
async function waitFor<T>(list: T[], check: (item: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const found = list.find(check);
        if (found) {
            return found;
        }
        if (Date.now() > deadline) {
            throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(list).slice(0, 2000)}`);
        }
        await new Promise((r) => setTimeout(r, 25));
    }
}

async function connect(instance: HostInstance): Promise<DDPSDK> {
    return DDPSDK.createAndConnect(instance.url);
}

/** A user's `<userId>/message` stream: every ephemeral message that arrives, in order. */
async function followMessages(sdk: DDPSDK, userId: string): Promise<Message[]> {
    const received: Message[] = [];
    const sub = sdk.stream('notify-user', `${userId}/message`, (message: unknown) => {
        received.push(message as Message);
    });
    await sub.ready();
    return received;
}

async function runCommand(instance: HostInstance, user: 'alice' | 'bob', room: keyof typeof SEED_ROOMS, params: string): Promise<void> {
    const res = await instance.rest(user, 'POST', '/api/v1/commands.run', { command: 'meta', params, roomId: SEED_ROOMS[room].id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A plain websocket speaking DDP by hand: every frame it got, parsed. */
async function rawClient(url: string): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>>; send: (frame: unknown) => void }> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/websocket`);
    const frames: Array<Record<string, unknown>> = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
    });
    return { ws, frames, send: (frame) => ws.send(JSON.stringify(frame)) };
}

describe('realtime over DDP (@rocket.chat/ddp-client, and a plain websocket for protocol details)', () => {
    let host: Host;
    const clients: DDPSDK[] = [];

    beforeAll(async () => {
        host = await startHost({ instances: 2 });
    });

    afterAll(async () => {
        for (const sdk of clients) {
            sdk.connection.close();
        }
        await host?.stop();
    });

    it('logs in with a resume token, subscribes, and gets the /meta subscribe reply (SNAPSHOT) and an UPDATE as they happen', async () => {
        const a = host.instances[0];
        const { userId, authToken } = await a.login('bob');
        const sdk = await connect(a);
        clients.push(sdk);
        const login: unknown = await sdk.account.loginWithToken(authToken);
        expect(login).toMatchObject({ id: userId, token: authToken, type: 'resume' });
        expect(sdk.account.uid).toBe(userId);

        const earlier = (await a.notifications('bob')).at(-1)?.seq ?? 0;
        const received = await followMessages(sdk, userId);
        await runCommand(a, 'bob', 'team', 'subscribe me');
        const snapshot = await waitFor(received, (m) => eventType(m) === 'SNAPSHOT', 'SNAPSHOT event');
        // shaped like the server's notify.ephemeralMessage: EJSON dates, private, in the room the command ran in
        expect(snapshot).toMatchObject({ rid: SEED_ROOMS.team.id, private: true, ts: { $date: expect.any(Number) } });
        expect(typeof snapshot._id).toBe('string');

        const before = received.length;
        await runCommand(a, 'bob', 'team', 'set me color=blue');
        const update = await waitFor(received, (m) => eventType(m) === 'UPDATE', 'UPDATE event');
        expect(received.indexOf(update)).toBeGreaterThanOrEqual(before);
        expect(JSON.stringify(update.customFields)).toContain('color');
        // everything the host recorded for bob since the subscription (what its long-poll shows) came over the stream,
        // in the same order
        const recorded = (await a.notifications('bob', { since: earlier })).map((n) => n.message.msg);
        await expect.poll(() => received.length, { timeout: 10_000 }).toBe(recorded.length);
        expect(received.map((m) => m.msg)).toEqual(recorded);
    });

    it('logs in with a password digest (a new token, type password); a wrong one is refused as on the server', async () => {
        const sdk = await connect(host.instances[0]);
        clients.push(sdk);
        await expect(sdk.account.loginWithPassword('alice', sha256('not-her-password'))).rejects.toMatchObject({
            error: 403,
            reason: 'Incorrect password',
            errorType: 'Meteor.Error',
        });
        await expect(sdk.account.loginWithPassword('nobody', sha256('x'))).rejects.toMatchObject({ error: 403, reason: 'User not found' });
        await sdk.account.loginWithPassword('alice', sha256(SEED_USERS.alice.password));
        expect(sdk.account.uid).toBe(SEED_USERS.alice.id);
        const token = sdk.account.user?.token as string;
        expect(token).toBeTruthy();
        // the token works on the REST API too
        const me = await host.instances[0].rest({ 'X-User-Id': SEED_USERS.alice.id, 'X-Auth-Token': token }, 'GET', '/api/v1/me');
        expect(me.body).toMatchObject({ _id: SEED_USERS.alice.id, username: 'alice' });
    });

    it("refuses another user's stream (nosub not-allowed) and a resume token that does not exist", async () => {
        const sdk = await connect(host.instances[0]);
        clients.push(sdk);
        await expect(sdk.account.loginWithToken('no-such-token')).rejects.toMatchObject({ error: 403, errorType: 'Meteor.Error' });
        await sdk.account.loginWithToken(SEED_USERS.carol.token);
        const sub = sdk.stream('notify-user', `${SEED_USERS.alice.id}/message`, () => undefined);
        await expect(sub.ready()).rejects.toMatchObject({ error: 'not-allowed' });
        const secret = sdk.stream('room-messages', SEED_ROOMS.secret.id, () => undefined);
        await expect(secret.ready()).resolves.toBeUndefined(); // carol is a member of #secret
        const bobs = sdk.stream('room-messages', SEED_ROOMS.dmAliceBob.id, () => undefined);
        await expect(bobs.ready()).rejects.toMatchObject({ error: 'not-allowed' });
    });

    it('streams a room’s messages (stream-room-messages <roomId>) and the views opened for a user (<userId>/uiInteraction)', async () => {
        const a = host.instances[0];
        const sdk = await connect(a);
        clients.push(sdk);
        await sdk.account.loginWithToken(SEED_USERS.carol.token);
        const messages: Message[] = [];
        const roomSub = sdk.stream('room-messages', SEED_ROOMS.team.id, (message: unknown) => {
            messages.push(message as Message);
        });
        await roomSub.ready();
        const views: Array<Record<string, unknown>> = [];
        const viewSub = sdk.stream('notify-user', `${SEED_USERS.carol.id}/uiInteraction`, (interaction: unknown) => {
            views.push(interaction as Record<string, unknown>);
        });
        await viewSub.ready();

        await host.instances[1].postMessage('alice', 'team', 'hello over DDP');
        const hello = await waitFor(messages, (m) => m.msg === 'hello over DDP', 'room message');
        expect(hello).toMatchObject({ rid: SEED_ROOMS.team.id, u: { _id: SEED_USERS.alice.id, username: 'alice' }, ts: { $date: expect.any(Number) } });

        // what the host's UiInteractionBridge records when an app opens a view for carol (the app itself opens its
        // views in answer to interactions, so the row is written here the way the bridge writes it)
        const interaction = { type: 'modal.open', triggerId: 'trigger-1', appId: host.appId, view: { id: 'v1', type: 'modal', blocks: [] } };
        const db = new Database(path.join(host.dataDir, 'host.sqlite'));
        try {
            db.prepare('INSERT INTO notifications (uid, rid, kind, ts, instance, doc) VALUES (?, ?, ?, ?, ?, ?)').run(
                SEED_USERS.carol.id,
                null,
                'uiInteraction',
                new Date().toISOString(),
                null,
                JSON.stringify(interaction),
            );
        } finally {
            db.close();
        }
        expect(await waitFor(views, (v) => v.triggerId === 'trigger-1', 'uiInteraction')).toEqual(interaction);

        // unsubscribing ends the delivery (the client waits for the server's nosub)
        roomSub.stop();
        await new Promise((r) => setTimeout(r, 300));
        const count = messages.length;
        await a.postMessage('alice', 'team', 'after unsub');
        await new Promise((r) => setTimeout(r, 500));
        expect(messages.length).toBe(count);
    });

    it('cluster: the stream is held on instance 0, the subscribe and the write are made on instance 1', async () => {
        const [a, b] = host.instances;
        const sdk = await connect(a);
        clients.push(sdk);
        const { authToken } = await b.login('alice');
        await sdk.account.loginWithToken(authToken);
        const received = await followMessages(sdk, SEED_USERS.alice.id);

        await runCommand(b, 'alice', 'team', 'subscribe here');
        const snapshot = await waitFor(received, (m) => eventType(m) === 'SNAPSHOT', 'SNAPSHOT event from instance 1');
        expect(snapshot.rid).toBe(SEED_ROOMS.team.id);

        const written = await b.api('bob', 'PUT', `metadata/room/${SEED_ROOMS.team.id}`, { items: [{ key: 'agenda', value: 'budget', visibility: 'public' }] });
        expect(written.status, JSON.stringify(written.body)).toBe(200);
        const update = await waitFor(received, (m) => eventType(m) === 'UPDATE' && JSON.stringify(m.customFields).includes('agenda'), 'UPDATE event from instance 1');
        expect(update.rid).toBe(SEED_ROOMS.team.id);
        expect(update.msg).toContain('bob');
    });

    // --- protocol details, with a plain websocket ---------------------------------------------------------------

    it('greets with server_id, connects, answers ping with pong, unknown methods and subscriptions with 404', async () => {
        const { ws, frames, send } = await rawClient(host.first.url);
        try {
            await waitFor(frames, (f) => f.msg === 'server_id', 'server_id');
            send({ msg: 'connect', version: '1', support: ['1'] });
            const connected = await waitFor(frames, (f) => f.msg === 'connected', 'connected');
            expect(typeof connected.session).toBe('string');
            send({ msg: 'ping', id: 'p1' });
            expect(await waitFor(frames, (f) => f.msg === 'pong', 'pong')).toEqual({ msg: 'pong', id: 'p1' });
            send({ msg: 'method', id: 'm1', method: 'no.such.method', params: [] });
            expect(await waitFor(frames, (f) => f.msg === 'result' && f.id === 'm1', 'result')).toEqual({
                msg: 'result',
                id: 'm1',
                error: { isClientSafe: true, error: 404, reason: "Method 'no.such.method' not found", message: "Method 'no.such.method' not found [404]", errorType: 'Meteor.Error' },
            });
            await waitFor(frames, (f) => f.msg === 'updated' && JSON.stringify(f.methods) === '["m1"]', 'updated');
            send({ msg: 'sub', id: 's1', name: 'stream-no-such', params: ['x', false] });
            expect(await waitFor(frames, (f) => f.msg === 'nosub' && f.id === 's1', 'nosub')).toMatchObject({ error: { error: 404 } });
            // the login result carries tokenExpires as an EJSON date
            send({ msg: 'method', id: 'm2', method: 'login', params: [{ resume: SEED_USERS.bob.token }] });
            const login = await waitFor(frames, (f) => f.msg === 'result' && f.id === 'm2', 'login result');
            expect(login.result).toEqual({ id: SEED_USERS.bob.id, token: SEED_USERS.bob.token, tokenExpires: { $date: expect.any(Number) }, type: 'resume' });
        } finally {
            ws.close();
        }
    });

    it('refuses a DDP version it does not speak, and answers 404 to an upgrade elsewhere than /websocket', async () => {
        const { ws, frames, send } = await rawClient(host.first.url);
        const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
        send({ msg: 'connect', version: 'pre0', support: ['pre0'] });
        expect(await waitFor(frames, (f) => f.msg === 'failed', 'failed')).toEqual({ msg: 'failed', version: '1' });
        await closed;

        const other = new WebSocket(`${host.first.url.replace(/^http/, 'ws')}/sockjs/websocket`);
        const status = await new Promise<number | undefined>((resolve) => {
            other.once('unexpected-response', (_req, res) => resolve(res.statusCode));
            other.once('open', () => resolve(undefined));
            other.once('error', () => undefined);
        });
        other.terminate();
        expect(status).toBe(404);
    });
});

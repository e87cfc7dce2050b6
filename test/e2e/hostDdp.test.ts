// The host's DDP server on its own (no engine, no Deno): an HTTP server with the DdpServer on its upgrade event, over
// a seeded store, talked to with a plain websocket. What the engine-backed suite (ddp.test.ts) does not reach:
// edits on stream-room-messages, __my_messages__, logout, a login that changes the user, two stores' writers.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { DdpServer } from '../../host/ddp/DdpServer';
import { DEFAULT_PERSISTENCE_SWITCHES, HostContext } from '../../host/engine/context';
import { sendMessage, updateMessage } from '../../host/lib/messages';
import { seed, SEED_ROOMS, SEED_USERS } from '../../host/seed';
import { Store } from '../../host/store/Store';

type Frame = Record<string, unknown> & { msg?: string; id?: string; fields?: { eventName: string; args: unknown[] } };

let dir: string;
let store: Store;
let ctx: HostContext;
let server: http.Server;
let ddp: DdpServer;
let url: string;
const sockets: WebSocket[] = [];

beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-ddp-'));
    store = new Store(dir);
    ctx = new HostContext(store, 'test', 0, DEFAULT_PERSISTENCE_SWITCHES);
    seed(ctx, { siteUrl: 'http://127.0.0.1:0' });
    server = http.createServer((_req, res) => res.end());
    ddp = new DdpServer(ctx, { isReady: () => true, instanceHeader: '0:test:0', pollMs: 20 });
    server.on('upgrade', (req, socket, head) => ddp.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/websocket`;
});

afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    ddp.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

async function waitFor(frames: Frame[], check: (f: Frame) => boolean, what: string, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const found = frames.find(check);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${what}; got ${JSON.stringify(frames).slice(0, 1500)}`);
        await new Promise((r) => setTimeout(r, 10));
    }
}

/** A connected DDP client, logged in with a seeded token when `as` is given. */
async function client(as?: keyof typeof SEED_USERS) {
    const ws = new WebSocket(url);
    sockets.push(ws);
    const frames: Frame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
    });
    let n = 0;
    const send = (frame: unknown) => ws.send(JSON.stringify(frame));
    const call = async (method: string, ...params: unknown[]) => {
        const id = `m${++n}`;
        send({ msg: 'method', id, method, params });
        return waitFor(frames, (f) => f.msg === 'result' && f.id === id, `result of ${method}`);
    };
    const sub = async (name: string, eventName: string) => {
        const id = `s${++n}`;
        send({ msg: 'sub', id, name, params: [eventName, { useCollection: false, args: [] }] });
        const answer = await waitFor(frames, (f) => (f.msg === 'ready' && (f.subs as string[]).includes(id)) || (f.msg === 'nosub' && f.id === id), `answer to sub ${id}`);
        return { id, answer };
    };
    const events = (eventName: string) => frames.filter((f) => f.msg === 'changed' && f.fields?.eventName === eventName).map((f) => f.fields?.args as unknown[]);
    send({ msg: 'connect', version: '1', support: ['1'] });
    await waitFor(frames, (f) => f.msg === 'connected', 'connected');
    if (as) {
        const login = await call('login', { resume: SEED_USERS[as].token });
        expect(login.error).toBeUndefined();
    }
    return { ws, frames, send, call, sub, events };
}

describe('stream-room-messages', () => {
    it('sends inserts and edits of a room, and every accessible room on __my_messages__ with what the server adds', async () => {
        const carol = await client('carol');
        expect((await carol.sub('stream-room-messages', SEED_ROOMS.team.id)).answer.msg).toBe('ready');
        expect((await carol.sub('stream-room-messages', '__my_messages__')).answer.msg).toBe('ready');
        const sent = sendMessage(ctx, SEED_USERS.alice.id, { rid: SEED_ROOMS.team.id, msg: 'first' });
        updateMessage(ctx, SEED_USERS.alice.id, { _id: sent._id, msg: 'first, edited' });
        sendMessage(ctx, SEED_USERS.alice.id, { rid: SEED_ROOMS.dmAliceBob.id, msg: 'not for carol' });
        await waitFor(carol.frames, () => carol.events(SEED_ROOMS.team.id).length === 2, 'insert and edit');
        const [inserted, edited] = carol.events(SEED_ROOMS.team.id).map((args) => args[0] as Record<string, unknown>);
        expect(inserted).toMatchObject({ _id: sent._id, msg: 'first', ts: { $date: sent.ts.getTime() } });
        expect(edited).toMatchObject({ _id: sent._id, msg: 'first, edited', editedBy: { _id: SEED_USERS.alice.id }, editedAt: { $date: expect.any(Number) } });
        await waitFor(carol.frames, () => carol.events('__my_messages__').length === 2, '__my_messages__');
        expect(carol.events('__my_messages__')[0]).toEqual([expect.objectContaining({ msg: 'first' }), { roomParticipant: true, roomType: 'c', roomName: 'team' }]);
        await new Promise((r) => setTimeout(r, 100));
        expect(JSON.stringify(carol.frames)).not.toContain('not for carol');
    });

    it('sends what another store handle (another instance) writes, and nothing written before the subscription', async () => {
        sendMessage(ctx, SEED_USERS.alice.id, { rid: SEED_ROOMS.team.id, msg: 'before' });
        const bob = await client('bob');
        await bob.sub('stream-room-messages', SEED_ROOMS.team.id);
        const other = new Store(dir);
        try {
            const otherCtx = new HostContext(other, 'other', 1, DEFAULT_PERSISTENCE_SWITCHES);
            sendMessage(otherCtx, SEED_USERS.carol.id, { rid: SEED_ROOMS.team.id, msg: 'from instance 1' });
        } finally {
            other.close();
        }
        await waitFor(bob.frames, () => bob.events(SEED_ROOMS.team.id).length === 1, 'the other instance’s message');
        expect(bob.events(SEED_ROOMS.team.id)[0][0]).toMatchObject({ msg: 'from instance 1' });
        expect(JSON.stringify(bob.frames)).not.toContain('"before"');
    });

    it('refuses a room the user cannot access, and anyone not logged in', async () => {
        const bob = await client('bob');
        expect((await bob.sub('stream-room-messages', SEED_ROOMS.secret.id)).answer).toMatchObject({ msg: 'nosub', error: { error: 'not-allowed', errorType: 'Meteor.Error' } });
        const anonymous = await client();
        expect((await anonymous.sub('stream-room-messages', SEED_ROOMS.team.id)).answer).toMatchObject({ msg: 'nosub', error: { error: 'not-allowed' } });
        expect((await anonymous.sub('stream-room-messages', '')).answer).toMatchObject({ msg: 'nosub', error: { error: 'invalid-event-name' } });
    });
});

describe('stream-notify-user', () => {
    it('sends an ephemeral message shaped as the server shapes notify.ephemeralMessage', async () => {
        const alice = await client('alice');
        await alice.sub('stream-notify-user', `${SEED_USERS.alice.id}/message`);
        ctx.notifications.insert({
            userId: SEED_USERS.alice.id,
            roomId: SEED_ROOMS.team.id,
            kind: 'ephemeral',
            instance: 'test',
            message: { _id: 'eph-1', rid: SEED_ROOMS.team.id, msg: 'hi', u: { _id: 'bot', username: 'metadata-store.bot' }, ts: new Date(1_700_000_000_000) },
        });
        await waitFor(alice.frames, () => alice.events(`${SEED_USERS.alice.id}/message`).length === 1, 'ephemeral message');
        const frame = alice.frames.find((f) => f.msg === 'changed');
        expect(frame).toEqual({
            msg: 'changed',
            collection: 'stream-notify-user',
            id: 'id',
            fields: {
                eventName: `${SEED_USERS.alice.id}/message`,
                args: [
                    {
                        groupable: false,
                        u: { _id: 'bot', username: 'metadata-store.bot' },
                        private: true,
                        _id: 'eph-1',
                        rid: SEED_ROOMS.team.id,
                        ts: { $date: 1_700_000_000_000 },
                        _updatedAt: { $date: expect.any(Number) },
                        msg: 'hi',
                    },
                ],
            },
        });
    });
});

describe('login and logout', () => {
    it('a login as someone else ends the subscriptions the new user may not read', async () => {
        const c = await client('alice');
        const { id } = await c.sub('stream-notify-user', `${SEED_USERS.alice.id}/message`);
        await c.call('login', { resume: SEED_USERS.bob.token });
        expect(await waitFor(c.frames, (f) => f.msg === 'nosub' && f.id === id, 'nosub')).toMatchObject({ error: { error: 'not-allowed' } });
    });

    it('logout deletes the token and closes the socket; a plain password and a digest both log in', async () => {
        const c = await client();
        const password = await c.call('login', { user: { username: 'bob' }, password: SEED_USERS.bob.password });
        const token = (password.result as { token: string }).token;
        expect(password.result).toMatchObject({ id: SEED_USERS.bob.id, type: 'password' });
        const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
        await c.call('logout');
        expect(await closed).toBe(1002);
        expect(ctx.users.findToken(token)).toBeUndefined();

        const d = await client();
        const digest = crypto.createHash('sha256').update(SEED_USERS.bob.password).digest('hex');
        expect((await d.call('login', { user: { username: 'bob' }, password: { digest, algorithm: 'sha-256' } })).result).toMatchObject({ id: SEED_USERS.bob.id });
        expect((await d.call('login', { user: { username: 'bob' }, password: { digest, algorithm: 'md5' } })).error).toMatchObject({ error: 400 });
        expect((await d.call('login', { something: 1 })).error).toMatchObject({ error: 400, reason: 'Unrecognized options for login request' });
    });

    it('a store whose passwords were hashed before digests were kept checks plain passwords, and a login upgrades it for digests', async () => {
        const salt = crypto.randomBytes(16);
        const hash = crypto.scryptSync('old-pass', salt, 32, { N: 1 << 12 });
        const digest = crypto.createHash('sha256').update('old-pass').digest('hex');
        store.db.prepare('UPDATE credentials SET password_hash = ? WHERE user_id = ?').run(`${salt.toString('base64')}:${hash.toString('base64')}`, SEED_USERS.carol.id);
        expect(ctx.users.checkPasswordDigest(SEED_USERS.carol.id, digest)).toBe(false);
        expect(ctx.users.checkPassword(SEED_USERS.carol.id, 'wrong')).toBe(false);
        expect(ctx.users.checkPassword(SEED_USERS.carol.id, 'old-pass')).toBe(true);
        expect(ctx.users.checkPasswordDigest(SEED_USERS.carol.id, digest)).toBe(true);
    });
});

// SPEC §15 (webhooks) against the packaged app in the real engine, on two instances over one store, with a receiver
// on 127.0.0.1 (the host's HTTP bridge sends to loopback for real; its scheduler runs the app's recurring sweep):
// signed, in order, at least once — redelivered with the same id after a 500, nothing lost across a disable and
// enable, nor across killing the host and starting it again on its data; and a write never waits for a receiver.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, startHost, type Host, type HostInstance } from '../../support/host';
import { SECRET, type ErrorBody } from './helpers';

const SIGNING_SECRET = 'a long random text';

interface Delivery {
    id: string;
    signature: string;
    raw: string;
    body: { id: string; type: string; subject: { namespace: string; id: string }; majorRevision: number; changed: string[]; stateChanged: string[]; items: Array<{ key: string }>; cause?: unknown };
}

/** What the receiver answers: 204, 500, or nothing at all (the request is held open). */
let mode: 'ok' | 'fail' | 'hold' = 'ok';
const received: Delivery[] = [];
const held: http.ServerResponse[] = [];
let server: http.Server;
let url: string;

let host: Host;
const one = (): HostInstance => host.instances[0];
const two = (): HostInstance => host.instances[1];

beforeAll(async () => {
    server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            received.push({ id: String(req.headers['x-metadata-delivery']), signature: String(req.headers['x-metadata-signature']), raw, body: JSON.parse(raw) });
            if (mode === 'hold') held.push(res);
            else res.writeHead(mode === 'ok' ? 204 : 500).end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    host = await startHost({ instances: 2, schedulerPollMs: 200 });
});

afterAll(async () => {
    for (const res of held) res.end();
    server?.closeAllConnections();
    server?.close();
    await host?.stop();
});

async function register(subjects: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; secret?: string; hasSecret: boolean }> {
    const res = await one().api<{ id: string; secret?: string; hasSecret: boolean }>('admin', 'POST', 'webhooks', { url, subjects, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
}

async function put(instance: HostInstance, user: 'alice' | 'bob' | 'carol', items: unknown[], cause?: unknown): Promise<number> {
    const res = await instance.api<{ majorRevision: number }>(user, 'PUT', 'metadata/user/me', { items, ...(cause === undefined ? {} : { cause }) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.majorRevision;
}

/** Each delivery once (receivers deduplicate by id), in the order first received, for one user subject. */
function firstOf(userId: string): Delivery[] {
    const seen = new Set<string>();
    return received.filter((d) => d.body.subject.id === userId && !seen.has(d.id) && seen.add(d.id));
}

async function until(what: string, check: () => boolean, timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(received.map((d) => [d.id, d.body.subject.id, d.body.majorRevision]))}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

const ids = async (user: 'alice' | 'bob' | 'carol') => (await one().api<{ id: string }>(user, 'GET', 'metadata/user/me')).body;
const userId = async (user: 'alice' | 'bob' | 'carol') => ((await ids(user)) as unknown as { subject: { id: string } }).subject.id;

describe('registering webhooks', () => {
    it('is for admins only', async () => {
        const res = await one().api<ErrorBody>('alice', 'POST', 'webhooks', { url, subjects: ['user:*'] });
        expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
    });

    it('refuses a registration that is not right with a 400 saying why', async () => {
        const res = await one().api<ErrorBody>('admin', 'POST', 'webhooks', { url: 'ftp://example.com', subjects: ['user:*'] });
        expect([res.status, res.body.error.code, res.body.error.message]).toEqual([400, 'invalid_request', expect.stringContaining('http or https')]);
    });

    it('shows the secret only in the answer to the registration, and lists webhooks without it', async () => {
        const created = await register([`user:nobody-${Date.now()}`], { secret: 'shown once' });
        expect([created.secret, created.hasSecret]).toEqual(['shown once', true]);
        const listed = await two().api<{ webhooks: Array<{ id: string; hasSecret: boolean }> }>('admin', 'GET', 'webhooks');
        expect(listed.body.webhooks.find((w) => w.id === created.id)?.hasSecret).toBe(true);
        expect(JSON.stringify(listed.body)).not.toContain('shown once');
        expect((await one().api('admin', 'DELETE', `webhooks/${created.id}`)).status).toBe(200);
        expect((await one().api<ErrorBody>('admin', 'GET', `webhooks/${created.id}`)).status).toBe(404);
    });
});

describe('delivering changes', () => {
    let alice: string;
    let webhookId: string;

    beforeAll(async () => {
        alice = await userId('alice');
        ({ id: webhookId } = await register([`user:${alice}`], { secret: SIGNING_SECRET }));
    });

    it('POSTs every change of a followed subject, in majorRevision order, signed, public items only, with its cause', async () => {
        const start = firstOf(alice).length;
        const revisions: number[] = [];
        for (let i = 1; i <= 6; i++) {
            const instance = i % 2 === 0 ? two() : one();
            revisions.push(await put(instance, 'alice', [{ key: 'status', value: `step ${i}`, visibility: 'public' }, { key: 'diary', value: `secret ${i}`, visibility: 'private' }], { ticket: `T-${i}` }));
        }
        await until('six deliveries', () => firstOf(alice).length >= start + 6);
        const mine = firstOf(alice).slice(start);
        expect(mine.map((d) => d.body.majorRevision)).toEqual(revisions);
        for (const delivery of mine) {
            expect(delivery.signature).toBe(`sha256=${createHmac('sha256', SIGNING_SECRET).update(delivery.raw).digest('hex')}`);
            expect(delivery.id).toBe(delivery.body.id);
            expect(delivery.body.items.map((item) => item.key)).toEqual(['status']);
        }
        expect(mine.map((d) => d.body.cause)).toEqual(revisions.map((_, i) => ({ ticket: `T-${i + 1}` })));
    });

    it('POSTs state changes too, after the item change of the revision they were made at', async () => {
        const revision = await put(one(), 'alice', [{ key: 'status', value: 'before a vote', visibility: 'public' }]);
        const res = await two().api('alice', 'POST', 'metadata/user/me/state', { key: 'mood', type: 'lww', op: 'add', value: 'sunny', cause: 'vote' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        await until('the state change', () => firstOf(alice).some((d) => d.body.stateChanged.includes('mood')));
        const mine = firstOf(alice).filter((d) => d.body.majorRevision === revision);
        expect(mine.map((d) => [d.body.stateChanged, d.body.cause ?? null])).toEqual([[[], null], [['mood'], 'vote']]);
    });

    it('says REMOVED when a followed room is deleted, after the changes before it', async () => {
        await register([`room:${SECRET}`]);
        const res = await one().api<{ majorRevision: number }>('alice', 'PUT', `metadata/room/${SECRET}`, { items: [{ key: 'topic', value: 'soon gone', visibility: 'public' }] });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        await until('the change', () => received.some((d) => d.body.subject.id === SECRET && d.body.type === 'UPDATE'));
        expect((await one().deleteRoom('alice', 'secret')).status).toBe(200);
        await until('REMOVED', () => received.some((d) => d.body.subject.id === SECRET && d.body.type === 'REMOVED'));
        const seen = received.filter((d) => d.body.subject.id === SECRET).map((d) => [d.body.type, d.body.majorRevision]);
        expect(seen.at(-1)).toEqual(['REMOVED', 0]);
    });

    it('sends a change again after a 500, with the same delivery id, and logs both attempts', async () => {
        mode = 'fail';
        const from = received.length;
        const revision = await put(one(), 'alice', [{ key: 'status', value: 'retried', visibility: 'public' }]);
        await until('the failed attempt', () => received.slice(from).some((d) => d.body.majorRevision === revision));
        mode = 'ok';
        const first = received.slice(from).find((d) => d.body.majorRevision === revision) as Delivery;
        await until('the retry', () => received.slice(from).filter((d) => d.id === first.id).length >= 2);
        const log = await one().api<{ attempts: Array<{ deliveryId: string; outcome: string; status?: number }> }>('admin', 'GET', `webhooks/${webhookId}/deliveries`);
        const attempts = log.body.attempts.filter((a) => a.deliveryId === first.id).map((a) => [a.outcome, a.status]);
        expect(attempts).toEqual(expect.arrayContaining([['failed', 500], ['delivered', 204]]));
    });

    it('answers a write while its receiver has not answered yet: a slow endpoint never holds a write', async () => {
        mode = 'hold';
        const from = received.length;
        const first = await put(two(), 'alice', [{ key: 'status', value: 'slow 1', visibility: 'public' }]);
        await until('the held delivery', () => received.length > from);
        const second = await put(two(), 'alice', [{ key: 'status', value: 'slow 2', visibility: 'public' }]);
        expect([second, held.length > 0]).toEqual([first + 1, true]);
        mode = 'ok';
        for (const res of held.splice(0)) res.writeHead(204).end();
        await until('both', () => [first, second].every((r) => firstOf(alice).some((d) => d.body.majorRevision === r)));
    });

    it('loses nothing that waited while the app was disabled and enabled again', async () => {
        mode = 'fail';
        const revision = await put(one(), 'alice', [{ key: 'status', value: 'before disable', visibility: 'public' }]);
        await until('a failed attempt', () => received.some((d) => d.body.majorRevision === revision));
        expect((await one().rest('admin', 'POST', `/api/apps/${APP_ID}/status`, { status: 'manually_disabled' })).status).toBe(200);
        expect((await one().rest('admin', 'POST', `/api/apps/${APP_ID}/status`, { status: 'manually_enabled' })).status).toBe(200);
        for (const instance of host.instances) await instance.waitForApp((app) => app?.enabled === true);
        mode = 'ok';
        const accepted = () => received.filter((d) => d.body.majorRevision === revision && d.body.subject.id === alice).length >= 2;
        await until('the delivery after enabling', accepted, 60_000);
    });

    it('loses nothing when the host is killed with deliveries waiting, and started again on its data', async () => {
        mode = 'fail';
        const revision = await put(two(), 'alice', [{ key: 'status', value: 'before the crash', visibility: 'public' }]);
        await until('a failed attempt', () => received.some((d) => d.body.majorRevision === revision));
        await host.restart({ hard: true });
        mode = 'ok';
        await until('the delivery after the restart', () => received.filter((d) => d.body.majorRevision === revision && d.body.subject.id === alice).length >= 2, 60_000);
        // The sender takes a delivery's record away once its receiver answered: a moment after the receiver saw it.
        await expect.poll(async () => (await one().api<{ pending: number }>('admin', 'GET', `webhooks/${webhookId}/deliveries`)).body, { timeout: 15_000 })
            .toMatchObject({ pending: 0 });
    });
});

describe('following messages with choices (SPEC §19)', () => {
    it('a webhook on message:* gets the message\'s definition, then a delivery per pick', async () => {
        mode = 'ok';
        await register(['message:*']);
        const posted = await two().api<{ subject: { id: string } }>('alice', 'POST', 'metadata/room/GENERAL/choices', { question: 'Offsite?', choices: ['May', 'June'] });
        expect(posted.status, JSON.stringify(posted.body)).toBe(200);
        const messageId = posted.body.subject.id;
        expect((await one().api('carol', 'POST', `metadata/message/${messageId}/pick`, { choice: 'June' })).status).toBe(200);
        await until('the definition and the pick', () => firstOf(messageId).length >= 2);
        const [definition, pick] = firstOf(messageId);
        expect([definition.body.subject.namespace, definition.body.changed]).toEqual(['message', ['choice']]);
        expect(pick.body.stateChanged).toEqual(['choice']);
    });
});

import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { beforeEach, describe, expect, it } from 'vitest';
import { RETRY_FOR_MS, Webhook } from '../../src/core/webhooks';
import { MetadataStore } from '../../src/store/MetadataStore';
import { WebhookStore, createDeliveries } from '../../src/store/webhookStore';
import { DispatchDeps, sendQueue, sweep } from '../../src/surfaces/webhooks/dispatcher';
import { signatureOf } from '../../src/surfaces/webhooks/signature';
import { alice, database, instance, setItems } from '../store/helpers';

const hook: Webhook = { id: 'w1', url: 'http://127.0.0.1:9/hook', secret: 'key', subjects: ['user:*'], includePrivate: false, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'admin' };

interface Post { url: string; body: string; headers: Record<string, string> }

let store: MetadataStore;
let persistence: IPersistence;
let webhooks: WebhookStore;
let idle: () => Promise<void>;
let posts: Post[];
/** what the receiver answers to the nth post (1-based) */
let answer: (n: number) => number | Error;
let now: number;
let deps: DispatchDeps;

beforeEach(async () => {
    const world = instance(database());
    ({ store, idle } = world);
    persistence = world.connection.persistence;
    webhooks = new WebhookStore(world.connection.read, persistence);
    posts = [];
    answer = () => 200;
    // the store stamps deliveries with the real clock
    now = Date.now();
    deps = {
        webhooks,
        fates: (subject, writes) => store.writeFates(subject, writes),
        http: {
            post: async (url, request) => {
                posts.push({ url, body: request.content, headers: request.headers });
                const reply = answer(posts.length);
                if (reply instanceof Error) throw reply;
                return { statusCode: reply };
            },
        },
        now: () => now,
        log: { error: () => undefined },
    };
    await webhooks.create(hook);
});

/** A write whose change has one delivery to `hook`, its body naming the revision. */
function write(value: number) {
    return store.writeItems(alice, setItems({ k: value }), {
        outbox: ({ revision }) => [{ id: `d${revision}`, webhookId: hook.id, order: { majorRevision: revision, kind: 0, at: 0, tie: '' }, body: JSON.stringify({ revision }) }],
    });
}

const sent = () => posts.map((p) => [p.headers['x-metadata-delivery'], JSON.parse(p.body).revision]);

describe('the outbox beside the write path', () => {
    it('stores a write\'s deliveries before the write answers, naming the write they belong to', async () => {
        await write(1);
        const [delivery] = await webhooks.pending(hook.id, alice);
        expect([delivery.id, delivery.write?.revision, typeof delivery.write?.writeId]).toEqual(['d1', 1, 'string']);
    });

    it('knows a write was decided as its revision, also once clean-up removed its log entries (from history)', async () => {
        for (let i = 1; i <= 12; i++) await write(i);
        await idle();
        const first = (await webhooks.pending(hook.id, alice)).find((d) => d.id === 'd1');
        const fates = await store.writeFates(alice, [first!.write!, { revision: 1, writeId: 'someone-else' }, { revision: 13, writeId: 'x' }]);
        expect(fates).toEqual(['decided', 'lost', 'pending']);
    });
});

describe('sending deliveries', () => {
    it('sends a subject\'s changes oldest first, each once, then removes them and logs each', async () => {
        for (let i = 1; i <= 3; i++) await write(i);
        await sweep(deps);
        expect(sent()).toEqual([['d1', 1], ['d2', 2], ['d3', 3]]);
        expect(await webhooks.pending()).toEqual([]);
        expect((await webhooks.attempts(hook.id)).map((a) => [a.deliveryId, a.outcome, a.status])).toEqual(expect.arrayContaining([['d1', 'delivered', 200], ['d3', 'delivered', 200]]));
    });

    it('signs the raw body: X-Metadata-Signature is sha256= and the hex HMAC-SHA256 with the secret', async () => {
        // RFC-style test vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
        expect(signatureOf('key', 'The quick brown fox jumps over the lazy dog')).toBe('sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
        await write(1);
        await sweep(deps);
        expect(posts[0].headers['x-metadata-signature']).toBe(signatureOf('key', posts[0].body));
    });

    it('stops at a failed delivery: nothing after it goes until it succeeds, and the retry carries the same id', async () => {
        await write(1);
        await write(2);
        answer = (n) => (n === 1 ? 500 : 200);
        await sweep(deps);
        expect(sent()).toEqual([['d1', 1]]);
        now += 60_000;
        await sweep(deps);
        expect(sent()).toEqual([['d1', 1], ['d1', 1], ['d2', 2]]);
    });

    it('waits for the back-off before trying a failed delivery again', async () => {
        await write(1);
        answer = () => new Error('connect ECONNREFUSED');
        await sweep(deps);
        await sweep(deps);
        expect(posts).toHaveLength(1);
        expect((await webhooks.attempts(hook.id))[0]).toMatchObject({ deliveryId: 'd1', outcome: 'failed', error: 'Error: connect ECONNREFUSED' });
    });

    it('drops a delivery whose write lost its revision to another, and goes on', async () => {
        await write(1);
        const stray = { id: 'stray', webhookId: hook.id, subject: alice, order: { majorRevision: 1, kind: 0 as const, at: 0, tie: '' }, body: '{"revision":-1}', createdAt: now, write: { revision: 1, writeId: 'lost-write' } };
        await createDeliveries(persistence, [stray]);
        await sweep(deps);
        expect(sent()).toEqual([['d1', 1]]);
        expect((await webhooks.attempts(hook.id)).find((a) => a.deliveryId === 'stray')?.outcome).toBe('dropped');
    });

    it('holds a queue at a change whose revision is not decided yet', async () => {
        const undecided = { id: 'later', webhookId: hook.id, subject: alice, order: { majorRevision: 1, kind: 0 as const, at: 0, tie: '' }, body: '{"revision":1}', createdAt: now, write: { revision: 1, writeId: 'in-flight' } };
        await createDeliveries(persistence, [undecided]);
        await sweep(deps);
        expect([posts.length, (await webhooks.pending()).length]).toEqual([0, 1]);
    });

    it('gives up on a delivery that still fails 24 hours after its change, and sends the next', async () => {
        await write(1);
        await write(2);
        answer = (n) => (n === 1 ? 503 : 200);
        now += RETRY_FOR_MS + 60_000;
        await sweep(deps);
        expect(sent()).toEqual([['d1', 1], ['d2', 2]]);
        expect((await webhooks.attempts(hook.id)).find((a) => a.deliveryId === 'd1')?.outcome).toBe('gave-up');
    });

    it('removes what waits for a webhook that no longer exists, and sends nothing', async () => {
        await write(1);
        await webhooks.remove(hook.id);
        await createDeliveries(persistence, [{ id: 'orphan', webhookId: hook.id, subject: alice, order: { majorRevision: 1, kind: 0, at: 0, tie: '' }, body: '{}', createdAt: now }]);
        await sweep(deps);
        expect([posts.length, await webhooks.pending()]).toEqual([0, []]);
    });

    it('sends a queue once when the writer and a sweep on the same instance send it at once', async () => {
        await write(1);
        await Promise.all([sendQueue(deps, hook, alice, new Set(['d1'])), sweep(deps)]);
        expect(sent()).toEqual([['d1', 1]]);
    });
});

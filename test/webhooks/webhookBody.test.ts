import { describe, expect, it } from 'vitest';
import { Item } from '../../src/core/types';
import { Webhook } from '../../src/core/webhooks';
import { ChangeNotice } from '../../src/service/types';
import { outboxEntries } from '../../src/surfaces/webhooks/webhookBody';

const item = (key: string, value: unknown, visibility: 'public' | 'private', revision = 2): Item =>
    ({ key, value, visibility, revision, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'u1' }) as Item;

const publicOnly: Webhook = { id: 'pub', url: 'https://e.com', subjects: ['user:*'], includePrivate: false, createdAt: 't', createdBy: 'a' };
const everything: Webhook = { ...publicOnly, id: 'all', includePrivate: true };

function notice(changed: Item[], others: Item[] = []): ChangeNotice {
    const items = [...changed, ...others].sort((a, b) => a.key.localeCompare(b.key));
    return {
        subject: { namespace: 'user', id: 'u1', name: 'alice' },
        actor: { id: 'u1', username: 'alice', roles: [] },
        at: '2026-01-01T00:00:00.000Z',
        majorRevision: 2,
        changed: changed.map((i) => i.key).sort(),
        removed: [],
        stateChanged: [],
        set: { majorRevision: 2, items },
        before: { majorRevision: 1, items: others },
        state: {},
        cause: { ticket: 7 },
    };
}

let n = 0;
const ids = () => `id${++n}`;

describe('what a webhook receives of a change', () => {
    it('public items only, unless the webhook includes private ones', () => {
        const [pub, all] = outboxEntries([publicOnly, everything], notice([item('status', 'x', 'public'), item('diary', 'y', 'private')]), ids);
        expect(JSON.parse(pub.body).items.map((i: Item) => i.key)).toEqual(['status']);
        expect(JSON.parse(all.body).items.map((i: Item) => i.key)).toEqual(['diary', 'status']);
    });

    it('nothing to a public-only webhook when only private items changed', () => {
        const entries = outboxEntries([publicOnly, everything], notice([item('diary', 'y', 'private')], [item('status', 'x', 'public', 1)]), ids);
        expect(entries.map((e) => e.webhookId)).toEqual(['all']);
    });

    it('the body is the UPDATE event with the delivery id, the cause included', () => {
        const [entry] = outboxEntries([publicOnly], notice([item('status', 'x', 'public')]), ids);
        const body = JSON.parse(entry.body);
        expect([body.id, body.type, body.majorRevision, body.changed, body.cause, body.actor]).toEqual([entry.id, 'UPDATE', 2, ['status'], { ticket: 7 }, { id: 'u1', username: 'alice' }]);
    });

    it('orders an item change by its revision, before a state change made at that revision', () => {
        const [items] = outboxEntries([publicOnly], notice([item('status', 'x', 'public')]), ids);
        const [state] = outboxEntries([publicOnly], { ...notice([], [item('status', 'x', 'public')]), stateChanged: ['votes'] }, ids);
        expect([items.order.kind, state.order.kind, items.order.majorRevision, state.order.majorRevision]).toEqual([0, 1, 2, 2]);
    });
});

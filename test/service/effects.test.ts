import { describe, expect, it } from 'vitest';

import { failure, harness } from './harness';

const me = { namespace: 'user', ref: 'me' } as const;

describe('after an acknowledged write', () => {
    it('the effects learn what changed, by whom, when and at which revision', async () => {
        const { service, caller, notices } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }] });
        expect(notices).toHaveLength(1);
        expect(notices[0]).toMatchObject({
            subject: { namespace: 'user', id: 'u-alice', name: 'alice' },
            actor: { id: 'u-alice', username: 'alice' },
            at: '2024-05-01T12:00:00.000Z',
            majorRevision: 1,
            changed: ['a', 'b'],
            removed: [],
            stateChanged: [],
        });
    });

    it('the effects see the whole set after the write and the items before it', async () => {
        const { service, caller, notices } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        await service.remove(caller('alice'), me, {});
        expect(notices[1]).toMatchObject({ removed: ['a'], set: { majorRevision: 2, items: [] }, before: { majorRevision: 1 } });
    });

    it('the effects get the cause of the write', async () => {
        const { service, caller, notices } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }], cause: { source: 'crm' } });
        expect(notices[0].cause).toEqual({ source: 'crm' });
    });

    it('a write without a cause hands on no cause at all', async () => {
        const { service, caller, notices } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        expect('cause' in notices[0]).toBe(false);
    });

    it('a write that changes nothing runs no effects', async () => {
        const { service, caller, notices } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        const view = await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        expect([view.majorRevision, notices.length]).toEqual([1, 1]);
    });

    it('a failed write runs no effects', async () => {
        const { service, caller, notices } = harness();
        await failure(service.update(caller('alice'), me, { items: [{ key: 'missing', value: 1 }] }));
        expect(notices).toHaveLength(0);
    });

    it('a failing effect does not fail the write, and is logged', async () => {
        const { service, caller, errors } = harness({ effects: [async () => { throw new Error('mirror down'); }] });
        const view = await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        expect(view.majorRevision).toBe(1);
        expect(JSON.stringify(errors)).toContain('mirror down');
    });

    it('one failing effect does not keep the others from running', async () => {
        const ran: string[] = [];
        const { service, caller } = harness({
            effects: [async () => { throw new Error('boom'); }, async () => { ran.push('second'); }],
        });
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        expect(ran).toEqual(['second']);
    });

    it('an effect that never finishes does not hold the answer back past the budget', async () => {
        const { service, caller } = harness({ effects: [() => new Promise<void>(() => undefined)], effectsBudgetMs: 5 });
        expect((await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] })).majorRevision).toBe(1);
    });

    it('a state change tells the effects which state key changed, and keeps the revision', async () => {
        const { service, caller, notices } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        await service.state(caller('bob'), { namespace: 'user', ref: 'alice' }, { key: 'votes', op: 'add', value: 'up' });
        expect(notices[1]).toMatchObject({ majorRevision: 1, changed: [], removed: [], stateChanged: ['votes'], actor: { username: 'bob' } });
    });
});

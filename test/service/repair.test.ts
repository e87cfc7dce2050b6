import { describe, expect, it } from 'vitest';

import { stateOpRecord } from '../../src/store/records';
import { failure, harness } from './harness';

const alice = { namespace: 'user', ref: 'alice' } as const;

/** A value nested `depth` levels: what older limits let through and no reader can be sent. */
function nested(depth: number): unknown {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = [value];
    return value;
}

describe('repair by an admin (SPEC §12)', () => {
    it('removes an item, answering with the keys removed and no values', async () => {
        const { service, caller } = harness();
        await service.set(caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'a.b', value: 1 }, { key: 'c', value: 2 }] });
        const repaired = await service.repair(caller('root'), alice, { items: ['a'] });
        expect(repaired).toEqual({ subject: { namespace: 'user', id: 'u-alice', name: 'alice' }, majorRevision: 2, removed: { items: ['a.b'], stateKeys: [], stateOps: 0 } });
        expect((await service.get(caller('alice'), { namespace: 'user', ref: 'me' })).items.map((i) => i.key)).toEqual(['c']);
    });

    it("removes another user's state entry that the owner could not remove", async () => {
        const { service, caller, db } = harness();
        await service.state(caller('bob'), alice, { key: 'poison', op: 'add', value: 'x' });
        await service.state(caller('carol'), alice, { key: 'poison', op: 'add', value: 'y' });
        const repaired = await service.repair(caller('root'), alice, { state: [{ key: 'poison', userId: 'u-bob' }] });
        expect(repaired.removed).toEqual({ items: [], stateKeys: ['poison'], stateOps: 1 });
        expect((await service.get(caller('alice'), alice)).state.poison.byUser).toEqual({ 'u-carol': ['y'] });
        expect(db.find('kind:state-op')).toHaveLength(1);
    });

    it('removes values stored under looser limits without sending them anywhere', async () => {
        const { service, caller, db } = harness();
        await service.state(caller('bob'), alice, { key: 'ok', op: 'add', value: 1 });
        // as an older version stored it, straight into persistence
        db.insertRaw(stateOpRecord({ namespace: 'user', id: 'u-alice' }, 'deep'), {
            kind: 'state-op',
            subject: { namespace: 'user', id: 'u-alice' },
            op: { id: 'deep', key: 'ok', type: 'set', op: 'add', userId: 'u-carol', at: 1, json: JSON.stringify(nested(95)) },
        });
        const repaired = await service.repair(caller('root'), alice, { state: 'all' });
        expect(repaired.removed).toEqual({ items: [], stateKeys: ['ok'], stateOps: 2 });
        expect(JSON.stringify(repaired)).not.toContain('bottom');
        expect((await service.get(caller('alice'), alice)).state).toEqual({});
    });

    it('removes every item when asked for all', async () => {
        const { service, caller } = harness();
        await service.set(caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }] });
        expect((await service.repair(caller('root'), alice, { items: 'all' })).removed.items).toEqual(['a', 'b']);
    });

    it('is for admins only: 403 for the owner', async () => {
        const { service, caller } = harness();
        const error = await failure(service.repair(caller('alice'), alice, { items: 'all' }));
        expect([error.status, error.code]).toEqual([403, 'forbidden']);
    });
});

import { describe, expect, it } from 'vitest';
import { opsToRepair, parseRepairRequest } from '../../src/core/repair';
import { StateOp } from '../../src/core/types';

describe('a repair request', () => {
    it('takes item keys as stored, even beyond the key rules of today', () => {
        const long = Array.from({ length: 100 }, () => 'a').join('.');
        expect(parseRepairRequest({ items: [long, 'x'] })).toEqual({ items: [long, 'x'] });
    });

    it('takes "all" for items and for state', () => {
        expect(parseRepairRequest({ items: 'all', state: 'all' })).toEqual({ items: 'all', state: 'all' });
    });

    it('takes state entries by key, optionally of one user', () => {
        expect(parseRepairRequest({ state: [{ key: 'k' }, { key: 'v', userId: 'u1' }] })).toEqual({ state: [{ key: 'k' }, { key: 'v', userId: 'u1' }] });
    });

    it('must name something to remove', () => {
        expect(() => parseRepairRequest({})).toThrow(/name what to remove/);
    });

    it('refuses unknown fields', () => {
        expect(() => parseRepairRequest({ items: 'all', everything: true })).toThrow(/unknown field "everything"/);
    });
});

describe('the state ops a repair removes', () => {
    const op = (id: string, key: string, userId: string): StateOp => ({ id, key, userId, type: 'set', op: 'add', at: 1, value: 1 });
    const ops = [op('1', 'k', 'a'), op('2', 'k', 'b'), op('3', 'v', 'a')];

    it("are all of a key's ops, or one user's", () => {
        expect(opsToRepair(ops, [{ key: 'k' }]).map((o) => o.id)).toEqual(['1', '2']);
        expect(opsToRepair(ops, [{ key: 'k', userId: 'b' }]).map((o) => o.id)).toEqual(['2']);
    });

    it('are every op for "all", none when state is not named', () => {
        expect(opsToRepair(ops, 'all')).toHaveLength(3);
        expect(opsToRepair(ops, undefined)).toEqual([]);
    });
});

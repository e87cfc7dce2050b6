import { describe, expect, it } from 'vitest';
import { foldState } from '../../../src/core/state';
import { StateOp } from '../../../src/core/types';
import { act, run } from './helpers';

function op(fields: Partial<StateOp> & Pick<StateOp, 'id' | 'at' | 'userId' | 'op'>): StateOp {
    return { key: 'k', type: 'lww', ...fields };
}

describe('reading the state', () => {
    it('shows each user their set and a summary per element', () => {
        const log = run([
            ['alice', { key: 'lunch', op: 'add', value: 'pizza' }],
            ['alice', { key: 'lunch', op: 'add', value: 'sushi' }],
            ['bob', { key: 'lunch', op: 'add', value: 'sushi' }],
        ]);
        expect(foldState(log)).toEqual({
            lunch: {
                type: 'set',
                byUser: { alice: ['pizza', 'sushi'], bob: ['sushi'] },
                summary: [
                    { value: 'sushi', count: 2, users: ['alice', 'bob'] },
                    { value: 'pizza', count: 1, users: ['alice'] },
                ],
            },
        });
    });

    it('orders a set and a tied summary by canonical JSON', () => {
        const log = run([
            ['bob', { key: 's', op: 'add', value: { b: 1, a: 2 } }],
            ['bob', { key: 's', op: 'add', value: 'a' }],
            ['carol', { key: 's', op: 'add', value: 3 }],
        ]);
        const view = foldState(log).s;
        expect(view.byUser.bob).toEqual(['a', { a: 2, b: 1 }]);
        expect(view.summary.map((entry) => entry.value)).toEqual(['a', 3, { a: 2, b: 1 }]);
    });

    it('takes an element out of the set when its holder removes it', () => {
        const log = run([
            ['alice', { key: 'tags', op: 'add', value: 'x' }],
            ['alice', { key: 'tags', op: 'add', value: 'y' }],
            ['alice', { key: 'tags', op: 'remove', value: 'x' }],
        ]);
        expect(foldState(log).tags.byUser).toEqual({ alice: ['y'] });
    });

    it('keeps an add made on another instance while the same element was being removed', () => {
        const seenByBoth = run([['alice', { key: 'tags', op: 'add', value: 'x' }]]);
        const onInstanceA = act(seenByBoth, 'alice', { key: 'tags', op: 'remove', value: 'x' });
        const onInstanceB = act(seenByBoth, 'alice', { key: 'tags', op: 'add', value: 'x' });
        const merged = [...onInstanceA, onInstanceB[onInstanceB.length - 1]];
        expect(foldState(merged).tags.byUser).toEqual({ alice: ['x'] });
    });

    it('omits users whose set is empty, and keys nobody holds a value for', () => {
        const log = run([
            ['alice', { key: 'tags', op: 'add', value: 'x' }],
            ['alice', { key: 'tags', op: 'remove', value: 'x' }],
        ]);
        expect(foldState(log)).toEqual({});
    });

    it('first writer wins: the first add sticks', () => {
        const ops = [
            op({ id: 'b', at: 2, userId: 'u', op: 'add', value: 'second', type: 'fww' }),
            op({ id: 'a', at: 1, userId: 'u', op: 'add', value: 'first', type: 'fww' }),
        ];
        expect(foldState(ops).k.byUser).toEqual({ u: 'first' });
    });

    it('last writer wins: the latest add wins, ties broken by id', () => {
        const ops = [
            op({ id: 'a', at: 1, userId: 'u', op: 'add', value: 'old' }),
            op({ id: 'c', at: 2, userId: 'u', op: 'add', value: 'newest' }),
            op({ id: 'b', at: 2, userId: 'u', op: 'add', value: 'newer' }),
        ];
        expect(foldState(ops).k.byUser).toEqual({ u: 'newest' });
    });

    it('last writer wins with unset: a later remove leaves no value, a later add sets it again', () => {
        const removed = run([
            ['alice', { key: 'typing', type: 'lwwn', op: 'add', value: true }],
            ['alice', { key: 'typing', op: 'remove' }],
        ]);
        expect(foldState(removed)).toEqual({});
        const setAgain = act(removed, 'alice', { key: 'typing', op: 'add', value: 'yes' });
        expect(foldState(setAgain).typing.byUser).toEqual({ alice: 'yes' });
    });

    it("a user's value never changes another user's", () => {
        const log = run([
            ['alice', { key: 'mood', type: 'lww', op: 'add', value: 'happy' }],
            ['bob', { key: 'mood', op: 'add', value: 'tired' }],
        ]);
        expect(foldState(log).mood.byUser).toEqual({ alice: 'happy', bob: 'tired' });
    });

    it("ignores ops whose type differs from the key's first type (a lost race)", () => {
        const ops = [
            op({ id: 'a', at: 1, userId: 'u', op: 'add', value: 1, type: 'lww' }),
            op({ id: 'b', at: 1, userId: 'v', op: 'add', value: 2, type: 'set' }),
        ];
        expect(foldState(ops)).toEqual({ k: { type: 'lww', byUser: { u: 1 }, summary: [{ value: 1, count: 1, users: ['u'] }] } });
    });

    it('counts an op stored twice once', () => {
        const log = run([['alice', { key: 'tags', op: 'add', value: 'x' }]]);
        expect(foldState([...log, ...log]).tags.summary).toEqual([{ value: 'x', count: 1, users: ['alice'] }]);
    });

    it('sorts the summary by how many users hold a value, most first', () => {
        const log = run([
            ['a', { key: 'v', type: 'lww', op: 'add', value: 'no' }],
            ['b', { key: 'v', op: 'add', value: 'yes' }],
            ['c', { key: 'v', op: 'add', value: 'yes' }],
        ]);
        expect(foldState(log).v.summary.map((entry) => [entry.value, entry.count])).toEqual([
            ['yes', 2],
            ['no', 1],
        ]);
    });
});

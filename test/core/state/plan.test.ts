import { describe, expect, it } from 'vitest';
import { planStateOp } from '../../../src/core/state';
import { StateRequest } from '../../../src/core/types';
import { expectError } from '../helpers';
import { act, run, stateContext } from './helpers';

describe('planning a state operation', () => {
    it('gives a new key the type "set" when no type is asked for', () => {
        const op = planStateOp([], { key: 'votes', op: 'add', value: 'yes' }, stateContext('alice'));
        expect(op).toMatchObject({ key: 'votes', type: 'set', op: 'add', userId: 'alice', value: 'yes', at: 1000 });
        expect(op.id).toMatch(/^op/);
    });

    it('uses the type asked for on a new key', () => {
        expect(planStateOp([], { key: 'k', type: 'lww', op: 'add', value: 1 }, stateContext('alice')).type).toBe('lww');
    });

    it("uses the key's existing type when none is asked for", () => {
        const log = run([['alice', { key: 'k', type: 'fww', op: 'add', value: 1 }]]);
        expect(planStateOp(log, { key: 'k', op: 'add', value: 2 }, stateContext('bob')).type).toBe('fww');
    });

    it("refuses a type other than the key's first type", () => {
        const log = run([['alice', { key: 'k', type: 'lww', op: 'add', value: 1 }]]);
        const error = expectError(
            () => planStateOp(log, { key: 'k', type: 'set', op: 'add', value: 1 }, stateContext('bob')),
            'type_mismatch',
        );
        expect(error.message).toContain('"lww"');
    });

    it('validates the key and the value like items', () => {
        expectError(() => planStateOp([], { key: 'a..b', op: 'add', value: 1 }, stateContext('a')), 'invalid_key');
        expectError(() => planStateOp([], { key: 'k', op: 'add' }, stateContext('a')), 'invalid_value');
        expectError(() => planStateOp([], { key: 'k', op: 'add', value: null as never }, stateContext('a')), 'invalid_value');
        expectError(
            () => planStateOp([], { key: 'k', op: 'add', value: 'x'.repeat(20000) }, stateContext('a')),
            'too_large',
        );
    });

    it('refuses an unknown op or type', () => {
        expectError(() => planStateOp([], { key: 'k', op: 'toggle' } as unknown as StateRequest, stateContext('a')), 'invalid_request');
        expectError(
            () => planStateOp([], { key: 'k', op: 'add', type: 'counter', value: 1 } as unknown as StateRequest, stateContext('a')),
            'invalid_request',
        );
    });

    it('orders a new op after every op of the key even when this clock is behind', () => {
        const log = act([], 'alice', { key: 'k', type: 'lww', op: 'add', value: 1 }, 5000);
        expect(planStateOp(log, { key: 'k', op: 'add', value: 2 }, stateContext('bob', 100)).at).toBe(5001);
    });

    it('uses the wall clock when it is ahead', () => {
        const log = act([], 'alice', { key: 'k', type: 'lww', op: 'add', value: 1 }, 5000);
        expect(planStateOp(log, { key: 'k', op: 'add', value: 2 }, stateContext('bob', 9000)).at).toBe(9000);
    });

    it('a set remove names the adds of that value the user holds', () => {
        const log = run([
            ['alice', { key: 'tags', op: 'add', value: 'x' }],
            ['alice', { key: 'tags', op: 'add', value: 'x' }],
            ['bob', { key: 'tags', op: 'add', value: 'x' }],
            ['alice', { key: 'tags', op: 'add', value: 'y' }],
        ]);
        const remove = planStateOp(log, { key: 'tags', op: 'remove', value: 'x' }, stateContext('alice'));
        expect(remove).toMatchObject({ op: 'remove', value: 'x', removes: [log[0].id, log[1].id] });
    });

    // Decision: removing an element you do not hold is answered like removing a missing item (404),
    // so a typo in the value does not pass silently.
    it('removing a set element you do not hold is item_not_found', () => {
        const log = run([['bob', { key: 'tags', op: 'add', value: 'x' }]]);
        expectError(() => planStateOp(log, { key: 'tags', op: 'remove', value: 'x' }, stateContext('alice')), 'item_not_found');
    });

    it('a set remove needs the value to remove', () => {
        const log = run([['alice', { key: 'tags', op: 'add', value: 'x' }]]);
        expectError(() => planStateOp(log, { key: 'tags', op: 'remove' }, stateContext('alice')), 'invalid_value');
    });

    it('first writer wins: a second add by the same user is refused', () => {
        const log = run([['alice', { key: 'pick', type: 'fww', op: 'add', value: 1 }]]);
        const error = expectError(
            () => planStateOp(log, { key: 'pick', op: 'add', value: 2 }, stateContext('alice')),
            'operation_not_allowed',
        );
        expect(error.message).toContain('first writer wins');
    });

    it('first writer wins: another user still makes their own first add', () => {
        const log = run([['alice', { key: 'pick', type: 'fww', op: 'add', value: 1 }]]);
        expect(planStateOp(log, { key: 'pick', op: 'add', value: 2 }, stateContext('bob')).value).toBe(2);
    });

    it('first writer wins: remove is not allowed', () => {
        const log = run([['alice', { key: 'pick', type: 'fww', op: 'add', value: 1 }]]);
        expectError(() => planStateOp(log, { key: 'pick', op: 'remove' }, stateContext('alice')), 'operation_not_allowed');
    });

    it('last writer wins: remove is not allowed', () => {
        const log = run([['alice', { key: 'mood', type: 'lww', op: 'add', value: 'ok' }]]);
        expectError(() => planStateOp(log, { key: 'mood', op: 'remove' }, stateContext('alice')), 'operation_not_allowed');
    });

    it('last writer wins with unset: remove needs no value', () => {
        const log = run([['alice', { key: 'typing', type: 'lwwn', op: 'add', value: true }]]);
        const remove = planStateOp(log, { key: 'typing', op: 'remove' }, stateContext('alice'));
        expect(remove).toMatchObject({ op: 'remove', type: 'lwwn' });
        expect(remove).not.toHaveProperty('value');
    });

    it('last writer wins with unset: removing a value you do not have is item_not_found', () => {
        const log = run([['bob', { key: 'typing', type: 'lwwn', op: 'add', value: true }]]);
        expectError(() => planStateOp(log, { key: 'typing', op: 'remove' }, stateContext('alice')), 'item_not_found');
    });

    it('only the key asked for decides', () => {
        const log = run([['alice', { key: 'other', type: 'lww', op: 'add', value: 1 }]]);
        expect(planStateOp(log, { key: 'k', op: 'add', value: 1 }, stateContext('alice'))).toMatchObject({ type: 'set', at: 1000 });
    });
});

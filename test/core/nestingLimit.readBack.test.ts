// SPEC §12: whatever a write is acknowledged for can be read back. The engine's channel to the app's runtime is
// msgpack with maxDepth 100, envelopes included; these properties put everything the core accepts into every
// envelope the app sends it in — built with the app's own code where it exists — and encode it with the same
// msgpack the engine uses. The nesting rule (src/core/limits.ts) must keep every one of them sendable.
import { Encoder } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../support/propertyRuns';

import { JsonObject, JsonValue } from '../../src/core/json';
import {
    DEFAULT_LIMITS, ENGINE_CHANNEL_DEPTH, MAX_KEY_SEGMENTS, MAX_NESTING_DEPTH, validateCause,
} from '../../src/core/limits';
import { applyMerge, applySet, emptySet } from '../../src/core/metadataSet';
import { foldState, planStateOp } from '../../src/core/state';
import { Cause, Limits, MetadataSet, StateOp, StateType } from '../../src/core/types';
import { parseSettings } from '../../src/engine/settingsReader';
import { buildView } from '../../src/service/buildView';
import { ChangeNotice } from '../../src/service/types';
import { visibleChange } from '../../src/access/visibility';
import { snapshotEvent, updateEventFor } from '../../src/surfaces/events/buildEvent';
import { mirroredCustomFields } from '../../src/surfaces/mirror/mirroredCustomFields';
import { context } from './helpers';

const subject = { namespace: 'user' as const, id: 'u1', name: 'alice' };
const actor = { id: 'u1', username: 'alice', roles: [] };
const user = { id: 'u1', username: 'alice', customFields: {} as Record<string, unknown> };

/** The engine's encoder: msgpack's default maxDepth, which is the channel's limit. */
function sendable(message: unknown): boolean {
    try {
        new Encoder().encode(message);
        return true;
    } catch (error) {
        if (error instanceof Error && /Too deep/.test(error.message)) return false;
        throw error;
    }
}

/** How far below the frame a message's deepest node sits (msgpack counts the frame as 1, and refuses 101). */
function channelDepth(message: unknown): number {
    let deepest = 0;
    const pending: Array<[unknown, number]> = [[message, 0]];
    while (pending.length > 0) {
        const [node, depth] = pending.pop() as [unknown, number];
        deepest = Math.max(deepest, depth);
        if (typeof node === 'object' && node !== null) {
            for (const member of Array.isArray(node) ? node : Object.values(node)) pending.push([member, depth + 1]);
        }
    }
    return deepest;
}

const request = (method: string, params: unknown[]) => ({ jsonrpc: '2.0', id: 'r1', method, params });
const success = (result: unknown) => ({ jsonrpc: '2.0', id: 'r1', result: { value: result, logs: [] } });

/**
 * Every message that carries a subject's data, as the engine's channel sees it: the app's HTTP answer, the
 * request a client sends back, the event to a subscriber (SNAPSHOT and UPDATE, with the mirror inside the
 * message's room), the customFields mirror of a room and of a user, and the planned webhook body and history
 * answer (SPEC §14, §15) in the shapes the spec gives.
 */
function envelopes(set: MetadataSet, stateOps: StateOp[], cause?: Cause): Record<string, unknown> {
    const state = foldState(stateOps);
    const view = buildView(subject, set, state, true);
    const notice: ChangeNotice = {
        subject, actor, at: 'now', majorRevision: set.majorRevision, changed: set.items.map((i) => i.key), removed: [],
        stateChanged: Object.keys(state), set, before: emptySet(), state, ...(cause === undefined ? {} : { cause }),
    };
    const mirror = mirroredCustomFields(undefined, 'metadata', set.items.map((item) => ({ ...item, visibility: 'public' as const })));
    const room = { id: 'r1', slugifiedName: 'team', customFields: mirror };
    const message = (event: unknown) => ({ room, sender: user, text: 'x', customFields: { metadataEvent: event } });
    return {
        httpAnswer: success({ status: 200, headers: { 'content-type': 'application/json' }, content: view }),
        httpRequestBack: request('api:metadata/:ns/:id:put', [{ method: 'put', content: { items: view.items.map(({ key, value }) => ({ key, value })), cause } }, {}]),
        updateEvent: request('bridges:getMessageBridge:doNotifyUser', [user, message(updateEventFor(notice, visibleChange(notice, true) ?? { changed: [], removed: [], stateChanged: [], mayReadPrivate: true })), 'app']),
        snapshotEvent: request('bridges:getMessageBridge:doNotifyUser', [user, message(snapshotEvent(view, actor, 'now')), 'app']),
        roomMirror: request('bridges:getRoomBridge:doUpdate', [{ id: 'r1', customFields: mirror }, [], 'app']),
        userMirror: request('accessor:getModifier:getUpdater:getUserUpdater:updateCustomFields', [{ ...user, customFields: mirror }, mirror]),
        webhookPlanned: request('accessor:getHttp:post', ['https://hook', { headers: {}, data: { id: 'd1', type: 'UPDATE', ...view, changed: [], removed: [], stateChanged: [], actor, at: 'now', cause } }]),
        historyPlanned: success({ status: 200, headers: {}, content: { changes: [{ majorRevision: 1, changed: view.items.map(({ key, value, visibility }) => ({ key, value, visibility })), removed: [] }] } }),
    };
}

/** A value of exactly `levels` levels: a chain of arrays and objects, with shallow siblings beside it. */
function valueOf(levels: number, kinds: boolean[], wide: boolean, leaf: JsonValue): JsonValue {
    let value = leaf;
    for (let i = 0; i < levels; i++) {
        const asArray = kinds[i % kinds.length];
        // A shallow container beside the chain only where the chain is already deeper than it.
        const beside: JsonValue = i === 0 ? 'x' : { s: 'x' };
        if (asArray) value = wide ? [1, value, beside] : [value];
        else value = wide ? { x: 'y', n: value, e: beside } : { n: value };
    }
    return value;
}

const keyOf = (segments: number) => Array.from({ length: segments }, (_, i) => `k${i}`).join('.');

const shape = fc.record({
    limit: fc.oneof(fc.constant(DEFAULT_LIMITS.nestingDepth), fc.constant(MAX_NESTING_DEPTH), fc.integer({ min: 1, max: MAX_NESTING_DEPTH })),
    segments: fc.integer({ min: 1, max: MAX_NESTING_DEPTH + 2 }),
    levels: fc.integer({ min: 0, max: MAX_NESTING_DEPTH + 2 }),
    kinds: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
    wide: fc.boolean(),
    leaf: fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean()),
    type: fc.constantFrom<StateType>('set', 'fww', 'lww', 'lwwn'),
}).map((s) => ({
    ...s,
    levels: Math.min(s.levels, s.limit + 2),
    segments: Math.min(s.segments, s.limit + 2),
}));

function limitsFor(limit: number): Limits {
    return { ...DEFAULT_LIMITS, nestingDepth: limit, keySegments: MAX_KEY_SEGMENTS, valueBytes: 1 << 20, setBytes: 1 << 22 };
}

function attempt<T>(action: () => T): T | undefined {
    try {
        return action();
    } catch {
        return undefined;
    }
}

function expectAllSendable(all: Record<string, unknown>): void {
    for (const [name, message] of Object.entries(all)) {
        expect(sendable(message), `${name} is ${channelDepth(message)} levels deep`).toBe(true);
    }
}

describe('the nesting rule keeps everything accepted within the engine channel in every envelope', () => {
    it('item writes: accepted exactly when segments + levels fit, and then sendable everywhere', () => {
        fc.assert(fc.property(shape, ({ limit, segments, levels, kinds, wide, leaf }) => {
            const key = keyOf(segments);
            const value = valueOf(levels, kinds, wide, leaf);
            const ctx = context({ limits: limitsFor(limit) });
            const written = attempt(() => applySet(emptySet(), { items: [{ key, value, visibility: 'public' }] }, ctx));
            expect(written !== undefined, `${segments} segments + ${levels} levels, limit ${limit}`).toBe(segments + levels <= limit);
            if (written) expectAllSendable(envelopes(written.set, []));
        }), { numRuns: propertyRuns(300) });
    });

    it('documents and merge patches: accepted only within the limit, and then sendable everywhere', () => {
        fc.assert(fc.property(shape, ({ limit, segments, levels, kinds, wide, leaf }) => {
            let document: JsonValue = valueOf(levels, kinds, wide, leaf);
            for (let i = segments - 1; i >= 0; i--) document = { [`k${i}`]: document };
            const ctx = context({ limits: limitsFor(limit) });
            const viaDocument = attempt(() => applySet(emptySet(), { document: document as JsonObject }, ctx));
            const viaMerge = attempt(() => applyMerge(emptySet(), { patch: document as JsonObject }, ctx));
            for (const written of [viaDocument, viaMerge]) {
                if (written) expectAllSendable(envelopes(written.set, []));
            }
            if (segments + levels > limit) expect([viaDocument, viaMerge]).toEqual([undefined, undefined]);
        }), { numRuns: propertyRuns(200) });
    });

    it('state values of every type: accepted only within the limit, and then sendable everywhere', () => {
        fc.assert(fc.property(shape, ({ limit, segments, levels, kinds, wide, leaf, type }) => {
            const key = keyOf(segments);
            const value = valueOf(levels, kinds, wide, leaf);
            const ctx = { userId: 'u1', now: 1, newId: () => 'op1', limits: limitsFor(limit) };
            const op = attempt(() => planStateOp([], { key, type, op: 'add', value }, ctx));
            expect(op !== undefined).toBe(segments + levels <= limit);
            if (op) expectAllSendable(envelopes(emptySet(), [op, { ...op, id: 'op2', userId: 'u2' }]));
        }), { numRuns: propertyRuns(200) });
    });

    it('causes: accepted only within the limit, and then sendable with the event', () => {
        fc.assert(fc.property(shape, ({ limit, levels, kinds, wide, leaf }) => {
            const cause = { c: valueOf(Math.max(0, levels - 1), kinds, wide, leaf) };
            const checked = attempt(() => validateCause(cause, limitsFor(limit)));
            expect(checked !== undefined).toBe(Math.max(1, levels) <= limit);
            if (checked !== undefined) expectAllSendable(envelopes(emptySet(), [], checked));
        }), { numRuns: propertyRuns(100) });
    });

    it('at the highest limit an admin can set, the deepest envelope (a set element in an event) is limit + 8 levels', () => {
        const limit = parseSettings({ nestingDepth: 1000, keySegments: 1000 }).nestingDepth;
        expect(limit).toBe(MAX_NESTING_DEPTH);
        const ctx = { userId: 'u1', now: 1, newId: () => 'op1', limits: limitsFor(limit) };
        const op = planStateOp([], { key: 'k', type: 'set', op: 'add', value: valueOf(limit - 1, [true], false, 1) }, ctx);
        const all = envelopes(emptySet(), [op]);
        expectAllSendable(all);
        expect(Math.max(...Object.values(all).map(channelDepth))).toBe(limit + 8);
        expect(limit + 8).toBeLessThanOrEqual(ENGINE_CHANNEL_DEPTH);
    });

    it('the channel carries exactly ENGINE_CHANNEL_DEPTH levels below a frame, and refuses one more', () => {
        let value: JsonValue = 1;
        for (let i = 0; i < ENGINE_CHANNEL_DEPTH; i++) value = [value];
        expect(channelDepth(value)).toBe(ENGINE_CHANNEL_DEPTH);
        expect(sendable(value)).toBe(true);
        expect(sendable([value])).toBe(false);
    });
});

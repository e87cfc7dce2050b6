import { JsonValue } from '../../../src/core/json';
import { ErrorCode } from '../../../src/core/errors';
import { StateOp, StateRequest, StateType } from '../../../src/core/types';

/*
 * A textbook model of the collaborative state of SPEC §5, written for the tests and sharing no code
 * with src/core/state: each replica applies ops in the order they are DELIVERED to it (no sorting, no
 * log), with the classic op-based semantics of each type:
 *
 * - set (observed-remove set): every add has a unique tag (its id); a remove removes exactly the tags
 *   it names (those its replica had observed), and a tag once removed stays removed (a tombstone, so
 *   a remove delivered before its add still wins over it).
 * - fww: a register holding the user's add with the SMALLEST (at, id).
 * - lww: a register holding the user's add with the GREATEST (at, id).
 * - lwwn: a register holding the user's write (add or remove) with the greatest (at, id); a remove
 *   there means "no value".
 * - A key's type is the type of its op with the smallest (at, id); ops of any other type do not count.
 *
 * The model also says what a replica must answer to a request (SPEC §5 and the error codes of §7),
 * judged on what that replica has seen.
 */

/** (at, id): the one order every replica agrees on. */
export function before(a: Pick<StateOp, 'at' | 'id'>, b: Pick<StateOp, 'at' | 'id'>): boolean {
    return a.at < b.at || (a.at === b.at && a.id < b.id);
}

/** Test values are strings, numbers and one-key objects: JSON.stringify is canonical for them. */
const text = (value: JsonValue | undefined): string => JSON.stringify(value) ?? 'undefined';

interface OrSet {
    /** tag -> element */
    adds: Map<string, JsonValue>;
    /** tags some remove named */
    tombstones: Set<string>;
}

/** What the model says a user's value is: `undefined` for none; for a set, its distinct elements. */
export type ModelValue = { kind: 'set'; elements: JsonValue[] } | { kind: 'register'; value: JsonValue };

export interface ModelKeyView {
    type: StateType;
    byUser: Record<string, JsonValue>;
    /** canonical value -> the users holding it (sorted) */
    holders: Record<string, string[]>;
}

export type ModelView = Record<string, ModelKeyView>;

/** What a request must give: the op's type (and a set remove's tags), or the error code. */
export type ModelAnswer = { ok: true; type: StateType; removes?: string[] } | { ok: false; code: ErrorCode };

export class ModelReplica {
    private readonly delivered = new Set<string>();
    /** key -> the op with the smallest (at, id): it fixes the key's type */
    private readonly firstOp = new Map<string, StateOp>();
    /** `${key}\n${type}\n${user}` -> that user's state of that type on that key */
    private readonly sets = new Map<string, OrSet>();
    private readonly registers = new Map<string, StateOp>();
    /** every op seen, for the HLC check only */
    private readonly latestAt = new Map<string, number>();

    receive(op: StateOp): void {
        if (this.delivered.has(op.id)) return; // delivery is at-least-once; each op applies once
        this.delivered.add(op.id);
        const first = this.firstOp.get(op.key);
        if (!first || before(op, first)) this.firstOp.set(op.key, op);
        this.latestAt.set(op.key, Math.max(this.latestAt.get(op.key) ?? -Infinity, op.at));
        const slot = `${op.key}\n${op.type}\n${op.userId}`;
        switch (op.type) {
            case 'set': {
                const state = this.sets.get(slot) ?? { adds: new Map(), tombstones: new Set() };
                this.sets.set(slot, state);
                if (op.op === 'add') {
                    if (!state.tombstones.has(op.id)) state.adds.set(op.id, op.value!);
                } else {
                    for (const tag of op.removes ?? []) {
                        state.tombstones.add(tag);
                        state.adds.delete(tag);
                    }
                }
                return;
            }
            case 'fww': {
                const held = this.registers.get(slot);
                if (op.op === 'add' && (!held || before(op, held))) this.registers.set(slot, op);
                return;
            }
            case 'lww': {
                const held = this.registers.get(slot);
                if (op.op === 'add' && (!held || before(held, op))) this.registers.set(slot, op);
                return;
            }
            case 'lwwn': {
                const held = this.registers.get(slot);
                if (!held || before(held, op)) this.registers.set(slot, op);
                return;
            }
        }
    }

    typeOf(key: string): StateType | undefined {
        return this.firstOp.get(key)?.type;
    }

    /** The latest `at` this replica has seen for the key: a new op must come after it. */
    latest(key: string): number {
        return this.latestAt.get(key) ?? -Infinity;
    }

    valueOf(key: string, type: StateType, userId: string): ModelValue | undefined {
        const slot = `${key}\n${type}\n${userId}`;
        if (type === 'set') {
            const state = this.sets.get(slot);
            const distinct = new Map<string, JsonValue>();
            for (const element of state?.adds.values() ?? []) distinct.set(text(element), element);
            if (distinct.size === 0) return undefined;
            return { kind: 'set', elements: [...distinct.keys()].sort().map((canonical) => distinct.get(canonical)!) };
        }
        const held = this.registers.get(slot);
        if (!held || held.op === 'remove') return undefined;
        return { kind: 'register', value: held.value! };
    }

    /** The tags of a user's present adds of `element`: what a remove of it must name. */
    tagsOf(key: string, userId: string, element: JsonValue): string[] {
        const state = this.sets.get(`${key}\nset\n${userId}`);
        return [...(state?.adds.entries() ?? [])].filter(([, value]) => text(value) === text(element)).map(([tag]) => tag).sort();
    }

    /** SPEC §5: what this replica must answer `userId`'s request with, on what it has seen. */
    answer(userId: string, request: StateRequest): ModelAnswer {
        const fixed = this.typeOf(request.key);
        if (request.type !== undefined && fixed !== undefined && request.type !== fixed) return { ok: false, code: 'type_mismatch' };
        const type = fixed ?? request.type ?? 'set';
        const current = this.valueOf(request.key, type, userId);
        if (request.op === 'add') {
            // fww: the caller's first add sticks; later adds by that caller are rejected.
            if (type === 'fww' && current !== undefined) return { ok: false, code: 'operation_not_allowed' };
            return { ok: true, type };
        }
        switch (type) {
            case 'fww':
            case 'lww':
                return { ok: false, code: 'operation_not_allowed' };
            case 'lwwn':
                return current === undefined ? { ok: false, code: 'item_not_found' } : { ok: true, type };
            case 'set': {
                const tags = this.tagsOf(request.key, userId, request.value!);
                return tags.length === 0 ? { ok: false, code: 'item_not_found' } : { ok: true, type, removes: tags };
            }
        }
    }

    view(): ModelView {
        const users = new Set<string>();
        for (const slot of [...this.sets.keys(), ...this.registers.keys()]) users.add(slot.split('\n')[2]);
        const view: ModelView = {};
        for (const [key, first] of this.firstOp) {
            const byUser: Record<string, JsonValue> = {};
            const holders: Record<string, string[]> = {};
            for (const userId of [...users].sort()) {
                const value = this.valueOf(key, first.type, userId);
                if (value === undefined) continue;
                byUser[userId] = value.kind === 'set' ? value.elements : value.value;
                for (const held of value.kind === 'set' ? value.elements : [value.value]) (holders[text(held)] ??= []).push(userId);
            }
            if (Object.keys(byUser).length > 0) view[key] = { type: first.type, byUser, holders };
        }
        return view;
    }
}

/** The app's view in the model's shape: set elements sorted by their JSON, the summary as value -> holders. */
export function comparable(view: Record<string, { type: StateType; byUser: Record<string, JsonValue>; summary: { value: JsonValue; count: number; users: string[] }[] }>): ModelView {
    const out: ModelView = {};
    for (const [key, entry] of Object.entries(view)) {
        const byUser: Record<string, JsonValue> = {};
        for (const [userId, value] of Object.entries(entry.byUser)) {
            byUser[userId] = entry.type === 'set' && Array.isArray(value) ? [...value].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0)) : value;
        }
        const holders: Record<string, string[]> = {};
        for (const summary of entry.summary) {
            if (summary.count !== summary.users.length) throw new Error(`summary count ${summary.count} for ${summary.users.length} users`);
            holders[text(summary.value)] = [...summary.users].sort();
        }
        out[key] = { type: entry.type, byUser, holders };
    }
    return out;
}

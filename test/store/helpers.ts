import { JsonValue } from '../../src/core/json';
import { MetadataError } from '../../src/core/errors';
import { Item, StateOp, SubjectRef, WriteOutcome } from '../../src/core/types';
import { MetadataStore, StoreOptions } from '../../src/store/MetadataStore';
import { SubjectSnapshot } from '../../src/core/types';
import { SubjectLocks } from '../../src/core/subjectLocks';
import { MemoryConnection, MemoryDatabase, MemoryDatabaseOptions, seededRandom } from '../support/memoryPersistence';

export const alice: SubjectRef = { namespace: 'user', id: 'alice' };
export const general: SubjectRef = { namespace: 'room', id: 'general' };

/**
 * One simulated Rocket.Chat instance: its own accessors and its own per-process locks. `idle()` waits
 * for the clean-up the store runs after its answers.
 */
export function instance(
    db: MemoryDatabase,
    options: Partial<StoreOptions> = {},
): { store: MetadataStore; connection: MemoryConnection; idle: () => Promise<void> } {
    const connection = db.connect();
    const running: Promise<unknown>[] = [];
    const store = new MetadataStore(connection.read, connection.persistence, {
        locks: new SubjectLocks(),
        backoffMs: 2,
        background: (task) => void running.push(task().catch(() => undefined)),
        ...options,
    });
    const idle = async (): Promise<void> => {
        while (running.length > 0) await Promise.all(running.splice(0));
    };
    return { store, connection, idle };
}

export function database(options: MemoryDatabaseOptions = {}): MemoryDatabase {
    return new MemoryDatabase(options);
}

type Mutate = (current: SubjectSnapshot) => WriteOutcome;

/** A minimal `set`: overwrite `values`, bump the revision when anything changes. */
export function setItems(values: Record<string, JsonValue>, actor = 'u1'): Mutate {
    return ({ set }) => {
        const revision = set.majorRevision + 1;
        const byKey = new Map(set.items.map((item) => [item.key, item]));
        const changed: string[] = [];
        for (const [key, value] of Object.entries(values)) {
            if (JSON.stringify(byKey.get(key)?.value) === JSON.stringify(value)) continue;
            const item: Item = {
                key, value, revision, updatedAt: new Date(0).toISOString(), updatedBy: actor,
                visibility: byKey.get(key)?.visibility ?? 'private',
            };
            byKey.set(key, item);
            changed.push(key);
        }
        if (changed.length === 0) return { set, changed: [], removed: [], wrote: false };
        const items = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
        return { set: { majorRevision: revision, items }, changed: changed.sort(), removed: [], wrote: true };
    };
}

/** A minimal whole-set `remove`. */
export function removeAll(): Mutate {
    return ({ set }) => {
        if (set.items.length === 0) return { set, changed: [], removed: [], wrote: false };
        return {
            set: { majorRevision: set.majorRevision + 1, items: [] },
            changed: [],
            removed: set.items.map((i) => i.key),
            wrote: true,
        };
    };
}

/** CAS on the request's majorRevision, as the core does it. */
export function expecting(majorRevision: number, mutate: Mutate): Mutate {
    return (current) => {
        if (current.set.majorRevision !== majorRevision) {
            throw new MetadataError('revision_conflict', 'moved', { majorRevision: current.set.majorRevision, items: [] });
        }
        return mutate(current);
    };
}

let opCounter = 0;

/** A set-add op with a clock that stays ahead of the ops already seen. */
export function addToSet(key: string, value: JsonValue, userId: string): (current: SubjectSnapshot) => StateOp {
    return ({ stateOps }) => ({
        id: `op${String(++opCounter).padStart(6, '0')}-${userId}`,
        key,
        type: 'set',
        op: 'add',
        userId,
        at: Math.max(Date.now(), ...stateOps.filter((o) => o.key === key).map((o) => o.at + 1)),
        value,
    });
}

/** Holds the first `parties` calls of `method` until all have arrived, then lets every call run. */
export function gate(parties: number, method = 'readByAssociations'): (m: string) => Promise<void> {
    let arrived = 0;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return async (m) => {
        if (m !== method || arrived >= parties) return;
        arrived += 1;
        if (arrived === parties) open();
        await opened;
    };
}

/** Random latency after the gate opened, so calls of the instances interleave. */
export function racing(parties: number, seed: number, maxMs = 2): (m: string) => Promise<void> {
    const hold = gate(parties);
    const random = seededRandom(seed);
    return async (m) => {
        await hold(m);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * (maxMs + 1))));
    };
}

/** All field names anywhere in the stored data. */
export function fieldNames(value: unknown, into = new Set<string>()): Set<string> {
    if (Array.isArray(value)) value.forEach((v) => fieldNames(v, into));
    else if (typeof value === 'object' && value !== null) {
        for (const [name, inner] of Object.entries(value)) {
            into.add(name);
            fieldNames(inner, into);
        }
    }
    return into;
}

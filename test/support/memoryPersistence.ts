import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/*
 * An in-memory stand-in for the app persistence of a real Rocket.Chat server
 * (apps/meteor/app/apps/server/bridges/persistence.ts over one MongoDB collection), including the
 * behaviours that differ between server versions:
 *
 *   server 'A'  updateByAssociations answers `upsertedId || ''`; removeByAssociations deletes every match;
 *               the purge on uninstall deletes every record (`remove({appId})`)
 *   server 'B'  updateByAssociations answers `upsertedId.toString()`, which throws a TypeError AFTER the
 *               write whenever no record was inserted; removeByAssociations deletes only ONE match
 *               (`deleteOne`) but answers with the data of all of them; the purge deletes only ONE
 *               record (`deleteOne({appId})`), as current servers do
 *
 * Common to both: `update(id)` throws "Not implemented."; `updateByAssociations` matches the stored
 * associations array exactly (order included) and `$set`s `data` on the first match, inserting a new
 * record on upsert when nothing matches; `readByAssociations`/`removeByAssociations` match with `$all`
 * (supersets match, `[]` matches nothing); reads answer `data` only; removeByAssociations answers `[]`
 * when nothing matched (`find().toArray()` is never falsy); `read(id)` answers `{}` for a missing
 * record and is not scoped by app; ids are ObjectId strings (24 hex digits) and `remove(id)` throws for
 * anything else, as the driver's `new ObjectId(id)` does. Data crosses a JSON channel (as to the app's
 * Deno runtime), and an own `__proto__` key in it is refused, as that breaks the real channel.
 * test/support/persistenceContract.ts holds these rules; the host's SQLite bridge passes the same.
 *
 * One `MemoryDatabase` is the shared MongoDB; each `connect()` is one Rocket.Chat instance's accessors.
 * Every call is counted (per connection and in total) and may be delayed before and after it takes
 * effect, so that calls of several connections interleave.
 */

export type ServerVersion = 'A' | 'B';

export type PersistenceMethod =
    | 'read'
    | 'readByAssociation'
    | 'readByAssociations'
    | 'create'
    | 'createWithAssociation'
    | 'createWithAssociations'
    | 'update'
    | 'updateByAssociation'
    | 'updateByAssociations'
    | 'remove'
    | 'removeByAssociation'
    | 'removeByAssociations';

export type CallCounts = Partial<Record<PersistenceMethod, number>>;

export interface StoredAssociation {
    model: string;
    id: string;
}

export interface StoredRecord {
    _id: string;
    associations: StoredAssociation[];
    data: Record<string, unknown>;
}

export interface MemoryDatabaseOptions {
    /** sets both behaviours below; default 'A' */
    server?: ServerVersion;
    updateAnswer?: ServerVersion;
    removeDeletes?: 'all' | 'one';
    /** what `purge()` (an uninstall) deletes: every record, or one ('B', current servers) */
    purgeDeletes?: 'all' | 'one';
    /** awaited before a call takes effect and again before it answers */
    latency?: (method: PersistenceMethod) => Promise<void> | void;
}

type Fault = { method: PersistenceMethod; when: 'before' | 'after'; error: Error };

export class MemoryDatabase {
    readonly records: StoredRecord[] = [];
    /** every connection's calls together */
    readonly calls: CallCounts = {};
    private readonly updateAnswer: ServerVersion;
    private readonly removeDeletes: 'all' | 'one';
    private readonly purgeDeletes: 'all' | 'one';
    private latency: MemoryDatabaseOptions['latency'];
    private faults: Fault[] = [];
    private nextId = 1;

    /** ObjectId-shaped (24 hex digits), unique, in creation order */
    private newId(): string {
        return (this.nextId++).toString(16).padStart(24, '0');
    }

    constructor(options: MemoryDatabaseOptions = {}) {
        const server = options.server ?? 'A';
        this.updateAnswer = options.updateAnswer ?? server;
        this.removeDeletes = options.removeDeletes ?? (server === 'A' ? 'all' : 'one');
        this.purgeDeletes = options.purgeDeletes ?? (server === 'A' ? 'all' : 'one');
        this.latency = options.latency;
    }

    /** One Rocket.Chat instance's persistence accessors over this database. */
    connect(): MemoryConnection {
        return new MemoryConnection(this);
    }

    setLatency(latency: MemoryDatabaseOptions['latency']): void {
        this.latency = latency;
    }

    /** The next call of `method` fails: 'before' = nothing happens, 'after' = it takes effect, then throws. */
    failNext(method: PersistenceMethod, when: 'before' | 'after', error = new Error(`simulated ${method} failure`)): void {
        this.faults.push({ method, when, error });
    }

    resetCalls(): void {
        for (const key of Object.keys(this.calls)) delete this.calls[key as PersistenceMethod];
    }

    /** records whose associations hold all of these ids (any model) */
    find(...ids: string[]): StoredRecord[] {
        return this.records.filter((r) => ids.every((id) => r.associations.some((a) => a.id === id)));
    }

    /** Insert a record as-is (e.g. one written by an older app version), bypassing the accessors. */
    insertRaw(associations: RocketChatAssociationRecord[], data: unknown): void {
        this.records.push({ _id: this.newId(), associations: toStored(associations), data: data as Record<string, unknown> });
    }

    /**
     * What the server does to the app's records when the app is uninstalled: deletes every record, or —
     * `purgeDeletes: 'one'`, current servers (`deleteOne({appId})`) — only the first one.
     */
    purge(): void {
        this.records.splice(0, this.purgeDeletes === 'all' ? this.records.length : 1);
    }

    /** The purge of current servers, whatever this database's option: deletes one record only. */
    purgeOne(): void {
        this.records.splice(0, 1);
    }

    /** @internal the accessors' way in */
    async call<T>(method: PersistenceMethod, effect: () => T): Promise<T> {
        this.calls[method] = (this.calls[method] ?? 0) + 1;
        await this.latency?.(method);
        const index = this.faults.findIndex((f) => f.method === method);
        const fault = index >= 0 ? this.faults.splice(index, 1)[0] : undefined;
        if (fault?.when === 'before') throw fault.error;
        // The effect runs synchronously: each call is one atomic database operation.
        const answer = effect();
        await this.latency?.(method);
        if (fault?.when === 'after') throw fault.error;
        return answer;
    }

    /** @internal */
    insert(data: object, associations: RocketChatAssociationRecord[]): string {
        const stored = throughChannel(data);
        const _id = this.newId();
        this.records.push({ _id, associations: toStored(associations), data: stored });
        return _id;
    }

    /** @internal */
    matchingAll(associations: RocketChatAssociationRecord[]): StoredRecord[] {
        const wanted = toStored(associations);
        // MongoDB's `$all: []` matches nothing.
        if (wanted.length === 0) return [];
        return this.records.filter((r) => wanted.every((w) => r.associations.some((a) => sameAssociation(a, w))));
    }

    /** @internal */
    updateExact(associations: RocketChatAssociationRecord[], data: object, upsert: boolean): string {
        const wanted = toStored(associations);
        const stored = throughChannel(data);
        const match = this.records.find((r) => r.associations.length === wanted.length && r.associations.every((a, i) => sameAssociation(a, wanted[i])));
        let upsertedId: string | null = null;
        if (match) match.data = stored;
        else if (upsert) {
            upsertedId = this.newId();
            this.records.push({ _id: upsertedId, associations: wanted, data: stored });
        }
        if (this.updateAnswer === 'A') return upsertedId || '';
        // Server B: `result.upsertedId.toString()`, after the write.
        if (upsertedId === null) throw new TypeError("Cannot read properties of null (reading 'toString')");
        return upsertedId;
    }

    /** @internal */
    removeAll(associations: RocketChatAssociationRecord[]): object[] {
        const matches = this.matchingAll(associations);
        // `find(query).toArray()` is an array, empty or not: the server answers `[]` when nothing matched.
        const doomed = this.removeDeletes === 'all' ? matches : matches.slice(0, 1);
        for (const record of doomed) this.records.splice(this.records.indexOf(record), 1);
        return matches.map((r) => clone(r.data));
    }

    /** @internal */
    removeById(id: string): object | undefined {
        // The server's `new ObjectId(id)` throws before querying.
        if (typeof id !== 'string' || !/^[0-9a-fA-F]{24}$/.test(id)) throw new Error('input must be a 24 character hex string, 12 byte Uint8Array, or an integer');
        const index = this.records.findIndex((r) => r._id === id);
        return index < 0 ? undefined : clone(this.records.splice(index, 1)[0].data);
    }
}

export class MemoryConnection {
    readonly calls: CallCounts = {};
    readonly read: IPersistenceRead;
    readonly persistence: IPersistence;
    /** awaited before this instance sends a call (a slow or paused instance) */
    latency?: (method: PersistenceMethod) => Promise<void> | void;

    constructor(readonly database: MemoryDatabase) {
        const db = database;
        const call = async <T>(method: PersistenceMethod, effect: () => T): Promise<T> => {
            this.calls[method] = (this.calls[method] ?? 0) + 1;
            await this.latency?.(method);
            return db.call(method, effect);
        };
        const readAll = (associations: RocketChatAssociationRecord[]): object[] => db.matchingAll(associations).map((r) => clone(r.data));

        this.read = {
            // `record?.data || {}`: a missing record reads as {}.
            read: (id) => call('read', () => clone(db.records.find((r) => r._id === id)?.data ?? {}) as object),
            readByAssociation: (association) => call('readByAssociation', () => readAll([association])),
            readByAssociations: (associations) => call('readByAssociations', () => readAll(associations)),
        };
        this.persistence = {
            create: (data) => call('create', () => db.insert(data, [])),
            createWithAssociation: (data, association) => call('createWithAssociation', () => db.insert(data, [association])),
            createWithAssociations: (data, associations) => call('createWithAssociations', () => db.insert(data, associations)),
            update: () =>
                call('update', () => {
                    throw new Error('Not implemented.');
                }),
            updateByAssociation: (association, data, upsert = false) =>
                call('updateByAssociation', () => db.updateExact([association], data, upsert)),
            updateByAssociations: (associations, data, upsert = false) =>
                call('updateByAssociations', () => db.updateExact(associations, data, upsert)),
            remove: (id) => call('remove', () => db.removeById(id) as object),
            removeByAssociation: (association) => call('removeByAssociation', () => db.removeAll([association])),
            removeByAssociations: (associations) => call('removeByAssociations', () => db.removeAll(associations)),
        };
    }

    resetCalls(): void {
        for (const key of Object.keys(this.calls)) delete this.calls[key as PersistenceMethod];
    }
}

/** Sleeps a random 0..maxMs (from `random`) at every call, so that connections interleave. */
export function randomLatency(maxMs: number, random: () => number = Math.random): () => Promise<void> {
    return () => new Promise((resolve) => setTimeout(resolve, Math.floor(random() * (maxMs + 1))));
}

/** A small deterministic generator for reproducible interleavings. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function toStored(associations: RocketChatAssociationRecord[]): StoredAssociation[] {
    // The engine sends the record objects as JSON: `{model, id}`.
    return (JSON.parse(JSON.stringify(associations)) as StoredAssociation[]).map((a) => ({ model: a.model, id: a.id }));
}

function sameAssociation(a: StoredAssociation, b: StoredAssociation): boolean {
    return a.model === b.model && a.id === b.id;
}

function clone<T>(value: T): T {
    return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function throughChannel(data: object): Record<string, unknown> {
    if (typeof data !== 'object' || data === null) throw new Error('Attempted to store an invalid data type, it must be an object.');
    assertNoProtoKey(data, 'data');
    return clone(data) as Record<string, unknown>;
}

function assertNoProtoKey(value: unknown, path: string): void {
    if (typeof value !== 'object' || value === null) return;
    if (Object.prototype.hasOwnProperty.call(value, '__proto__')) {
        throw new Error(`own __proto__ key at ${path}: the app's channel to the engine breaks on it`);
    }
    for (const [key, inner] of Object.entries(value)) assertNoProtoKey(inner, `${path}.${key}`);
}

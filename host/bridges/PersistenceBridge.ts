import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { PersistenceBridge } from '@rocket.chat/apps-engine/server/bridges/PersistenceBridge';

import type { HostContext } from '../engine/context';
import { isObjectId, objectId } from '../store/ids';

interface RecordRow {
    seq: number;
    _id: string;
    data: string;
}

/**
 * The app persistence collection (`rocketchat_apps_persistence`) with Rocket.Chat's semantics
 * (apps/meteor/app/apps/server/bridges/persistence.ts), including the parts an app must survive:
 *  - records are `{_id, appId, associations, data}`; `_id` is an ObjectId string;
 *  - `readById` is NOT scoped by app and answers `{}` for a missing record;
 *  - `readByAssociations` / `removeByAssociations` match with `associations: {$all: [...]}`: every given
 *    association must be an element of the record's array (order free, extra elements allowed), comparing each
 *    association as a whole document — field order included, as Mongo compares embedded documents;
 *  - `updateByAssociations` matches `{appId, associations}` against the EXACT array (same elements, same order,
 *    same length), `$set`s `data` on the first match, or inserts `{appId, associations, data}` when upserting;
 *    its return value depends on the version (switch `updateByAssociations`);
 *  - `removeByAssociations` deletes one or all matches depending on the version (switch), and returns the data of
 *    all matches found before deleting;
 *  - `removeByAssociations` answers `[]` when nothing matched (the server's `find().toArray()` is never falsy);
 *  - `update(id, …)` throws "Not implemented.";
 *  - the purge on uninstall deletes ONE record (`deleteOne({appId})`, current servers) or all (switch `purge`);
 *  - there is no compare-and-set and no transaction spanning calls.
 * Records are kept in insertion order (Mongo's natural order for this collection). Data with an own `__proto__`
 * key is refused: on a server it never arrives (it breaks the app's channel to the engine, see ENGINE-NOTES.md).
 * Every write passes through the instance's fault injection (host/engine/faults.ts), which may hold it before it
 * takes effect. test/support/persistenceContract.ts holds these rules; test/support/memoryPersistence.ts passes
 * the same.
 */
export class HostPersistenceBridge extends PersistenceBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    private get db() {
        return this.ctx.store.db;
    }

    protected async purge(appId: string): Promise<void> {
        // Rocket.Chat purges an app's records when the app is uninstalled: current servers with
        // `deleteOne({appId})` — one record, the first in natural order —, older ones with `remove({appId})`.
        if (this.ctx.switches.purge === 'all') {
            this.db.prepare('DELETE FROM app_persistence WHERE app_id = ?').run(appId);
        } else {
            this.db.prepare('DELETE FROM app_persistence WHERE seq = (SELECT min(seq) FROM app_persistence WHERE app_id = ?)').run(appId);
        }
    }

    protected async create(data: object, appId: string): Promise<string> {
        return this.ctx.faults.write('create', appId, { data }, () => this.insert(appId, undefined, data));
    }

    protected async createWithAssociations(data: object, associations: Array<RocketChatAssociationRecord>, appId: string): Promise<string> {
        return this.ctx.faults.write('createWithAssociations', appId, { associations, data }, () => this.insert(appId, associations, data));
    }

    protected async readById(id: string, _appId: string): Promise<object> {
        const row = this.db.prepare<[string], { data: string }>('SELECT data FROM app_persistence WHERE _id = ?').get(id);
        return row ? JSON.parse(row.data) : {};
    }

    protected async readByAssociations(associations: Array<RocketChatAssociationRecord>, appId: string): Promise<Array<object>> {
        return this.findAll(appId, associations).map((r) => JSON.parse(r.data));
    }

    protected async remove(id: string, appId: string): Promise<object | undefined> {
        return this.ctx.faults.write('remove', appId, { id }, () => this.removeById(id, appId));
    }

    protected async removeByAssociations(associations: Array<RocketChatAssociationRecord>, appId: string): Promise<Array<object> | undefined> {
        return this.ctx.faults.write('removeByAssociations', appId, { associations }, () =>
            this.ctx.store.tx(() => {
                const rows = this.findAll(appId, associations);
                const doomed = this.ctx.switches.removeByAssociations === 'one' ? rows.slice(0, 1) : rows;
                for (const row of doomed) {
                    this.db.prepare('DELETE FROM app_persistence WHERE seq = ?').run(row.seq);
                }
                return rows.map((r) => JSON.parse(r.data));
            }),
        );
    }

    protected async update(id: string, data: object, _upsert: boolean, appId: string): Promise<string> {
        return this.ctx.faults.write('update', appId, { id, data }, () => {
            if (typeof data !== 'object') {
                throw new Error('Attempted to store an invalid data type, it must be an object.');
            }
            throw new Error('Not implemented.');
        });
    }

    protected async updateByAssociations(associations: Array<RocketChatAssociationRecord>, data: object, upsert: boolean, appId: string): Promise<string> {
        return this.ctx.faults.write('updateByAssociations', appId, { associations, data }, () => this.upsertExact(associations, data, upsert, appId));
    }

    // --------------------------------------------------------------------------------------------------------

    private removeById(id: string, appId: string): object | undefined {
        if (!isObjectId(id)) {
            // `new ObjectId(id)` in the server throws before querying.
            throw new Error('input must be a 24 character hex string, 12 byte Uint8Array, or an integer');
        }
        return this.ctx.store.tx(() => {
            const row = this.db.prepare<[string, string], RecordRow>('SELECT seq, _id, data FROM app_persistence WHERE _id = ? AND app_id = ?').get(id, appId);
            if (!row) {
                return undefined;
            }
            this.db.prepare('DELETE FROM app_persistence WHERE seq = ?').run(row.seq);
            return JSON.parse(row.data);
        });
    }

    private upsertExact(associations: Array<RocketChatAssociationRecord>, data: object, upsert: boolean, appId: string): string {
        checkData(data);
        const exact = JSON.stringify(associations);
        // updateOne(query, {$set: {data}}, {upsert}) — atomic like one Mongo update.
        const upsertedId = this.ctx.store.tx(() => {
            const row = this.db
                .prepare<[string, string], RecordRow>('SELECT seq, _id, data FROM app_persistence WHERE app_id = ? AND associations = ? ORDER BY seq LIMIT 1')
                .get(appId, exact);
            if (row) {
                this.db.prepare('UPDATE app_persistence SET data = ? WHERE seq = ?').run(JSON.stringify(data), row.seq);
                return null;
            }
            return upsert ? this.insert(appId, associations, data) : null;
        });
        if (this.ctx.switches.updateByAssociations === 'throws-after-write') {
            // `return result.upsertedId.toString();` — upsertedId is null unless a record was inserted.
            if (upsertedId === null) {
                throw new TypeError("Cannot read properties of null (reading 'toString')");
            }
            return upsertedId;
        }
        return upsertedId ?? '';
    }

    private insert(appId: string, associations: Array<RocketChatAssociationRecord> | undefined, data: object): string {
        checkData(data);
        const id = objectId();
        this.ctx.store.tx(() => {
            const result = this.db
                .prepare('INSERT INTO app_persistence (_id, app_id, associations, data) VALUES (?, ?, ?, ?)')
                .run(id, appId, associations ? JSON.stringify(associations) : null, JSON.stringify(data));
            for (const elem of new Set((associations ?? []).map((a) => JSON.stringify(a)))) {
                this.db.prepare('INSERT INTO app_persistence_assoc (record_seq, app_id, elem) VALUES (?, ?, ?)').run(result.lastInsertRowid, appId, elem);
            }
        });
        return id;
    }

    /** `{appId, associations: {$all: associations}}` in natural order. `$all: []` matches nothing, as in Mongo. */
    private findAll(appId: string, associations: Array<RocketChatAssociationRecord>): RecordRow[] {
        const elems = Array.from(new Set((associations ?? []).map((a) => JSON.stringify(a))));
        if (elems.length === 0) {
            return [];
        }
        const placeholders = elems.map(() => '?').join(', ');
        return this.db
            .prepare<unknown[], RecordRow>(
                `SELECT p.seq, p._id, p.data FROM app_persistence p
                 WHERE p.seq IN (
                     SELECT record_seq FROM app_persistence_assoc
                     WHERE app_id = ? AND elem IN (${placeholders})
                     GROUP BY record_seq HAVING count(DISTINCT elem) = ?
                 )
                 ORDER BY p.seq`,
            )
            .all(appId, ...elems, elems.length);
    }
}

/** The server's type check, and what the engine's channel does to an own `__proto__` key (it never arrives). */
function checkData(data: unknown): void {
    if (typeof data !== 'object') {
        throw new Error('Attempted to store an invalid data type, it must be an object.');
    }
    const path = protoKeyPath(data, 'data');
    if (path) {
        throw new Error(`own __proto__ key at ${path}: the app's channel to the engine breaks on it, so a server never receives this`);
    }
}

function protoKeyPath(value: unknown, path: string): string | undefined {
    if (typeof value !== 'object' || value === null) {
        return undefined;
    }
    if (Object.prototype.hasOwnProperty.call(value, '__proto__')) {
        return path;
    }
    for (const [key, inner] of Object.entries(value)) {
        const found = protoKeyPath(inner, `${path}.${key}`);
        if (found) {
            return found;
        }
    }
    return undefined;
}

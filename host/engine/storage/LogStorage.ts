import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';
import { AppLogStorage, type IAppLogStorageFindOptions } from '@rocket.chat/apps-engine/server/storage';

import type { HostLog } from '../../store/ClusterEvents';
import { Store } from '../../store/Store';

/** What the host prints of each app log entry batch: warnings and errors always, the rest with --verbose. */
export type LogEcho = (entry: ILoggerStorageEntry) => void;

/**
 * App logs (Rocket.Chat's `rocketchat_apps_logs`): every call into the app stores the lines the app logged, with
 * the method and timings. Readable with `GET /api/apps/:id/logs`. Warnings and errors are also copied to the host
 * log (GET /api/v1/host.log) so tests can see them.
 */
export class HostLogStorage extends AppLogStorage {
    constructor(
        private readonly store: Store,
        private readonly instanceId: string,
        private readonly hostLog: HostLog,
        private readonly echo?: LogEcho,
    ) {
        super('sqlite');
    }

    async findPaginated(query: { [field: string]: unknown }, options?: IAppLogStorageFindOptions): Promise<{ logs: ILoggerStorageEntry[]; total: number }> {
        const all = this.list(typeof query.appId === 'string' ? query.appId : undefined);
        const skip = options?.skip ?? 0;
        const limit = options?.limit ?? 50;
        return { logs: all.reverse().slice(skip, skip + limit), total: all.length };
    }

    async storeEntries(logEntry: ILoggerStorageEntry): Promise<ILoggerStorageEntry> {
        const entry = { ...logEntry, instanceId: this.instanceId, _createdAt: new Date() };
        this.store.db
            .prepare('INSERT INTO app_logs (app_id, method, instance, created_at, doc) VALUES (?, ?, ?, ?, ?)')
            .run(entry.appId, entry.method ?? null, this.instanceId, entry._createdAt.toISOString(), JSON.stringify(entry));
        for (const line of entry.entries ?? []) {
            if (String(line.severity) === 'error' || String(line.severity) === 'warning') {
                this.hostLog.add(String(line.severity) === 'error' ? 'error' : 'warn', `app:${entry.method}`, line.args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
            }
        }
        this.echo?.(entry);
        return entry;
    }

    async getEntriesFor(appId: string): Promise<Array<ILoggerStorageEntry>> {
        return this.list(appId);
    }

    async removeEntriesFor(appId: string): Promise<void> {
        this.store.db.prepare('DELETE FROM app_logs WHERE app_id = ?').run(appId);
    }

    /** Oldest first. */
    list(appId?: string, since = 0): ILoggerStorageEntry[] {
        const rows = appId
            ? this.store.db.prepare<[string, number], { doc: string }>('SELECT doc FROM app_logs WHERE app_id = ? AND seq > ? ORDER BY seq').all(appId, since)
            : this.store.db.prepare<[number], { doc: string }>('SELECT doc FROM app_logs WHERE seq > ? ORDER BY seq').all(since);
        return rows.map((r) => JSON.parse(r.doc) as ILoggerStorageEntry);
    }
}

import { AppSourceStorage, type IAppStorageItem } from '@rocket.chat/apps-engine/server/storage';

import { Store } from '../../store/Store';

/**
 * App packages (the uploaded zips), kept in the shared store like Rocket.Chat keeps them in GridFS, so that every
 * instance can load an app that any instance installed.
 */
export class HostSourceStorage extends AppSourceStorage {
    constructor(private readonly sqlite: Store) {
        super();
    }

    async store(item: IAppStorageItem, zip: Buffer): Promise<string> {
        this.sqlite.db
            .prepare('INSERT INTO app_sources (app_id, zip, updated_at) VALUES (?, ?, ?) ON CONFLICT(app_id) DO UPDATE SET zip = excluded.zip, updated_at = excluded.updated_at')
            .run(item.id, zip, new Date().toISOString());
        return `sqlite:app_sources/${item.id}`;
    }

    async fetch(item: IAppStorageItem): Promise<Buffer> {
        const row = this.sqlite.db.prepare<[string], { zip: Buffer }>('SELECT zip FROM app_sources WHERE app_id = ?').get(item.id);
        if (!row) {
            throw new Error(`No package stored for app ${item.id}`);
        }
        return Buffer.from(row.zip);
    }

    async update(item: IAppStorageItem, zip: Buffer): Promise<string> {
        return this.store(item, zip);
    }

    async remove(item: IAppStorageItem): Promise<void> {
        this.sqlite.db.prepare('DELETE FROM app_sources WHERE app_id = ?').run(item.id);
    }
}

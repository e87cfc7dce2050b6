import type { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { IMarketplaceInfo } from '@rocket.chat/apps-engine/server/marketplace';
import { AppMetadataStorage, type IAppStorageItem } from '@rocket.chat/apps-engine/server/storage';

import { objectId } from '../../store/ids';
import { fromJson, Store, toJson } from '../../store/Store';

/**
 * Installed apps (Rocket.Chat's `rocketchat_apps` collection): one storage item per app, shared by every
 * instance. The item's JSON must round-trip exactly: the engine signs it (checksum over its fields) and verifies
 * the signature each time the app is enabled.
 */
export class HostMetadataStorage extends AppMetadataStorage {
    constructor(private readonly store: Store) {
        super('sqlite');
    }

    async create(item: IAppStorageItem): Promise<IAppStorageItem> {
        const now = new Date();
        const doc: IAppStorageItem = { ...item, _id: item._id ?? objectId(), createdAt: now, updatedAt: now };
        this.store.db.prepare('INSERT INTO apps (_id, id, doc) VALUES (?, ?, ?)').run(doc._id, doc.id, toJson(doc));
        item._id = doc._id;
        return doc;
    }

    async retrieveOne(id: string): Promise<IAppStorageItem | null> {
        const row = this.store.db.prepare<[string], { doc: string }>('SELECT doc FROM apps WHERE id = ?').get(id);
        return row ? fromJson<IAppStorageItem>(row.doc) : null;
    }

    async retrieveAll(): Promise<Map<string, IAppStorageItem>> {
        const items = new Map<string, IAppStorageItem>();
        for (const row of this.store.db.prepare<[], { doc: string }>('SELECT doc FROM apps ORDER BY rowid').all()) {
            const item = fromJson<IAppStorageItem>(row.doc);
            items.set(item.id, item);
        }
        return items;
    }

    async retrieveAllPrivate(): Promise<Map<string, IAppStorageItem>> {
        const all = await this.retrieveAll();
        return new Map(Array.from(all).filter(([, item]) => item.installationSource === 'private'));
    }

    async remove(id: string): Promise<{ success: boolean }> {
        this.store.db.prepare('DELETE FROM apps WHERE id = ?').run(id);
        return { success: true };
    }

    async updatePartialAndReturnDocument(item: Partial<IAppStorageItem>, options?: { unsetPermissionsGranted?: boolean }): Promise<IAppStorageItem> {
        return this.store.tx(() => {
            const current = this.byMongoId(item._id as string);
            if (!current) {
                throw new Error(`No app storage item with _id ${item._id}`);
            }
            const next: IAppStorageItem = { ...current, ...item, updatedAt: new Date() };
            if (options?.unsetPermissionsGranted) {
                delete next.permissionsGranted;
            }
            this.write(next);
            return next;
        });
    }

    async updateStatus(_id: string, status: AppStatus): Promise<boolean> {
        return this.patch(_id, (item) => ({ ...item, status }));
    }

    async updateSetting(_id: string, setting: ISetting): Promise<boolean> {
        return this.patch(_id, (item) => ({ ...item, settings: { ...item.settings, [setting.id]: setting } }));
    }

    async updateAppInfo(_id: string, info: IAppInfo): Promise<boolean> {
        return this.patch(_id, (item) => ({ ...item, info }));
    }

    async updateMarketplaceInfo(_id: string, marketplaceInfo: IMarketplaceInfo[]): Promise<boolean> {
        return this.patch(_id, (item) => ({ ...item, marketplaceInfo }));
    }

    private byMongoId(_id: string): IAppStorageItem | undefined {
        const row = this.store.db.prepare<[string], { doc: string }>('SELECT doc FROM apps WHERE _id = ?').get(_id);
        return row ? fromJson<IAppStorageItem>(row.doc) : undefined;
    }

    private patch(_id: string, change: (item: IAppStorageItem) => IAppStorageItem): boolean {
        return this.store.tx(() => {
            const current = this.byMongoId(_id);
            if (!current) {
                return false;
            }
            this.write({ ...change(current), updatedAt: new Date() });
            return true;
        });
    }

    private write(item: IAppStorageItem): void {
        this.store.db.prepare('UPDATE apps SET id = ?, doc = ? WHERE _id = ?').run(item.id, toJson(item), item._id);
    }
}

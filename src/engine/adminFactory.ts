import { randomUUID } from 'crypto';
import { ILogger, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { AdminFactory as AdminFactoryOf, createAdminService } from '../service/admin';
import { MetadataStore } from '../store/MetadataStore';
import { INDEX_SHARDS } from '../store/records';
import { createExistence } from './existence';
import { SettingsCache } from './settingsReader';

/** Builds the admin service (SPEC §18: export, import, the list of subjects) for one engine invocation. */
export type AdminFactory = AdminFactoryOf<IRead, IPersistence, ILogger>;

export function adminFactory(instance: { settings: SettingsCache }): AdminFactory {
    return (read, persistence, logger) => createAdminService({
        store: new MetadataStore(read.getPersistenceReader(), persistence),
        existence: createExistence(read),
        settings: () => instance.settings.read(read),
        clock: { now: () => Date.now() },
        log: logger,
        shards: INDEX_SHARDS,
        newId: () => randomUUID(),
    });
}

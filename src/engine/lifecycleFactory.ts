import { ILogger, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { randomUUID } from 'crypto';

import { createLifecycleService, LifecycleFactory as LifecycleFactoryOf } from '../service/lifecycle';
import { announceRemoval } from './webhookPort';
import { MetadataStore } from '../store/MetadataStore';
import { INDEX_SHARDS } from '../store/records';
import { createExistence } from './existence';
import { SettingsCache } from './settingsReader';

/** Builds the lifecycle service (SPEC §18) for one engine invocation: listeners, the sweep, the touch of a missing subject. */
export type LifecycleFactory = LifecycleFactoryOf<IRead, IPersistence, ILogger>;

export function lifecycleFactory(instance: { settings: SettingsCache }): LifecycleFactory {
    return (read, persistence, logger) => createLifecycleService({
        store: new MetadataStore(read.getPersistenceReader(), persistence),
        existence: createExistence(read),
        settings: () => instance.settings.read(read),
        log: logger,
        shards: INDEX_SHARDS,
        announceRemoval: (subject) => announceRemoval(read, persistence, subject, () => randomUUID()),
    });
}

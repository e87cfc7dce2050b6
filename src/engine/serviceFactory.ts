import { ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { randomUUID } from 'crypto';

import { createMetadataService } from '../service/metadataService';
import { WriteRateLimiter } from '../service/rateLimiter';
import { ServiceFactory } from '../service/types';
import { MetadataStore } from '../store/MetadataStore';
import { Coalescer } from '../surfaces/events/coalescer';
import { createEventsEffect } from '../surfaces/events/eventsEffect';
import { createSnapshotSender } from '../surfaces/events/snapshotSender';
import { createCustomFieldsMirror } from '../surfaces/mirror/customFieldsMirror';
import { createRoomStatusMessage } from '../surfaces/status/roomStatusMessage';
import { createBotDirectRooms } from './botDirectRooms';
import { createDirectory } from './directory';
import { createEphemeralSender } from './ephemeralSender';
import { SettingsCache } from './settingsReader';

/** What lives as long as the app instance: the only in-memory state, and none of it authoritative. */
export interface InstanceState {
    rateLimiter: WriteRateLimiter;
    coalescer: Coalescer;
    settings: SettingsCache;
}

/** Wires store, core and effects for one engine invocation (the engine hands fresh accessors to each). */
export function serviceFactory(instance: InstanceState): ServiceFactory<IRead, IModify, IPersistence, ILogger> {
    const clock = { now: () => Date.now() };
    return (read, modify, persistence, logger) => {
        const store = new MetadataStore(read.getPersistenceReader(), persistence);
        const directory = createDirectory(read);
        const sender = createEphemeralSender(read, modify);
        return createMetadataService({
            store,
            directory,
            settings: () => instance.settings.read(read),
            effects: (settings) => [
                createEventsEffect({ store, directory, sender, settings, log: logger, coalescer: instance.coalescer }),
                createRoomStatusMessage({ read, modify, settings, logger, coalescer: instance.coalescer }),
                createCustomFieldsMirror({ read, modify, settings, logger }),
            ],
            deliveryRooms: createBotDirectRooms(read, modify),
            snapshots: createSnapshotSender({ sender, clock }),
            rateLimiter: instance.rateLimiter,
            clock,
            newId: () => randomUUID(),
            log: logger,
        });
    };
}

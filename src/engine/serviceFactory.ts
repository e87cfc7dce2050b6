import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
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
import { createDirectory } from './directory';
import { createChat } from './chat';
import { lifecycleFactory } from './lifecycleFactory';
import { purgingMisses } from '../service/lifecycle';
import { SettingsCache } from './settingsReader';
import { createWebhookPort } from './webhookPort';
import { createLockTimer } from './lockTimer';
import { deliverLock } from '../surfaces/events/deliverLock';

/** What lives as long as the app instance: the only in-memory state, and none of it authoritative. */
export interface InstanceState {
    rateLimiter: WriteRateLimiter;
    coalescer: Coalescer;
    settings: SettingsCache;
}

/** Wires store, core and effects for one engine invocation (the engine hands fresh accessors to each). */
export function serviceFactory(instance: InstanceState): ServiceFactory<IRead, IModify, IPersistence, ILogger, IHttp> {
    const clock = { now: () => Date.now() };
    const lifecycle = lifecycleFactory(instance);
    return (read, modify, persistence, logger, http) => {
        const store = new MetadataStore(read.getPersistenceReader(), persistence);
        // A room or user id that is not found is "touched": what the app holds of it is purged (SPEC §18).
        const directory = purgingMisses(createDirectory(read), () => lifecycle(read, persistence, logger), logger);
        // One chat port for every effect of the write: the bot and the rooms it speaks in are looked up once.
        const chat = createChat(read, modify);
        return createMetadataService({
            store,
            directory,
            settings: () => instance.settings.read(read),
            // The mirror before the status message: its fresh read of the room is the one the message then uses.
            effects: (settings) => [
                createEventsEffect({ store, directory, chat, settings, log: logger, coalescer: instance.coalescer }),
                createCustomFieldsMirror({ chat, settings, logger }),
                createRoomStatusMessage({ chat, settings, logger, coalescer: instance.coalescer }),
            ],
            deliveryRooms: chat,
            snapshots: createSnapshotSender({ chat, clock }),
            rateLimiter: instance.rateLimiter,
            clock,
            newId: () => randomUUID(),
            log: logger,
            webhooks: createWebhookPort(read, persistence, http, logger, () => randomUUID()),
            announceLock: (notice, settings) => deliverLock({ store, directory, chat, settings, log: logger }, notice),
            lockTimer: createLockTimer(modify),
        });
    };
}

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
import { createChoiceMessages } from '../surfaces/choice/choiceMessages';
import { createChoiceSummaryEffect } from '../service/choiceSummary';
import { Directory } from '../service/ports';

/** Usernames by id, best effort: a name is decoration, an id stands in. */
async function usernames(directory: Directory, ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    await Promise.all(ids.map(async (id) => {
        const user = await directory.findUser(id).catch(() => undefined);
        if (user) names.set(id, user.username);
    }));
    return names;
}

/** What lives as long as the app instance: the only in-memory state, and none of it authoritative. */
export interface InstanceState {
    /** the app's id, which the blocks of its messages carry */
    appId: string;
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
        const choiceMessages = createChoiceMessages({ appId: instance.appId, chat, userNames: (ids) => usernames(directory, ids) });
        return createMetadataService({
            store,
            directory,
            settings: () => instance.settings.read(read),
            // The mirror before the status message: its fresh read of the room is the one the message then uses.
            effects: (settings) => [
                createEventsEffect({ store, directory, chat, settings, log: logger, coalescer: instance.coalescer }),
                createChoiceSummaryEffect({ store, messages: choiceMessages, log: logger }),
                createCustomFieldsMirror({ chat, settings, logger }),
                createRoomStatusMessage({ chat, settings, logger, coalescer: instance.coalescer }),
            ],
            deliveryRooms: chat,
            choiceMessages,
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

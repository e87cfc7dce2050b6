import { AppSettingsValues } from '../settings';
import { Clock, DeliveryRooms, Directory, Log, SnapshotSender, StorePort, WebhookPort } from './ports';
import { WriteRateLimiter } from './rateLimiter';
import { AfterWriteEffect } from './types';

export interface ServiceDeps {
    store: StorePort;
    directory: Directory;
    /** the app settings as they stand now */
    settings: () => Promise<AppSettingsValues>;
    /** events first: they have a latency promise to keep */
    effects: (settings: AppSettingsValues) => AfterWriteEffect[];
    deliveryRooms: DeliveryRooms;
    snapshots: SnapshotSender;
    /** one per app instance, shared by every invocation */
    rateLimiter: WriteRateLimiter;
    clock: Clock;
    newId: () => string;
    log: Log;
    /** webhooks; absent: none are kept or sent */
    webhooks?: WebhookPort;
    /** how long a write's response waits for its effects at most (ms) */
    effectsBudgetMs?: number;
}

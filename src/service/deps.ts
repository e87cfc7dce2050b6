import { AppSettingsValues } from '../settings';
import { ChoiceMessages, Clock, DeliveryRooms, Directory, LockNotice, LockTimer, Log, SnapshotSender, StorePort, WebhookPort } from './ports';
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
    /** LOCK events to the subject's subscribers; absent: none are sent */
    announceLock?: (notice: LockNotice, settings: AppSettingsValues) => Promise<void>;
    /** schedules lock expiries; absent: an expired hold is only ever found expired (no `expired` event) */
    lockTimer?: LockTimer;
    /** the bot's messages with choices (SPEC §19); absent: `choose` is refused */
    choiceMessages?: ChoiceMessages;
    /** waits between tries of an acquire that may wait (default: a timer) */
    sleep?: (ms: number) => Promise<void>;
    /** how long a write's response waits for its effects at most (ms) */
    effectsBudgetMs?: number;
}

import type { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { AppSourceStorage } from '@rocket.chat/apps-engine/server/storage';

import { ClusterEvents, HostLog } from '../store/ClusterEvents';
import { Messages, Notifications } from '../store/Messages';
import { Rooms } from '../store/Rooms';
import { Settings } from '../store/Settings';
import { Store } from '../store/Store';
import { Users } from '../store/Users';
import { ClusterNotifier } from './cluster';
import { Converters } from './converters';
import { WriteFaults } from './faults';

/**
 * Which Rocket.Chat version's persistence bridge to imitate where versions differ (see ENGINE-NOTES.md and
 * apps/meteor/app/apps/server/bridges/persistence.ts across releases). Defaults are the harsher behaviours.
 */
export interface PersistenceSwitches {
    /**
     * `throws-after-write`: returns `result.upsertedId.toString()`, which throws a TypeError AFTER the update
     *   was written whenever the record already existed (or nothing was upserted).
     * `returns-id`: returns the upserted id, or '' when an existing record was updated.
     */
    updateByAssociations: 'throws-after-write' | 'returns-id';
    /** `one`: deletes only the first match (but returns the data of all matches); `all`: deletes every match. */
    removeByAssociations: 'one' | 'all';
    /**
     * What uninstalling an app deletes of its persistence. `one`: a single record (`deleteOne({appId})`, current
     * servers); `all`: every record (older servers' `remove({appId})`).
     */
    purge: 'one' | 'all';
}

export const DEFAULT_PERSISTENCE_SWITCHES: PersistenceSwitches = {
    updateByAssociations: 'throws-after-write',
    removeByAssociations: 'one',
    purge: 'one',
};

/** --scheduler-poll's default: a second, so that tests across instances and restarts need not wait 5 s. */
export const DEFAULT_SCHEDULER_POLL_MS = 1000;

/** Everything the bridges, storages and REST handlers of one host instance share. */
export class HostContext {
    readonly users: Users;

    readonly rooms: Rooms;

    readonly messages: Messages;

    readonly notifications: Notifications;

    readonly settings: Settings;

    readonly cluster: ClusterEvents;

    readonly log: HostLog;

    readonly convert: Converters;

    /** tells the other instances about app changes made on this one */
    readonly notifier: ClusterNotifier;

    /** paused persistence writes of this instance (host.faults, --pause-write) */
    readonly faults: WriteFaults;

    /**
     * How often this instance's scheduler looks for due jobs scheduled elsewhere (another instance, an earlier
     * run); jobs it schedules itself run when due. Rocket.Chat's Agenda looks every 5 s.
     */
    readonly schedulerPollMs: number;

    private appManager?: AppManager;

    private appSourceStorage?: AppSourceStorage;

    constructor(
        readonly store: Store,
        readonly instanceId: string,
        readonly instanceIndex: number,
        readonly switches: PersistenceSwitches,
        options: { schedulerPollMs?: number } = {},
    ) {
        this.schedulerPollMs = options.schedulerPollMs ?? DEFAULT_SCHEDULER_POLL_MS;
        this.users = new Users(store);
        this.rooms = new Rooms(store);
        this.messages = new Messages(store);
        this.notifications = new Notifications(store);
        this.settings = new Settings(store);
        this.cluster = new ClusterEvents(store);
        this.log = new HostLog(store, instanceId);
        this.convert = new Converters(this.users, this.rooms);
        this.notifier = new ClusterNotifier(this);
        this.faults = new WriteFaults(store, instanceIndex);
    }

    setEngine(manager: AppManager, sourceStorage: AppSourceStorage): void {
        this.appManager = manager;
        this.appSourceStorage = sourceStorage;
    }

    sourceStorage(): AppSourceStorage {
        if (!this.appSourceStorage) {
            throw new Error('The app source storage is not constructed yet');
        }
        return this.appSourceStorage;
    }

    /** The engine's AppManager (exists once the host has built it; bridges are only called after that). */
    get manager(): AppManager {
        if (!this.appManager) {
            throw new Error('The AppManager is not constructed yet');
        }
        return this.appManager;
    }
}

import { JsonObject } from '../core/json';
import {
    Cause, Item, LockRequest, MergeRequest, MetadataSet, Namespace, RemoveRequest, SetRequest, StateRequest, StateView,
    StateOpKind, SubjectRef, Subscription, UpdateRequest,
} from '../core/types';

import type { RepairRequest } from '../core/repair';
import type { HistoryQuery } from '../core/history';
import type { VisibleHistoryEntry } from '../access/visibility';
import type { WebhookView } from '../core/webhooks';
import type { DeliveryLogView } from './webhooks';
import type { LockChangeView, LocksView } from './locks';
/** The authenticated user a request acts for (from the engine's IUser). */
export interface Caller {
    id: string;
    username: string;
    roles: string[];
}

/** What a surface names: `me`, a user id or username, a room id or name, a message id (resolved by the service). */
export interface SubjectTarget {
    namespace: Namespace;
    ref: string;
}

export interface SubjectInfo extends SubjectRef {
    /** username or room name, for people; a message's is its room's name */
    name: string;
    /** a message's room (SPEC §19) */
    roomId?: string;
}

/** The metadata of one subject as the caller may read it (SPEC §7). */
export interface MetadataView {
    subject: SubjectInfo;
    majorRevision: number;
    items: Item[];
    document: JsonObject;
    state: StateView;
}

export interface SubscriptionView {
    subject: SubjectInfo;
    /** where events are delivered */
    roomId: string;
    createdAt: string;
}

/** The one entry point every surface calls. Errors are thrown as MetadataError. */
export interface MetadataService {
    get(caller: Caller, target: SubjectTarget, keys?: string[]): Promise<MetadataView>;
    set(caller: Caller, target: SubjectTarget, request: SetRequest): Promise<MetadataView>;
    update(caller: Caller, target: SubjectTarget, request: UpdateRequest): Promise<MetadataView>;
    remove(caller: Caller, target: SubjectTarget, request: RemoveRequest): Promise<MetadataView>;
    merge(caller: Caller, target: SubjectTarget, request: MergeRequest): Promise<MetadataView>;
    state(caller: Caller, target: SubjectTarget, request: StateRequest): Promise<MetadataView>;
    /** roomId absent: the caller's direct room with the app's bot */
    subscribe(caller: Caller, target: SubjectTarget, roomId?: string): Promise<SubscriptionView>;
    unsubscribe(caller: Caller, target: SubjectTarget): Promise<void>;
    subscriptions(caller: Caller): Promise<SubscriptionView[]>;
    /** the changes after `since`, as the caller may read them now (SPEC §14) */
    history(caller: Caller, target: SubjectTarget, query: HistoryQuery): Promise<HistoryView>;
    /** admins only: removes items and state entries without reading values out (SPEC §12) */
    repair(caller: Caller, target: SubjectTarget, request: RepairRequest): Promise<RepairView>;
    /** admins only (SPEC §15): the answer is the only time the secret is shown */
    registerWebhook(caller: Caller, body: unknown): Promise<WebhookView & { secret?: string }>;
    listWebhooks(caller: Caller): Promise<{ webhooks: WebhookView[] }>;
    getWebhook(caller: Caller, id: string): Promise<WebhookView>;
    removeWebhook(caller: Caller, id: string): Promise<{ removed: string }>;
    webhookDeliveries(caller: Caller, id: string): Promise<DeliveryLogView>;
    /** the subject as `get` reads it, and what the caller may do there (SPEC §17: the panel offers only that) */
    panel(caller: Caller, target: SubjectTarget): Promise<PanelView>;
    /** SPEC §16: acquire or renew (waiting up to `wait` s for a held lock), release or revoke, list */
    acquireLock(caller: Caller, target: SubjectTarget, request: LockRequest): Promise<LockChangeView>;
    releaseLock(caller: Caller, target: SubjectTarget, name: string): Promise<LockChangeView>;
    locks(caller: Caller, target: SubjectTarget): Promise<LocksView>;
    /** SPEC §19: posts a message with choices in a room (`target`); answers the new message subject */
    choose(caller: Caller, target: SubjectTarget, body: unknown): Promise<MetadataView>;
    /** a click on one of a message's choices: adds, switches or takes out the caller's pick by the message's type */
    pick(caller: Caller, target: SubjectTarget, choice: string): Promise<MetadataView>;
    /** the scheduler's, once a hold's time is up: decides its expiry and sends the LOCK event */
    expireLock(subject: SubjectRef, name: string, holdId: string): Promise<void>;
}

/** What the panel shows of a subject: the caller's view, and which actions the service would accept from them. */
export interface PanelView {
    view: MetadataView;
    may: {
        /** set, update, remove items */
        write: boolean;
        /** change their own entry of the state keys */
        changeState: boolean;
    };
    /** the caller has a subscription to this subject */
    subscribed: boolean;
    /**
     * per state key: the one-click op the caller may make on each value of its summary (same order), and on a
     * value they do not hold yet (`newValue`); absent where the type's rules refuse it
     */
    stateOffers: Record<string, { values: Array<StateOpKind | undefined>; newValue?: StateOpKind }>;
    /** the subject's live locks (SPEC §16), by name; `holder` is a user id */
    locks: Array<{ name: string; holder: string; expiresAt: string }>;
}

export interface HistoryView {
    subject: SubjectInfo;
    majorRevision: number;
    entries: VisibleHistoryEntry[];
}

/** What a repair removed: keys and counts only, never values. */
export interface RepairView {
    subject: SubjectInfo;
    majorRevision: number;
    removed: { items: string[]; stateKeys: string[]; stateOps: number };
}

/** What one acknowledged write changed; handed to the after-write effects (events, status, mirror). */
export interface ChangeNotice {
    subject: SubjectInfo;
    actor: Caller;
    /** ISO-8601 */
    at: string;
    majorRevision: number;
    /** item keys written / removed (sorted) */
    changed: string[];
    removed: string[];
    /** state keys changed */
    stateChanged: string[];
    /** the whole subject after the write, unfiltered: each effect filters for its audience */
    set: MetadataSet;
    /**
     * The items before the write, so an effect can tell whether a removed key was public (a reader
     * without private access must not learn private keys, not even removed ones). Absent: treat
     * removed keys as private.
     */
    before?: MetadataSet;
    state: StateView;
    cause?: Cause;
    /** the subject's subscribers, looked up while the write committed */
    subscribers?: Promise<Subscription[]>;
}

/** A side effect after a write. It must never fail or undo the write: it logs and returns. */
export type AfterWriteEffect = (notice: ChangeNotice) => Promise<void>;

/**
 * Builds the service for one engine invocation: the engine hands fresh accessors — and a logger of
 * its own — to every slash command and endpoint call. Declared structurally so this file stays free
 * of engine imports.
 */
export type ServiceFactory<Read = unknown, Modify = unknown, Persistence = unknown, Logger = unknown, Http = unknown> = (
    read: Read,
    modify: Modify,
    persistence: Persistence,
    logger: Logger,
    /** how webhooks reach their receivers */
    http: Http,
) => MetadataService;

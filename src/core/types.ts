import { JsonObject, JsonValue } from './json';
import type { LockHold } from './locks';

/** The namespaces of subjects (SPEC §2), the one list of them. */
export const NAMESPACES = ['user', 'room', 'message'] as const;
export type Namespace = (typeof NAMESPACES)[number];
export type Visibility = 'public' | 'private';

/** A resolved subject: `user:<userId>`, `room:<roomId>` or `message:<messageId>` (SPEC §19). */
export interface SubjectRef {
    namespace: Namespace;
    id: string;
}

export interface Item {
    key: string;
    value: JsonValue;
    /** The majorRevision of the write that last changed this item. */
    revision: number;
    /** ISO-8601 */
    updatedAt: string;
    /** user id */
    updatedBy: string;
    visibility: Visibility;
}

/** One subject's items. `items` is kept sorted by key. */
export interface MetadataSet {
    majorRevision: number;
    items: Item[];
}

export interface Limits {
    valueBytes: number;
    setBytes: number;
    itemsPerSet: number;
    itemsPerRequest: number;
    causeBytes: number;
    writesPerSecond: number;
    /** levels a stored shape may nest: an item's or state key's segments plus its value's levels; a cause, document or merge patch */
    nestingDepth: number;
    /** segments of a key that is written (item or state key) */
    keySegments: number;
}

/** -1 or absent = no check. */
export type RevisionCheck = number | undefined;

export interface ItemWrite {
    key: string;
    value: JsonValue;
    /** absent/-1 no check; 0 must not exist; N>0 must exist with revision N */
    revision?: number;
    /** absent keeps the item's current visibility (or the default for a new item) */
    visibility?: Visibility;
}

export interface ItemRef {
    key: string;
    revision?: number;
}

/** A transient note forwarded to subscribers with the resulting events; never stored. */
export type Cause = string | JsonObject;

/** `POST …/locks` (SPEC §16): ttl and wait in seconds, defaults filled in. */
export interface LockRequest {
    name: string;
    ttl: number;
    wait: number;
}

export interface WriteOptions {
    majorRevision?: number;
    cause?: Cause;
    /** the write succeeds only while the caller holds this lock of the subject (SPEC §16) */
    lock?: string;
}

export interface SetRequest extends WriteOptions {
    /** exactly one of items / document */
    items?: ItemWrite[];
    document?: JsonObject;
}

export interface UpdateRequest extends WriteOptions {
    items: ItemWrite[];
}

export interface RemoveRequest extends WriteOptions {
    /** absent or empty = remove the whole set */
    items?: ItemRef[];
}

export interface MergeRequest extends WriteOptions {
    patch: JsonObject;
}

/**
 * The state types of SPEC §5, the one list of them: requests, the command, the store's decoder and the
 * API description read it, and core/state/registry.ts must hold rules for each (its type says so).
 */
export const STATE_TYPES = ['set', 'fww', 'lww', 'lwwn'] as const;
export type StateType = (typeof STATE_TYPES)[number];
export const STATE_OP_KINDS = ['add', 'remove'] as const;
export type StateOpKind = (typeof STATE_OP_KINDS)[number];

export interface StateRequest {
    key: string;
    /** absent: the key's existing type, or `set` for a new key */
    type?: StateType;
    op: StateOpKind;
    /** required for add and for set-remove; ignored for lwwn remove */
    value?: JsonValue;
    cause?: Cause;
}

/**
 * One stored state operation. Operations are only ever appended (one record each), so operations
 * from different instances are never lost; the view is a deterministic fold over all of them.
 */
export interface StateOp {
    /** unique id; also the tie-breaker of the total order (at, id) */
    id: string;
    key: string;
    type: StateType;
    op: StateOpKind;
    userId: string;
    /** hybrid logical clock in ms: max(now, latest `at` seen for this key + 1) */
    at: number;
    value?: JsonValue;
    /** set remove: the ids of the add operations it observed for that value (observed-remove) */
    removes?: string[];
}

export interface StateSummaryEntry {
    value: JsonValue;
    count: number;
    users: string[];
}

export interface StateKeyView {
    type: StateType;
    /** userId -> value (an array of values for `set`) */
    byUser: Record<string, JsonValue>;
    summary: StateSummaryEntry[];
}

export type StateView = Record<string, StateKeyView>;

/** One subject as stored: its items and its state operations (what the store loads, and the service reads). */
export interface SubjectSnapshot {
    set: MetadataSet;
    stateOps: StateOp[];
    /** the subject's lock holds, expired ones included (core/locks.ts decides expiry); none when absent */
    locks?: LockHold[];
}

/** A user's subscription to a subject's events (SPEC §9). */
export interface Subscription {
    subscriberId: string;
    subject: SubjectRef;
    /** the room events are delivered in */
    roomId: string;
    /** ISO-8601 */
    createdAt: string;
}

/** What a successful item write did; `changed`/`removed` are keys, sorted. */
export interface WriteOutcome {
    set: MetadataSet;
    changed: string[];
    removed: string[];
    /** false when the request changed nothing: revision kept, nothing stored, no event */
    wrote: boolean;
}

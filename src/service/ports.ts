import type { HistoryPage, ItemWriteContext, OutboxEntry } from '../store/MetadataStore';
import type { DeliveryAttempt, PendingDelivery } from '../store/webhookCodec';
import type { Webhook } from '../core/webhooks';
import { HistoryRetention } from '../core/history';
import type { LockChange, LockHold, LockPlan } from '../core/locks';
import { StateOp, SubjectRef, SubjectSnapshot, Subscription, WriteOutcome } from '../core/types';
import type { ChoiceSummary } from '../core/choice';
import { Caller, ChangeNotice, MetadataView, SubjectInfo } from './types';

/**
 * What the service needs from the world, declared here so the service and its tests stay free of
 * the engine. src/engine/ and src/store/ provide the real implementations.
 */

export interface UserEntry {
    id: string;
    username: string;
    roles: string[];
}

export interface RoomEntry {
    id: string;
    name: string;
    /** `c`, `p`, `d`, `l`, … */
    type: string;
}

/** A user's standing in one room. */
export interface RoomStanding {
    member: boolean;
    owner: boolean;
    moderator: boolean;
}

/** A message, as far as its subject needs it: the room it is in (SPEC §19: its rules are the room's). */
export interface MessageEntry {
    id: string;
    roomId: string;
}

export interface Directory {
    /** by id, else by username */
    findUser(ref: string): Promise<UserEntry | undefined>;
    /** by id, else by name */
    findRoom(ref: string): Promise<RoomEntry | undefined>;
    /** by id */
    findMessage(id: string): Promise<MessageEntry | undefined>;
    isMember(roomId: string, userId: string): Promise<boolean>;
    /** membership and room roles (more lookups than isMember: only writes need them) */
    standing(roomId: string, userId: string): Promise<RoomStanding>;
}

/** The store as the service uses it (src/store/MetadataStore). */
export interface StorePort {
    load(subject: SubjectRef): Promise<SubjectSnapshot>;
    /** `mutate` may throw: nothing is written. */
    writeItems(
        subject: SubjectRef,
        mutate: (current: SubjectSnapshot) => WriteOutcome,
        context?: ItemWriteContext,
    ): Promise<{ outcome: WriteOutcome; after: SubjectSnapshot }>;
    /** `now`: ms since the epoch, for the age rule of the retention */
    history(subject: SubjectRef, since: number | 'latest', limit: number, retention: HistoryRetention, now: number): Promise<HistoryPage>;
    appendStateOp(
        subject: SubjectRef,
        plan: (current: SubjectSnapshot) => StateOp,
        loaded?: Promise<SubjectSnapshot>,
    ): Promise<{ op: StateOp; after: SubjectSnapshot }>;
    removeStateOps(subject: SubjectRef, choose: (ops: StateOp[]) => StateOp[]): Promise<{ removed: StateOp[]; after: SubjectSnapshot }>;
    /** decides a change of the lock holds as the log's next position; `plan` may throw (nothing decided) or answer undefined (nothing to change) */
    changeLocks(subject: SubjectRef, plan: (current: SubjectSnapshot) => LockPlan | undefined): Promise<{ plan?: LockPlan; after: SubjectSnapshot }>;
    putSubscription(subscription: Subscription): Promise<void>;
    removeSubscription(subscriberId: string, subject: SubjectRef): Promise<boolean>;
    subscriptionsOf(subscriberId: string): Promise<Subscription[]>;
    subscribersOf(subject: SubjectRef): Promise<Subscription[]>;
}

/** Where a subscriber's events go when the subscription names no room: their direct room with the app's bot. */
export interface DeliveryRooms {
    directRoomWith(caller: Caller): Promise<string>;
}

/** A room's or a user's customFields as the server holds them. */
export type CustomFields = Record<string, unknown>;

/**
 * What became of a customFields update: `unchanged` when there was nothing to write, `missing` when the room or user
 * is not there (or the app has no bot to write as), `refused` when this engine cannot save such a room without
 * writing into it the fields it `lacks` (src/engine/roomUpdate.ts says why).
 */
export type CustomFieldsUpdate =
    | { status: 'written' | 'unchanged' | 'missing' }
    | { status: 'refused'; lacks: string[] };

/**
 * Chat as the app's bot does it: the one way the after-write effects (events, status messages, the customFields
 * mirror) and subscriptions reach rooms and users. One implementation over the engine, src/engine/chat.ts: it looks
 * the bot up once, and effects that ask for the same room or user at the same time share one lookup.
 */
export interface Chat extends DeliveryRooms {
    /**
     * An ephemeral message from the bot to one user in one room: nothing is stored, only their open sessions see it.
     * `text` gets the user's language (the port looks the user up anyway). Throws when the user or room is gone.
     */
    notify(userId: string, roomId: string, text: (language?: string) => string, customFields?: CustomFields): Promise<void>;
    /** A message from the bot in a room, for everyone in it. False when the room (or the bot) is not there; throws when the server refuses it. */
    post(roomId: string, text: string, customFields?: CustomFields): Promise<boolean>;
    /** A message from the bot with UIKit blocks (`text` for clients that show none); answers its id; throws when it cannot be posted. */
    postBlocks(roomId: string, text: string, blocks: unknown[]): Promise<string>;
    /** Replaces the text and blocks of one of the bot's messages; false when the message is gone. */
    updateBlocks(messageId: string, text: string, blocks: unknown[]): Promise<boolean>;
    /** Deletes one of the bot's messages (an engine whose deleter has no deleteMessage, as the 1.35 API floor, cannot: nothing happens). */
    deleteMessage(messageId: string): Promise<void>;
    /**
     * Reads the subject's customFields as the server holds them now (`{}` when it has none) and replaces the whole
     * object with what `change` makes of them; `change` answers undefined when nothing needs writing.
     */
    updateCustomFields(subject: SubjectRef, change: (existing: CustomFields) => CustomFields | undefined): Promise<CustomFieldsUpdate>;
}

/**
 * The messages with choices (SPEC §19) as the bot shows them: the surface renders a summary into blocks with one
 * button per choice (src/surfaces/choice). Which summary is shown last is the service's protocol (choiceSummary.ts).
 */
export interface ChoiceMessages {
    /** posts the message in the room; answers its id; throws when the server refuses it */
    post(roomId: string, summary: ChoiceSummary): Promise<string>;
    /** replaces the message's summary; false when the message is gone */
    show(messageId: string, summary: ChoiceSummary): Promise<boolean>;
    /** deletes a message whose definition could not be written */
    withdraw(messageId: string): Promise<void>;
}

/** Sends the SNAPSHOT a new subscriber gets. */
export interface SnapshotSender {
    snapshot(subscriber: Caller, roomId: string, view: MetadataView): Promise<void>;
}

export interface Clock {
    /** ms since the epoch */
    now(): number;
}

export interface Log {
    error(...args: unknown[]): void;
}

/** Webhooks (SPEC §15) as the service uses them: their records, their outbox, and sending after a write. */
export interface WebhookPort {
    create(webhook: Webhook): Promise<void>;
    list(): Promise<Webhook[]>;
    get(id: string): Promise<Webhook | undefined>;
    remove(id: string): Promise<boolean>;
    /** the webhook's delivery log, newest first */
    attempts(webhookId: string): Promise<DeliveryAttempt[]>;
    pending(webhookId: string): Promise<PendingDelivery[]>;
    /** records a state change's deliveries (an item change's go through the store's write) */
    add(deliveries: PendingDelivery[]): Promise<void>;
    /** one delivery per webhook following the change's subject, as that webhook may read it */
    outbox(webhooks: Webhook[], notice: ChangeNotice): OutboxEntry[];
    /** sends the queues of a decided change's deliveries now, in the background: a write never waits for a receiver */
    send(subject: SubjectRef, following: Webhook[], entries: OutboxEntry[]): void;
}

/** A decided lock change (SPEC §16), for LOCK events. */
export interface LockNotice {
    subject: SubjectInfo;
    change: LockChange;
    /** ISO-8601 */
    at: string;
}

/** Lock expiries, decided later by the scheduler on any instance (an expiry event must not wait for a reader). */
export interface LockTimer {
    /** asks for `expireLock(subject, hold.name, hold.holdId)` once `hold.expiresAt` has passed */
    expireAt(subject: SubjectRef, hold: LockHold): Promise<void>;
}

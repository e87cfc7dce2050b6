import type { HistoryPage, ItemWriteContext } from '../store/MetadataStore';
import { HistoryRetention } from '../core/history';
import { StateOp, SubjectRef, SubjectSnapshot, Subscription, WriteOutcome } from '../core/types';
import { Caller, MetadataView } from './types';

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

export interface Directory {
    /** by id, else by username */
    findUser(ref: string): Promise<UserEntry | undefined>;
    /** by id, else by name */
    findRoom(ref: string): Promise<RoomEntry | undefined>;
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
    putSubscription(subscription: Subscription): Promise<void>;
    removeSubscription(subscriberId: string, subject: SubjectRef): Promise<boolean>;
    subscriptionsOf(subscriberId: string): Promise<Subscription[]>;
    subscribersOf(subject: SubjectRef): Promise<Subscription[]>;
}

/** Where a subscriber's events go when the subscription names no room: their direct room with the app's bot. */
export interface DeliveryRooms {
    directRoomWith(caller: Caller): Promise<string>;
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

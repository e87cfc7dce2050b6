import { isAdmin } from '../access/rules';
import { MetadataError } from '../core/errors';
import { Namespace, SubjectRef, Subscription } from '../core/types';
import { AppSettingsValues } from '../settings';
import { batchSize, walkIndex } from './indexWalk';
import { Directory, Log } from './ports';
import { errorText } from './runEffects';
import { Caller } from './types';

/*
 * SPEC §18: data follows its rooms, users and messages (§19). A deleted room, user or message takes its metadata, state, history and the
 * subscriptions to it along (a user also their own subscriptions); a member who leaves a private room, or is
 * removed from it, stops receiving its events. What the app missed while it was disabled (the server fires no
 * event then, and fires some deletions never) is caught up two ways: a subject whose room or user is gone is
 * purged the next time anyone names it, and an admin's sweep (`reconcile`) checks every subject in the subject
 * index, a bounded batch per call.
 *
 * A subject is purged only once the server answered, for its id, that no such room or user exists; a lookup that
 * fails decides nothing (the subject is left for the next time). Room, user and message ids are never reused, so a
 * purged subject is never written again (see src/store/purge.ts for why the purge is safe beside writers in flight).
 */

/** What the lifecycle needs of the store (src/store/MetadataStore). */
export interface LifecycleStorePort {
    purge(subject: SubjectRef, subscriber?: string): Promise<{ removed: number; complete: boolean }>;
    holdsAnything(subject: SubjectRef): Promise<boolean>;
    indexedSubjects(namespace: Namespace, shard: number): Promise<SubjectRef[]>;
    endSubscriptions(subscriberId: string, which: (subscription: Subscription) => boolean): Promise<Subscription[]>;
}

/** Does a room or user with this id exist? By id only; throws when the server cannot tell. */
export interface Existence {
    exists(subject: SubjectRef): Promise<boolean>;
}

export interface LifecycleDeps {
    store: LifecycleStorePort;
    existence: Existence;
    settings: () => Promise<AppSettingsValues>;
    log: Log;
    /** shards of the subject index per namespace (src/store/records.ts INDEX_SHARDS) */
    shards: number;
    /** tells the webhooks following a purged subject that it is gone (SPEC §15: REMOVED) */
    announceRemoval?: (subject: SubjectRef) => Promise<void>;
}

export interface PurgedSubject {
    subject: string;
    /** records found and removed */
    records: number;
    /** false: something was left (a server that deletes one match per call, a long history): the next sweep goes on */
    complete: boolean;
}

export interface ReconcileRequest {
    cursor?: string;
    /** subjects to check in this call (1–200, default 50) */
    limit?: number;
}

export interface ReconcileView {
    /** subjects looked at in this batch */
    checked: number;
    /** those whose room or user no longer exists, purged */
    purged: PurgedSubject[];
    /** subjects whose existence the server could not tell (left for the next sweep) */
    undecided: string[];
    /** pass it back as `cursor` to go on; null when the sweep is done */
    next: string | null;
}

/** Builds the lifecycle service for one engine invocation (src/engine/lifecycleFactory.ts). */
export type LifecycleFactory<Read = unknown, Persistence = unknown, Logger = unknown> = (read: Read, persistence: Persistence, logger: Logger) => LifecycleService;

export interface LifecycleService {
    /** IPostRoomDeleted */
    roomDeleted(roomId: string): Promise<PurgedSubject>;
    /** IPostUserDeleted */
    userDeleted(userId: string): Promise<PurgedSubject>;
    /** IPostMessageDeleted (SPEC §19) */
    messageDeleted(messageId: string): Promise<PurgedSubject>;
    /** IPostRoomUserLeave (left or removed): the subscriptions the member loses; answers those ended */
    memberLeft(room: { id: string; type: string }, userId: string): Promise<Subscription[]>;
    /** a lookup of this id found nothing: purge what the app holds of it, once the server confirms it is gone */
    missing(namespace: Namespace, id: string): Promise<PurgedSubject | undefined>;
    /** admins: one batch of the sweep over every subject */
    reconcile(caller: Caller, request: ReconcileRequest): Promise<ReconcileView>;
}

export const DEFAULT_RECONCILE_BATCH = 50;
export const MAX_RECONCILE_BATCH = 200;

export function createLifecycleService(deps: LifecycleDeps): LifecycleService {
    async function purge(subject: SubjectRef): Promise<PurgedSubject> {
        const report = await deps.store.purge(subject, subject.namespace === 'user' ? subject.id : undefined);
        // Announced on every purge (a partial one too: what it removed is gone); webhooks get one REMOVED per purge call.
        if (report.removed > 0 && deps.announceRemoval) {
            await deps.announceRemoval(subject).catch((error) => deps.log.error(`metadata: webhooks could not be told that ${subject.namespace}:${subject.id} is gone`, errorText(error)));
        }
        return { subject: `${subject.namespace}:${subject.id}`, records: report.removed, complete: report.complete };
    }

    /** Purged when the server says the id is gone; undefined when it exists; throws when it cannot tell. */
    async function purgeIfGone(subject: SubjectRef): Promise<PurgedSubject | undefined> {
        if (await deps.existence.exists(subject)) return undefined;
        return purge(subject);
    }

    return {
        roomDeleted: (roomId) => purge({ namespace: 'room', id: roomId }),
        userDeleted: (userId) => purge({ namespace: 'user', id: userId }),
        // Every message deleted on the server comes here: one read tells whether the app holds anything of it.
        async messageDeleted(messageId) {
            const subject: SubjectRef = { namespace: 'message', id: messageId };
            if (!(await deps.store.holdsAnything(subject))) return { subject: `message:${messageId}`, records: 0, complete: true };
            return purge(subject);
        },

        async memberLeft(room, userId) {
            // Anyone may read a public channel: only a closed room's subscription goes. Events delivered in a room
            // reach its members only, so a subscription delivered in the room left goes too.
            const closed = room.type !== 'c';
            return deps.store.endSubscriptions(userId, (s) =>
                s.roomId === room.id || (closed && s.subject.namespace === 'room' && s.subject.id === room.id));
        },

        async missing(namespace, id) {
            if (typeof id !== 'string' || id.trim() === '' || id !== id.trim()) return undefined;
            const subject = { namespace, id };
            if (!(await deps.store.holdsAnything(subject))) return undefined;
            return purgeIfGone(subject);
        },

        async reconcile(caller, request) {
            const settings = await deps.settings();
            if (!isAdmin({ callerRoles: caller.roles ?? [], adminRoles: settings.adminRoles })) {
                throw new MetadataError('forbidden', 'Only admins may reconcile the metadata store.');
            }
            const limit = batchSize(request.limit, DEFAULT_RECONCILE_BATCH, MAX_RECONCILE_BATCH);
            const view: ReconcileView = { checked: 0, purged: [], undecided: [], next: null };
            view.next = await walkIndex(deps.store, deps.shards, { cursor: request.cursor, limit }, async (subjects) => {
                const outcomes = await Promise.all(subjects.map(async (subject) => {
                    try {
                        return { subject, purged: await purgeIfGone(subject) };
                    } catch (error) {
                        deps.log.error(`metadata: reconcile could not check ${subject.namespace}:${subject.id}; left for the next sweep`, errorText(error));
                        return { subject, undecided: true };
                    }
                }));
                for (const outcome of outcomes) {
                    view.checked += 1;
                    if ('undecided' in outcome) view.undecided.push(`${outcome.subject.namespace}:${outcome.subject.id}`);
                    else if (outcome.purged) view.purged.push(outcome.purged);
                }
            });
            return view;
        },
    };
}

/**
 * A directory that reports every id it was asked for and did not find (a subject named by anyone is "touched"),
 * so what the app holds of a room or user deleted while it was not listening is purged then. The check runs in
 * the background: the caller's 404 does not wait for it.
 */
export function purgingMisses(directory: Directory, lifecycle: () => LifecycleService, log: Log): Directory {
    const touched = (namespace: Namespace, ref: string) => {
        void Promise.resolve()
            .then(() => lifecycle().missing(namespace, ref))
            .catch((error) => log.error(`metadata: could not purge ${namespace}:${ref}, whose ${namespace} is gone`, errorText(error)));
    };
    return {
        ...directory,
        async findUser(ref) {
            const found = await directory.findUser(ref);
            if (!found) touched('user', ref);
            return found;
        },
        async findRoom(ref) {
            const found = await directory.findRoom(ref);
            if (!found) touched('room', ref);
            return found;
        },
        async findMessage(id) {
            const found = await directory.findMessage(id);
            if (!found) touched('message', id);
            return found;
        },
    };
}

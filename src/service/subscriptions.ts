import { MetadataError } from '../core/errors';
import { foldState } from '../core/state/fold';
import { buildView } from './buildView';
import { ServiceDeps } from './deps';
import { refOf, resolveSubject, ResolvedSubject } from './resolveSubject';
import { errorText } from './runEffects';
import { Caller, SubjectInfo, SubjectTarget, SubscriptionView } from './types';

/**
 * A subscription of the caller to a subject they may read; events go to the room it names, which
 * must be one the caller is in (an ephemeral message reaches only members), else to their direct
 * room with the app's bot. Subscribing again moves the subscription and sends a fresh SNAPSHOT.
 */
export async function subscribe(
    deps: ServiceDeps,
    caller: Caller,
    subject: ResolvedSubject,
    mayReadPrivate: boolean,
    roomId: string | undefined,
): Promise<SubscriptionView> {
    const deliveryRoomId = roomId === undefined ? await directRoom(deps, caller) : await roomOfCaller(deps, caller, roomId);
    const createdAt = new Date(deps.clock.now()).toISOString();
    const ref = refOf(subject);
    await deps.store.putSubscription({ subscriberId: caller.id, subject: ref, roomId: deliveryRoomId, createdAt });
    const { set, stateOps } = await deps.store.load(ref);
    const view = buildView(subject.info, set, foldState(stateOps), mayReadPrivate);
    try {
        await deps.snapshots.snapshot(caller, deliveryRoomId, view);
    } catch (error) {
        deps.log.error('metadata: the SNAPSHOT of a new subscription could not be delivered', errorText(error));
    }
    return { subject: { ...subject.info }, roomId: deliveryRoomId, createdAt };
}

/** Idempotent; a subject that no longer exists can still be left by its id. */
export async function unsubscribe(deps: ServiceDeps, caller: Caller, target: SubjectTarget): Promise<void> {
    let ref: { namespace: SubjectTarget['namespace']; id: string };
    try {
        ref = refOf(await resolveSubject(deps.directory, caller, target));
    } catch (error) {
        if (!(error instanceof MetadataError) || error.code !== 'subject_not_found') throw error;
        ref = { namespace: target.namespace, id: target.ref };
    }
    await deps.store.removeSubscription(caller.id, ref);
}

export async function subscriptionsOf(deps: ServiceDeps, caller: Caller): Promise<SubscriptionView[]> {
    const subscriptions = await deps.store.subscriptionsOf(caller.id);
    const views = await Promise.all(subscriptions.map(async (subscription) => ({
        subject: await describe(deps, subscription.subject.namespace, subscription.subject.id),
        roomId: subscription.roomId,
        createdAt: subscription.createdAt,
    })));
    return views.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.subject.id.localeCompare(b.subject.id));
}

async function describe(deps: ServiceDeps, namespace: SubjectInfo['namespace'], id: string): Promise<SubjectInfo> {
    const entry = namespace === 'user' ? await deps.directory.findUser(id) : await deps.directory.findRoom(id);
    const name = entry ? ('username' in entry ? entry.username : entry.name) : id;
    return { namespace, id, name };
}

async function roomOfCaller(deps: ServiceDeps, caller: Caller, roomRef: string): Promise<string> {
    const room = typeof roomRef === 'string' && roomRef.trim() !== '' ? await deps.directory.findRoom(roomRef.trim()) : undefined;
    if (!room) {
        throw new MetadataError('invalid_request', `roomId ${JSON.stringify(String(roomRef))} names no room; give the id of a room you are in, or leave it out.`);
    }
    if (!(await deps.directory.isMember(room.id, caller.id))) {
        throw new MetadataError('forbidden', `You are not in room ${room.name}, so events could not reach you there; pick a room you are in.`);
    }
    return room.id;
}

async function directRoom(deps: ServiceDeps, caller: Caller): Promise<string> {
    try {
        return await deps.deliveryRooms.directRoomWith(caller);
    } catch (error) {
        deps.log.error('metadata: no direct room with the app bot', errorText(error));
        throw new MetadataError(
            'operation_not_allowed',
            'Events could not be routed to a direct room with the app\'s bot here; subscribe again naming a room you are in (roomId).',
        );
    }
}

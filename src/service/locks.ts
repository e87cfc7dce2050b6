import { canWrite } from '../access/rules';
import { isMetadataError } from '../core/errors';
import { LOCK_WAIT, LockChange, LockHold, liveLocks, planAcquire, planExpiry, planRelease } from '../core/locks';
import { LockRequest, SubjectRef } from '../core/types';
import { AppSettingsValues } from '../settings';
import { assertMayRead, assertMayWrite, gatherFacts } from './authorise';
import { ServiceDeps } from './deps';
import { refOf, resolveSubject } from './resolveSubject';
import { errorText } from './runEffects';
import { Caller, SubjectInfo, SubjectTarget } from './types';
import { takeWriteToken } from './writeRate';

/** One held lock as readers see it (SPEC §16). */
export interface LockView {
    name: string;
    holder: { id: string; username: string };
    acquiredAt: string;
    expiresAt: string;
}

export interface LocksView {
    subject: SubjectInfo;
    locks: LockView[];
}

export interface LockChangeView {
    subject: SubjectInfo;
    /** what the call did */
    change: LockChange['kind'];
    lock: LockView;
}

/** How often an acquire that may wait tries again while the lock is held. */
const WAIT_POLL_MS = 500;

/**
 * Named locks of a subject (SPEC §16): acquire (and renew), release or revoke, list, and the expiry the
 * scheduler asks for. Every change is decided by the store in the subject's one order (store/revisionLog.ts),
 * so at most one holder per lock in that order, and item writes naming a lock are judged in it too.
 */
export function lockOperations(deps: ServiceDeps) {
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

    /** `lock`: may write the subject; `release`: may read it (the holder lets go; revoking is judged by the write rule); `read` */
    async function subjectFor(caller: Caller, target: SubjectTarget, need: 'lock' | 'release' | 'read') {
        const [settings, subject] = await Promise.all([deps.settings(), resolveSubject(deps.directory, caller, target)]);
        const facts = await gatherFacts(deps.directory, caller, subject, settings, need !== 'read');
        if (need === 'lock') assertMayWrite(facts, subject);
        else assertMayRead(facts, subject);
        return { settings, subject, facts };
    }

    async function viewOf(hold: LockHold): Promise<LockView> {
        const user = await deps.directory.findUser(hold.holder).catch(() => undefined);
        return { name: hold.name, holder: { id: hold.holder, username: user?.username ?? hold.holder }, acquiredAt: hold.acquiredAt, expiresAt: hold.expiresAt };
    }

    /** After a decided change: its LOCK event(s), and the expiry of a new or renewed hold, never failing the change. */
    async function afterChange(settings: AppSettingsValues, subject: SubjectInfo, ref: SubjectRef, change: LockChange): Promise<void> {
        const at = new Date(deps.clock.now()).toISOString();
        const changes: LockChange[] = change.replaced ? [{ kind: 'expired', hold: change.replaced, by: '' }, change] : [change];
        try {
            if (change.kind === 'acquired' || change.kind === 'renewed') await deps.lockTimer?.expireAt(ref, change.hold);
            for (const each of changes) await deps.announceLock?.({ subject, change: each, at }, settings);
        } catch (error) {
            deps.log.error('metadata: a lock event or expiry could not be scheduled; the lock change stands', errorText(error));
        }
    }

    return {
        /** Acquires `name`, or renews the caller's own hold; waits up to `wait` s for a held lock. */
        async acquireLock(caller: Caller, target: SubjectTarget, request: LockRequest): Promise<LockChangeView> {
            const { settings, subject } = await subjectFor(caller, target, 'lock');
            takeWriteToken(deps, caller, settings);
            const ref = refOf(subject);
            const holdId = deps.newId();
            const deadline = deps.clock.now() + Math.min(request.wait, LOCK_WAIT.effectiveMax) * 1000;
            for (;;) {
                try {
                    const { plan } = await deps.store.changeLocks(ref, ({ locks = [] }) =>
                        planAcquire(locks, { name: request.name, userId: caller.id, ttl: request.ttl, nowMs: deps.clock.now(), holdId }));
                    const change = (plan as NonNullable<typeof plan>).change;
                    await afterChange(settings, subject.info, ref, change);
                    return { subject: subject.info, change: change.kind, lock: await viewOf(change.hold) };
                } catch (error) {
                    const left = deadline - deps.clock.now();
                    if (!isMetadataError(error) || error.code !== 'locked' || left <= 0) throw error;
                    await sleep(Math.min(WAIT_POLL_MS, left));
                }
            }
        },

        /** Releases the caller's hold, or revokes another's (whoever may write the subject; admins). */
        async releaseLock(caller: Caller, target: SubjectTarget, name: string): Promise<LockChangeView> {
            const { settings, subject, facts } = await subjectFor(caller, target, 'release');
            takeWriteToken(deps, caller, settings);
            const ref = refOf(subject);
            const { plan } = await deps.store.changeLocks(ref, ({ locks = [] }) =>
                planRelease(locks, { name, userId: caller.id, mayRevoke: canWrite(facts), nowMs: deps.clock.now() }));
            const change = (plan as NonNullable<typeof plan>).change;
            await afterChange(settings, subject.info, ref, change);
            return { subject: subject.info, change: change.kind, lock: await viewOf(change.hold) };
        },

        /** The holds in force, for whoever may read the subject. */
        async locks(caller: Caller, target: SubjectTarget): Promise<LocksView> {
            const { subject } = await subjectFor(caller, target, 'read');
            const { locks = [] } = await deps.store.load(refOf(subject));
            return { subject: subject.info, locks: await Promise.all(liveLocks(locks, deps.clock.now()).map(viewOf)) };
        },

        /**
         * The scheduler's call once a hold's time is up: decides its expiry (once: a renewal, a release or a
         * takeover since leaves nothing to do) and sends its LOCK event. Not a surface's: no caller.
         */
        async expireLock(ref: SubjectRef, name: string, holdId: string): Promise<void> {
            const { plan } = await deps.store.changeLocks(ref, ({ locks = [] }) => planExpiry(locks, { name, holdId, nowMs: deps.clock.now() }));
            if (!plan) return;
            const settings = await deps.settings();
            const subject = await resolveSubject(deps.directory, { id: '', username: '', roles: [] }, { namespace: ref.namespace, ref: ref.id }).catch(() => undefined);
            if (subject) await afterChange(settings, subject.info, ref, plan.change);
        },
    };
}


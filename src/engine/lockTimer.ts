import { ILogger, IModify } from '@rocket.chat/apps-engine/definition/accessors';
import { IJobContext, IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';

import { LockHold } from '../core/locks';
import { NAMESPACES, SubjectRef } from '../core/types';
import { LockTimer } from '../service/ports';
import { MetadataService } from '../service/types';

/** The scheduler job that decides a lock's expiry (SPEC §16: events from the scheduler, no sweeper on the hot path). */
export const LOCK_EXPIRY_JOB = 'lock-expiry';

/** A moment past the expiry, so the instance that runs the job finds the hold expired even with a slightly slow clock. */
const EXPIRY_MARGIN_MS = 1000;

export function createLockTimer(modify: IModify): LockTimer {
    return {
        async expireAt(subject: SubjectRef, hold: LockHold): Promise<void> {
            await modify.getScheduler().scheduleOnce({
                id: LOCK_EXPIRY_JOB,
                when: new Date(Date.parse(hold.expiresAt) + EXPIRY_MARGIN_MS),
                data: { namespace: subject.namespace, id: subject.id, name: hold.name, holdId: hold.holdId },
            });
        },
    };
}

/**
 * Runs on whichever instance the scheduler picks: the expiry is decided through the store like every lock
 * change, so a hold renewed, released or taken over since is left alone, and a job run twice decides once.
 */
export function lockExpiry(app: { getLogger(): ILogger }, services: (...args: Parameters<IProcessor['processor']>) => MetadataService): IProcessor {
    return {
        id: LOCK_EXPIRY_JOB,
        processor: async (job: IJobContext, ...rest) => {
            const { namespace, id, name, holdId } = job as Record<string, unknown>;
            if (!NAMESPACES.includes(namespace as SubjectRef['namespace']) || typeof id !== 'string' || typeof name !== 'string' || typeof holdId !== 'string') {
                app.getLogger().error('metadata: a lock-expiry job without its subject, lock and hold', job);
                return;
            }
            await services(job, ...rest).expireLock({ namespace: namespace as SubjectRef['namespace'], id }, name, holdId);
        },
    };
}

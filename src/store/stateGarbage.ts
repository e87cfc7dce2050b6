import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { collectGarbage } from '../core/state/garbage';
import { StateOp, SubjectRef } from '../core/types';
import { stateOpRecord } from './records';

export interface GarbageOptions {
    /** collect only when the load saw more state ops than this */
    gcThreshold: number;
    /** at most this many deletions (one call each) per append */
    gcBatch: number;
    /** only ops older than this are collected: ops from other instances may still be on their way */
    gcGraceMs: number;
    now: () => number;
    /** a failed deletion is reported here and otherwise ignored: a later append retries it */
    onGcError: (error: unknown) => void;
}

/**
 * Deletes a bounded batch of superseded state ops of a subject, best effort; answers the ids deleted.
 *
 * Each op is its own record with a unique associations array, so one removeByAssociations deletes
 * exactly it on every server version. The batch is the FRONT of `collectGarbage`'s answer and
 * stops at the first failure: any prefix of that answer is safe to delete (an add goes before the
 * remove that hides it), whereas skipping a failed deletion and going on might not be. Two
 * instances collecting at once delete overlapping prefixes of the same answer; deleting an op that
 * is already gone does nothing.
 */
export async function collectStateGarbage(
    persistence: IPersistence,
    subject: SubjectRef,
    loadedCount: number,
    ops: readonly StateOp[],
    options: GarbageOptions,
): Promise<Set<string>> {
    const deleted = new Set<string>();
    if (loadedCount <= options.gcThreshold || options.gcBatch <= 0) return deleted;
    try {
        for (const id of collectGarbage(ops, options.now(), options.gcGraceMs).slice(0, options.gcBatch)) {
            await persistence.removeByAssociations(stateOpRecord(subject, id));
            deleted.add(id);
        }
    } catch (error) {
        // The op was appended already: collection must never turn that success into an error.
        try {
            options.onGcError(error);
        } catch {
            // a failing logger changes nothing
        }
    }
    return deleted;
}

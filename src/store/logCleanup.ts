import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { SubjectRef } from '../core/types';
import { claimsOf, legacyItemsRecord, logEntryRecord } from './records';
import { LogView, logGarbage } from './revisionLog';

/**
 * Removes up to `batch` log entries that no read needs any more once `committed` is (revisionLog.ts says which and why
 * that is safe), oldest first, one call each; and, once a commit has superseded it, the items record
 * and the claims an older app version left. Runs after the answer, outside the subject's queue; a
 * failure stops the batch, and the next write's clean-up picks up where this one stopped. Two
 * instances cleaning at once remove overlapping entries: removing one already gone does nothing.
 */
export async function cleanUpLog(persistence: IPersistence, subject: SubjectRef, view: LogView, committed: number, batch: number): Promise<void> {
    const removals = logGarbage(view, committed)
        .slice(0, batch)
        .map((entry) => logEntryRecord(subject, entry.step, entry.revision, entry.ballot.nonce));
    if (view.legacy === 'superseded') removals.push(legacyItemsRecord(subject), claimsOf(subject));
    for (const associations of removals) await persistence.removeByAssociations(associations);
}

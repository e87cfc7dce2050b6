import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { SubjectRef } from '../core/types';
import { encodeHistory } from './codec';
import { claimsOf, historyRecord, legacyItemsRecord, logEntryRecord } from './records';
import { decidedAccept, LogView, logGarbage } from './revisionLog';

/**
 * Removes up to `batch` log entries that no read needs any more once `committed` (a position) is (revisionLog.ts
 * says which and why that is safe), oldest first, one call each; and, once a commit has superseded
 * it, the items record and the claims an older app version left. Before a decided accept goes, its
 * history entry is made sure of (its committer may have stopped between commit and history): the
 * accept is the last place that change is written down. Runs after the answer, outside the subject's
 * queue; a failure stops the batch, and the next write's clean-up picks up where this one stopped.
 * Two instances cleaning at once remove overlapping entries: removing one already gone does nothing.
 */
export async function cleanUpLog(
    read: IPersistenceRead,
    persistence: IPersistence,
    subject: SubjectRef,
    view: LogView,
    committed: number,
    batch: number,
): Promise<void> {
    for (const entry of logGarbage(view, committed).slice(0, batch)) {
        const decided = entry.step === 'accept' ? decidedAccept(view, entry.position) : undefined;
        // Only item writes have history (a lock change keeps the majorRevision).
        if (decided === entry && !decided.lockChange) {
            const revision = decided.set.majorRevision;
            const kept = await read.readByAssociations(historyRecord(subject, revision));
            if (!kept || kept.length === 0) await persistence.createWithAssociations(encodeHistory(subject, decided), historyRecord(subject, revision));
        }
        await persistence.removeByAssociations(logEntryRecord(subject, entry.step, entry.position, entry.ballot.nonce));
    }
    if (view.legacy === 'superseded') {
        await persistence.removeByAssociations(legacyItemsRecord(subject));
        await persistence.removeByAssociations(claimsOf(subject));
    }
}

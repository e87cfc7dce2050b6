import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { SubjectRef } from '../core/types';
import { claimsOf, historyOf, RecordKind, subjectData, subjectDataOfKind, subscriptionsBy, subscriptionsTo } from './records';

/*
 * THE PURGE of a subject whose room or user no longer exists (SPEC §18): every record of it goes, family by
 * family, with calls that only remove (never create), each one a `removeByAssociations` of a partial array that
 * matches the whole family (`$all`). Some servers delete only one match per call and answer with all of them, so a
 * family is called again while the answer named more than one.
 *
 * The order is chosen for the writers that may be in the middle of a write to the subject on any instance:
 *   1. commits first. From then on every read of the subject shows a newest revision below what any writer that
 *      started earlier saw, and the store's writer stops at that read (`vanished` in MetadataStore.decide): it
 *      answers 404, removes the entries of its attempt, and decides nothing. A writer never builds on a log that
 *      went back, so no write of the old subject is carried into what remains.
 *   2. accepts, prepares, the entries of state choices, state ops, a first-release items record, claims;
 *   3. history, the subscriptions to the subject (and, for a user, the user's own subscriptions);
 *   4. last, whatever is still tagged with the subject — its index entry, and any entry a writer's late call
 *      created meanwhile. The index entry goes last so that a purge that stops half-way (a failed call, a
 *      restart) is still listed, and the next sweep or touch finishes it.
 *
 * Why it cannot wedge anything (revisionLog.ts): nothing the protocol does waits for a record or holds one; a
 * record can only raise the next ballot's rank, be adopted and committed, or raise the newest commit. Any
 * subset of a log — what remains after a purge that stopped half-way, plus what late calls of old writers add —
 * is therefore a log that loads (a commit without its accept reads as "that revision, the items of the newest
 * whole one below", as after a one-record uninstall purge) and takes the next write: its writer proposes above
 * the newest commit it sees and decides alone in one attempt. And a purged subject is never written again in
 * Rocket.Chat, because rooms and users are purged only once the server says their id no longer exists, and ids
 * are never reused: every later request for it is a 404 before the store is asked.
 */

/** Calls per family at most (a subject keeps at most ~1,000 history entries; one call each on one-match servers). */
const MAX_ROUNDS_PER_FAMILY = 1_200;

const LOG_FIRST: RecordKind[] = ['commit', 'accept', 'prepare', 'choice-accept', 'choice-prepare', 'state-op', 'items'];

export interface PurgeReport {
    /** records found at the first call of each family (what the purge removed, stragglers aside) */
    removed: number;
    /** false when a family still answered more than one match after MAX_ROUNDS_PER_FAMILY calls: purge again */
    complete: boolean;
}

/** Every record of the subject, and for `subscriber` (a deleted user) their own subscriptions too. */
export async function purgeSubject(persistence: IPersistence, subject: SubjectRef, subscriber?: string): Promise<PurgeReport> {
    const families: RocketChatAssociationRecord[][] = [
        ...LOG_FIRST.map((kind) => subjectDataOfKind(subject, kind)),
        claimsOf(subject),
        historyOf(subject),
        subscriptionsTo(subject),
        ...(subscriber === undefined ? [] : [subscriptionsBy(subscriber)]),
        subjectData(subject),
    ];
    const report: PurgeReport = { removed: 0, complete: true };
    for (const family of families) {
        const { removed, complete } = await removeEvery(persistence, family);
        report.removed += removed;
        report.complete &&= complete;
    }
    return report;
}

/** Removes every record that holds `associations`, on servers that delete all matches per call and on those that delete one. */
export async function removeEvery(persistence: IPersistence, associations: RocketChatAssociationRecord[]): Promise<PurgeReport> {
    let removed = 0;
    for (let round = 0; round < MAX_ROUNDS_PER_FAMILY; round++) {
        const answer = await persistence.removeByAssociations(associations);
        const found = Array.isArray(answer) ? answer.length : 0;
        // Every server answers with all the matches it found: the first answer counts the family.
        if (round === 0) removed = found;
        if (found <= 1) return { removed, complete: true };
    }
    return { removed, complete: false };
}

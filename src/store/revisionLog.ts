import { LockHold } from '../core/locks';
import { MetadataSet } from '../core/types';
import { Ballot, LogEntry } from './codec';

/*
 * THE REVISION LOG: how any number of instances that share one database agree on the one write that
 * becomes majorRevision R of a subject, with no assumption about timing at all.
 *
 * POSITIONS. The log is a sequence of single-decree Paxos instances, "positions" 1, 2, 3…; each decides
 * one value: the subject's items (with their majorRevision) and its lock holds (core/locks.ts). An item
 * write decides the next position with majorRevision + 1; a lock change decides it keeping the
 * majorRevision (SPEC §3: only item writes count). Until a subject's first lock change, position and
 * majorRevision are equal, which is how every log written before locks reads. Below, "revision R" is
 * the position R: the proof is about positions; the majorRevision only rides in the value. Because
 * lock changes and item writes take positions of the one sequence, a write that names a lock is
 * judged on the holds of the very position it builds on: in the decided order, no write of a former
 * holder follows a change of holder, whatever the clocks say.
 *
 * The database offers no compare-and-set, but it offers enough for Disk Paxos (Gafni & Lamport):
 *   (P1) `createWithAssociations` adds a record and never overwrites one;
 *   (P2) a `readByAssociations` that starts after a create returned sees that record, unless it was
 *        removed; one read is one consistent view (a MongoDB find of a few records runs in one
 *        snapshot on the primary, as Rocket.Chat reads by default).
 * A call may land at any time before it answers, or after it answered with an error, or never. No
 * record of the log is ever updated, so a call that lands late can add a record, never change one.
 *
 * Per revision R, single-decree Paxos over the records of the subject:
 *   prepare(R, b)     phase 1a: "ballot b is trying R"                             (no value)
 *   accept(R, b, v)   phase 2a: "ballot b proposes v as R" — v is the whole set at R and the writeId
 *                     of the request that built it
 *   commit(R, b)      "ballot b's value is decided as R" — written only by whoever decided it
 * A ballot is (rank, nonce), ordered by rank then nonce; every attempt takes a fresh nonce, so no two
 * attempts share a ballot. Every step below is one call; "read" is one read of all the subject's data.
 *
 *   load         read; R = 1 + the newest committed revision.
 *   phase 1      create prepare(R, b) with b above every ballot seen at R; read.
 *                A commit at R or above?      R is taken: start over on that view (CAS is judged again).
 *                A ballot above b at R?       lost: back off, start over.
 *                Else v = the value of the highest-ballot accept at R if there is one (it may have been
 *                decided: adopt it), otherwise the caller's own change computed on THIS read.
 *   phase 2      create accept(R, b, v); read.
 *                A commit at R or above, or a ballot above b at R?   not decided: as above.
 *                Else v is decided as R.
 *   commit       create commit(R, b). If v was the caller's own, acknowledge; if it was adopted,
 *                start over at R + 1 (the adopted write belongs to a request that may never answer).
 *
 * Claim: at most one value is ever decided as R. Let ballots b < b' both decide, with values v, v'.
 *   b's phase-2 read came after accept(R, b, v) and saw no ballot above b, so it did not see
 *   prepare(R, b'): by (P2) that prepare was created after b's read started (clean-up aside, below),
 *   so after accept(R, b, v) existed. b''s phase-1 read follows its prepare, so it saw accept(R, b, v)
 *   and adopted the value of the highest ballot c ≥ b it saw at R. By induction over the ballots
 *   between b and b' (each of them that accepted anything adopted the same way), that value is v.
 *   So v' = v. The extra "commit seen" exits only make fewer decisions.
 * Hence: one acknowledged write per majorRevision; a decided write is never undone (every later
 * proposer for R adopts it, every later revision is built on a load that shows it); majorRevision
 * never goes back (loads take the newest commit, and commits are removed only below a newer one); a
 * read shows only committed, so decided, revisions. None of this uses a clock.
 *
 * Clean-up (after the answer, never under the subject's lock) removes entries of revisions below the
 * newest commit N, and commits older than N − KEPT_COMMITS. That cannot break the claim: an entry of
 * revision R < N is removed only once a commit ≥ R exists, and a commit is removed only below a newer
 * one, so every read after the removal sees a commit ≥ R, and every proposer for R leaves at that read
 * without deciding. A proposer also removes its own prepare when it never sent an accept: a prepare
 * only protects its own ballot's later accept.
 *
 * No wedge: nothing is leased or locked. A writer that crashed or paused leaves entries that only
 * raise the next ballot's rank or, if it left an accept, get adopted and committed by the next writer,
 * who then writes its own change on top. After the last pause ends, a writer that is alone decides
 * in one attempt. Contention costs retries (randomised back-off), and after `maxAttempts` a
 * `503 try_again`: timing decides who wins, never whether two win.
 *
 * The purge of an uninstalled app may delete a single record: whatever is left is still a log that
 * loads and accepts writes (a missing accept under the newest commit makes the load fall back to the
 * newest whole revision below it, keeping the revision number).
 */

/** Commit markers kept below the newest, so a paused writer can still learn whether its write was decided. */
export const KEPT_COMMITS = 8;

export function compareBallots(a: Ballot, b: Ballot): number {
    if (a.rank !== b.rank) return a.rank - b.rank;
    return a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0;
}

/** The base an older app version left: its single items record. */
export interface LegacyBase {
    set: MetadataSet;
}

/** One read of a subject's log, settled. */
export interface LogView {
    /** the newest committed position (0 for an empty log) */
    position: number;
    /** the set of the newest committed position whose value is readable */
    set: MetadataSet;
    /** the lock holds at that position, expired ones included (core/locks.ts decides expiry) */
    locks: LockHold[];
    /** every entry read (for the next phase and for clean-up) */
    entries: LogEntry[];
    /** false when the newest commit's accept was missing (a purge, or a read racing a clean-up): read again */
    whole: boolean;
    /** an older app version's items record: none, the current base, or below a commit (to remove) */
    legacy: 'none' | 'base' | 'superseded';
}

const EMPTY: MetadataSet = { majorRevision: 0, items: [] };

/** A decided accept: the value of its position. */
export type Accept = LogEntry & { set: MetadataSet };

/** The committed state as one read shows it. */
export function settle(entries: LogEntry[], legacy: LegacyBase | undefined): LogView {
    const accepts = new Map<string, Accept>();
    for (const entry of entries) if (entry.step === 'accept' && entry.set) accepts.set(entryKey(entry), entry as Accept);
    let newest: LogEntry | undefined;
    let best: Accept | undefined;
    for (const entry of entries) {
        if (entry.step !== 'commit') continue;
        if (!newest || entry.position > newest.position) newest = entry;
        const decided = accepts.get(entryKey(entry));
        if (decided && (!best || decided.position > best.position)) best = decided;
    }
    const newestPosition = newest?.position ?? 0;
    // An older app version's items record is the base (at the position of its revision) until a decided value replaces it.
    const base = legacy !== undefined && legacy.set.majorRevision >= (best?.position ?? 0);
    const valuePosition = base ? legacy.set.majorRevision : (best?.position ?? 0);
    let set = base ? legacy.set : (best?.set ?? EMPTY);
    const locks = base ? [] : (best?.locks ?? []);
    const whole = newestPosition <= valuePosition;
    // Never show a revision below a commit that exists: the items are those of the newest whole position.
    if (!whole && newest) set = { majorRevision: Math.max(newest.majorRevision ?? newestPosition, set.majorRevision), items: set.items };
    const position = Math.max(newestPosition, valuePosition);
    return { position, set, locks, entries, whole, legacy: legacy === undefined ? 'none' : base ? 'base' : 'superseded' };
}

/** The rank a new ballot for `position` takes: above every ballot seen there. */
export function nextRank(view: LogView, position: number): number {
    let rank = 0;
    for (const entry of view.entries) if (entry.position === position && entry.step !== 'commit') rank = Math.max(rank, entry.ballot.rank);
    return rank + 1;
}

/** Is there a prepare or accept for `position` with a ballot above `ballot`? Then `ballot` lost. */
export function outranked(view: LogView, position: number, ballot: Ballot): boolean {
    return view.entries.some((e) => e.position === position && e.step !== 'commit' && compareBallots(e.ballot, ballot) > 0);
}

/** The accept with the highest ballot for `position`: the only value phase 1 may carry on with. */
export function highestAccept(view: LogView, position: number): Accept | undefined {
    let highest: Accept | undefined;
    for (const entry of view.entries) {
        if (entry.step !== 'accept' || entry.position !== position || !entry.set) continue;
        if (!highest || compareBallots(entry.ballot, highest.ballot) > 0) highest = entry as Accept;
    }
    return highest;
}

/**
 * Where a request's accept for `position` stands once the view shows `position` committed: `decided`
 * (a commit carries its writeId: whoever committed it adopted it), `lost` (a commit for another write
 * is there), or `unknown` (the commits it needs were cleaned up while it was paused).
 */
export function fateOf(view: LogView, writeId: string, position: number): 'decided' | 'lost' | 'unknown' {
    const commits = view.entries.filter((e) => e.step === 'commit' && e.position === position);
    if (commits.some((c) => c.writeId === writeId)) return 'decided';
    return commits.length > 0 ? 'lost' : 'unknown';
}

/** The accept decided at `position`, while the view still holds it and its commit. */
export function decidedAccept(view: LogView, position: number): Accept | undefined {
    const commits = view.entries.filter((e) => e.step === 'commit' && e.position === position);
    const accept = view.entries.find((e) => e.step === 'accept' && e.set && commits.some((c) => entryKey(c) === entryKey(e)));
    return accept as Accept | undefined;
}

/** The decided item write that made `majorRevision`, while the view still holds it (lock changes keep a majorRevision, never make one). */
export function decidedItemWrite(view: LogView, majorRevision: number): Accept | undefined {
    const positions = new Set(view.entries.filter((e) => e.step === 'commit').map((e) => e.position));
    for (const position of positions) {
        const accept = decidedAccept(view, position);
        if (accept && !accept.lockChange && accept.set.majorRevision === majorRevision) return accept;
    }
    return undefined;
}

/**
 * Entries that no read needs any more, oldest first, in a view read before `committed` was: every
 * prepare and accept below the newest committed position (its own accept stays: it holds the current
 * value) and commits more than KEPT_COMMITS below it.
 */
export function logGarbage(view: LogView, committed: number): LogEntry[] {
    const newest = Math.max(view.position, committed);
    if (!view.whole) return [];
    return view.entries
        .filter((e) => (e.step === 'commit' ? e.position < newest - KEPT_COMMITS : e.position < newest))
        .sort((a, b) => a.position - b.position);
}

function entryKey(entry: LogEntry): string {
    return `${entry.position}|${entry.ballot.rank}|${entry.ballot.nonce}`;
}

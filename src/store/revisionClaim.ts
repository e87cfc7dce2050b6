import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { SubjectRef } from '../core/types';
import { ClaimData, decodeClaim, encodeClaim } from './codec';
import { newId } from './ids';
import { claimRecord, claimsAt, claimsOf } from './records';

/*
 * The revision claim: how instances that share one database agree on who commits majorRevision R.
 * The server offers no compare-and-set, but creates never collide and a read sees every create that
 * returned before it started (each call is one atomic MongoDB operation, read from the primary as
 * Rocket.Chat does by default).
 *
 * A writer that loaded revision R-1 creates a claim {R, nonce, at}, then reads every claim on the
 * subject. It wins — and only then writes the items record — when the read shows
 *   (1) its own claim,
 *   (2) no claim on any revision above R, and
 *   (3) no other FRESH claim on R (`at` younger than `freshMs`).
 *
 * At most one winner per revision: of two claims V and W on R, one was created first, say V. W's read
 * follows W's create, so it follows V's create and shows V — unless V was removed, which happens only
 * by V itself when it does not write, or by the sweep of the winner of a higher revision (and that
 * winner's claim, above R, fails W on (2)). So W loses on (3), unless V looks stale. V looks stale
 * to W only when W's read comes `freshMs` after V's `at`; but V writes only within `freshMs / 2` of
 * starting its attempt, and W loaded R-1 before V's write landed, so W's attempt has then run longer
 * than `freshMs / 2` and W gives up instead of writing (see `maxAttemptMs`). This holds while the
 * instances' clocks agree, and a write reaches the database, well within `freshMs / 2` (5 s).
 * Both may lose; each then backs off for a random time and tries again.
 *
 * Why ignore stale claims at all: a crashed instance must not block a subject forever; its claim
 * stops counting after `freshMs`.
 *
 * Claims are cleaned up cheaply: losers remove their own claim (exact, unique array); the winner of R
 * removes the claims on revisions below R it saw. The claim of the latest committed revision stays
 * until the next commit, which is what makes (2) catch a writer whose load is outdated.
 */

export interface ClaimTuning {
    /** a claim younger than this blocks other claims on its revision */
    freshMs: number;
    now: () => number;
}

export interface Stake {
    subject: SubjectRef;
    revision: number;
    nonce: string;
    at: number;
}

export interface Verdict {
    won: boolean;
    /** revisions below the staked one that still hold claims: to sweep after a win */
    older: number[];
}

/** Rules (1)–(3) above, over the claims one read returned. */
export function judge(claims: ClaimData[], stake: Stake, now: number, freshMs: number): Verdict {
    let ownSeen = false;
    let blocked = false;
    const older = new Set<number>();
    for (const claim of claims) {
        if (claim.nonce === stake.nonce && claim.revision === stake.revision) ownSeen = true;
        else if (claim.revision > stake.revision) blocked = true;
        else if (claim.revision === stake.revision && now - claim.at < freshMs) blocked = true;
        if (claim.revision < stake.revision) older.add(claim.revision);
    }
    return { won: ownSeen && !blocked, older: [...older].sort((a, b) => a - b) };
}

/** Sweeping is bounded per write; claims left behind by crashed instances go on later writes. */
const MAX_SWEEPS_PER_WRITE = 3;

export class RevisionClaims {
    constructor(
        private readonly read: IPersistenceRead,
        private readonly persistence: IPersistence,
        private readonly tuning: ClaimTuning,
    ) {}

    /** one call: createWithAssociations */
    async stake(subject: SubjectRef, revision: number): Promise<Stake> {
        const stake: Stake = { subject, revision, nonce: newId(), at: this.tuning.now() };
        await this.persistence.createWithAssociations(
            encodeClaim(subject, revision, stake.nonce, stake.at),
            claimRecord(subject, revision, stake.nonce),
        );
        return stake;
    }

    /** one call: readByAssociations of every claim on the subject */
    async judge(stake: Stake): Promise<Verdict> {
        const records = (await this.read.readByAssociations(claimsOf(stake.subject))) ?? [];
        const claims = records.map(decodeClaim).filter((c): c is ClaimData => c !== undefined);
        return judge(claims, stake, this.tuning.now(), this.tuning.freshMs);
    }

    /** one call; best effort: a claim left behind only blocks its revision until it is stale */
    async release(stake: Stake): Promise<void> {
        try {
            await this.persistence.removeByAssociations(claimRecord(stake.subject, stake.revision, stake.nonce));
        } catch {
            // nothing to undo
        }
    }

    /** one call per revision (usually one: R-1); best effort, after the write is already durable */
    async sweep(subject: SubjectRef, revisions: number[]): Promise<void> {
        for (const revision of revisions.slice(0, MAX_SWEEPS_PER_WRITE)) {
            try {
                await this.persistence.removeByAssociations(claimsAt(subject, revision));
            } catch {
                // left for a later write
            }
        }
    }
}

import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { MetadataError } from '../core/errors';
import { MetadataSet, StateOp, SubjectRef, WriteOutcome } from '../core/types';
import {
    compareStateOps, decodeItems, decodeStateOp, decodeSubscription, encodeItems, encodeStateOp, encodeSubscription, kindOf,
} from './codec';
import { newId } from './ids';
import { itemsRecord, stateOpRecord, subjectData, subscriptionRecord, subscriptionsBy, subscriptionsTo } from './records';
import { RevisionClaims } from './revisionClaim';
import { collectStateGarbage, GarbageOptions } from './stateGarbage';
import { processLocks, SubjectLocks } from './subjectLocks';
import { upsertConfirmed } from './upsert';

export interface SubjectSnapshot {
    set: MetadataSet;
    stateOps: StateOp[];
}

export interface SubscriptionRecord {
    subscriberId: string;
    subject: SubjectRef;
    roomId: string;
    createdAt: string;
}

export interface StoreOptions extends GarbageOptions {
    /** default: one set per app process (store objects live for one request) */
    locks: SubjectLocks;
    now: () => number;
    random: () => number;
    sleep: (ms: number) => Promise<void>;
    /** attempts at winning a revision before answering `revision_conflict` */
    maxAttempts: number;
    /** how long a claim blocks its revision; a crashed writer blocks its subject at most this long */
    claimFreshMs: number;
    /** first retry waits a random time in [backoffMs, 2·backoffMs), growing linearly per attempt */
    backoffMs: number;
}

const DEFAULTS: StoreOptions = {
    locks: processLocks,
    now: () => Date.now(),
    random: () => Math.random(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    maxAttempts: 6,
    claimFreshMs: 10_000,
    backoffMs: 15,
    gcThreshold: 64,
    gcBatch: 16,
    gcGraceMs: 60_000,
    onGcError: () => undefined,
};

const EMPTY: SubjectSnapshot = { set: { majorRevision: 0, items: [] }, stateOps: [] };

/*
 * Persistence calls per operation (server whose update answers normally / server whose update answer
 * throws after writing, which costs one read-back); test/store/callCounts.test.ts holds these numbers:
 *   load                  1      readByAssociations
 *   writeItems            5 / 6  load, create claim, read claims, update items, remove the previous claim
 *                                (4 on a subject's first write; 1 when nothing changes; every attempt
 *                                 lost to another instance adds 4: load, create, read, remove own claim)
 *   appendStateOp         2      load, createWithAssociations
 *                                (+1 removeByAssociations per superseded op collected, at most gcBatch,
 *                                 only when the load saw more than gcThreshold state ops)
 *   putSubscription       1 / 2  updateByAssociations (+ read-back when it replaces a subscription)
 *   removeSubscription    1      removeByAssociations
 *   subscriptionsOf/By    1      readByAssociations
 */
export class MetadataStore {
    private readonly options: StoreOptions;
    private readonly claims: RevisionClaims;

    constructor(
        private readonly read: IPersistenceRead,
        private readonly persistence: IPersistence,
        options: Partial<StoreOptions> = {},
    ) {
        this.options = { ...DEFAULTS, ...options };
        this.claims = new RevisionClaims(read, persistence, { freshMs: this.options.claimFreshMs, now: this.options.now });
    }

    /** one readByAssociations: items record + state ops of the subject */
    async load(subject: SubjectRef): Promise<SubjectSnapshot> {
        const records = (await this.read.readByAssociations(subjectData(subject))) ?? [];
        let best: { set: MetadataSet; writeId: string } | undefined;
        const ops = new Map<string, StateOp>();
        for (const data of records) {
            const kind = kindOf(data);
            if (kind === 'items') {
                const decoded = decodeItems(data);
                // Two records can exist if two first writes raced the upsert; the newest is the truth.
                if (decoded && (!best || newer(decoded, best))) best = decoded;
            } else if (kind === 'state-op') {
                const op = decodeStateOp(data);
                if (op && !ops.has(op.id)) ops.set(op.id, op);
            }
        }
        return { set: best?.set ?? EMPTY.set, stateOps: [...ops.values()].sort(compareStateOps) };
    }

    /**
     * Serialised per subject on this instance; `mutate` is pure and may throw (conflicts etc.), in which
     * case nothing is written. Across instances a revision claim decides who commits each revision; the
     * loser runs `mutate` again on a fresh load, so a CAS check in `mutate` sees the newer revision.
     */
    writeItems(
        subject: SubjectRef,
        mutate: (current: SubjectSnapshot) => WriteOutcome,
    ): Promise<{ outcome: WriteOutcome; after: SubjectSnapshot }> {
        return this.options.locks.run(`items|${subject.namespace}:${subject.id}`, () => this.commitItems(subject, mutate));
    }

    /**
     * Serialised per subject on this instance; the op is appended as its own record. Once the op is
     * stored, a long log also sheds a few superseded ops (see stateGarbage.ts): every append removes up
     * to `gcBatch` while adding one, so a subject's log stays near its live ops without a sweeper.
     */
    appendStateOp(subject: SubjectRef, plan: (current: SubjectSnapshot) => StateOp): Promise<{ op: StateOp; after: SubjectSnapshot }> {
        return this.options.locks.run(`state|${subject.namespace}:${subject.id}`, async () => {
            const current = await this.load(subject);
            const data = encodeStateOp(subject, plan(current));
            // What a later load will return, so the caller folds exactly what is stored.
            const op = decodeStateOp(data);
            if (!op) throw new Error(`a state op must have an id, a valid key, type, op, userId and time`);
            await this.persistence.createWithAssociations(data, stateOpRecord(subject, op.id));
            const stateOps = [...current.stateOps, op].sort(compareStateOps);
            const collected = await collectStateGarbage(this.persistence, subject, current.stateOps.length, stateOps, this.options);
            // Collected ops never change the fold; leaving them out keeps `after` equal to a later load.
            return { op, after: { set: current.set, stateOps: stateOps.filter((o) => !collected.has(o.id)) } };
        });
    }

    /** One record per (subscriber, subject); subscribing again replaces it (roomId, createdAt). */
    async putSubscription(record: SubscriptionRecord): Promise<void> {
        const writeId = newId();
        const result = await upsertConfirmed(
            this.read,
            this.persistence,
            subscriptionRecord(record.subscriberId, record.subject),
            encodeSubscription(record, writeId),
            // A concurrent subscribe to the same room may have overwritten ours: same outcome.
            (records) => records.map(decodeSubscription).some((s) => s !== undefined && (s.writeId === writeId || s.roomId === record.roomId)),
        );
        if (!result.ok) throw result.error;
    }

    /** false if there was none */
    async removeSubscription(subscriberId: string, subject: SubjectRef): Promise<boolean> {
        const exact = subscriptionRecord(subscriberId, subject);
        let removed = await this.removeAll(exact);
        let found = removed > 0;
        // Only a raced first subscribe makes duplicates; a server that deletes one match per call
        // reports them all, so call again while more than one was reported.
        for (let round = 0; removed > 1 && round < 3; round++) {
            removed = await this.removeAll(exact);
            found ||= removed > 0;
        }
        return found;
    }

    async subscriptionsOf(subscriberId: string): Promise<SubscriptionRecord[]> {
        return this.subscriptions(await this.read.readByAssociations(subscriptionsBy(subscriberId)));
    }

    async subscribersOf(subject: SubjectRef): Promise<SubscriptionRecord[]> {
        return this.subscriptions(await this.read.readByAssociations(subscriptionsTo(subject)));
    }

    // ---------------------------------------------------------------------------------------------

    private async commitItems(
        subject: SubjectRef,
        mutate: (current: SubjectSnapshot) => WriteOutcome,
    ): Promise<{ outcome: WriteOutcome; after: SubjectSnapshot }> {
        const { now, maxAttempts, claimFreshMs } = this.options;
        for (let attempt = 1; ; attempt++) {
            const started = now();
            const current = await this.load(subject);
            const outcome = mutate(current);
            if (!outcome.wrote) return { outcome, after: current };
            const revision = current.set.majorRevision + 1;
            if (outcome.set.majorRevision !== revision) {
                throw new Error(`a write from revision ${current.set.majorRevision} must produce ${revision}, not ${outcome.set.majorRevision}`);
            }
            const data = encodeItems(subject, outcome.set, newId());

            const stake = await this.claims.stake(subject, revision);
            const verdict = await this.claims.judge(stake);
            // A slow attempt may have been overtaken by a writer that took its claim for stale.
            if (verdict.won && now() - started < claimFreshMs / 2) {
                const result = await upsertConfirmed(this.read, this.persistence, itemsRecord(subject), data, (records) =>
                    records.some((r) => {
                        const stored = decodeItems(r);
                        // Only this claim could commit `revision`; anything above was built on it.
                        return stored !== undefined && (stored.writeId === data.writeId || stored.set.majorRevision > revision);
                    }),
                );
                if (!result.ok) {
                    // When the write may have landed, the claim must stay: it guards the new revision.
                    if (result.written === false) await this.claims.release(stake);
                    throw result.error;
                }
                await this.claims.sweep(subject, verdict.older);
                const stored = decodeItems(data) as { set: MetadataSet };
                return { outcome, after: { set: stored.set, stateOps: current.stateOps } };
            }

            await this.claims.release(stake);
            if (attempt >= maxAttempts) throw contended(subject, current, outcome);
            const { backoffMs, random, sleep } = this.options;
            await sleep(backoffMs * attempt * (1 + random()));
        }
    }

    private async removeAll(associations: ReturnType<typeof subscriptionRecord>): Promise<number> {
        const removed = await this.persistence.removeByAssociations(associations);
        return Array.isArray(removed) ? removed.length : 0;
    }

    private subscriptions(records: unknown[] | undefined): SubscriptionRecord[] {
        const bySubject = new Map<string, SubscriptionRecord>();
        for (const data of records ?? []) {
            const s = decodeSubscription(data);
            const id = s && `${s.subscriberId}|${s.subject.namespace}:${s.subject.id}`;
            if (s && id && !bySubject.has(id)) {
                bySubject.set(id, { subscriberId: s.subscriberId, subject: s.subject, roomId: s.roomId, createdAt: s.createdAt });
            }
        }
        return [...bySubject.values()];
    }
}

/** Shaped like a CAS conflict so a client handles both alike: reload, then retry. */
function contended(subject: SubjectRef, current: SubjectSnapshot, outcome: WriteOutcome): MetadataError {
    const keys = [...new Set([...outcome.changed, ...outcome.removed])].sort();
    return new MetadataError(
        'revision_conflict',
        `the metadata of ${subject.namespace} ${subject.id} is being changed by another server at the same time; retry`,
        {
            majorRevision: current.set.majorRevision,
            items: keys.map((key) => ({ key, revision: current.set.items.find((i) => i.key === key)?.revision ?? 0 })),
        },
    );
}

function newer(a: { set: MetadataSet; writeId: string }, b: { set: MetadataSet; writeId: string }): boolean {
    return a.set.majorRevision !== b.set.majorRevision ? a.set.majorRevision > b.set.majorRevision : a.writeId > b.writeId;
}

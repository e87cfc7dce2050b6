import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { MetadataError } from '../core/errors';
import { JsonValue } from '../core/json';
import { HistoryRecord, HistoryRetention, isKept, lowestKeptByCount } from '../core/history';
import { orderStateOps } from '../core/state/order';
import { MetadataSet, StateOp, SubjectRef, SubjectSnapshot, Subscription, WriteOutcome } from '../core/types';
import { canonicalJson } from '../core/values';
import { LockChange, LockHold, LockPlan } from '../core/locks';
import {
    Ballot, ChangeStamp, StoredHistory, ChoiceEntry, DecodedItems, decodeHistory, decodeChoiceEntry, decodeItems, decodeLogEntry, decodeStateOp, decodeSubscription,
    decodeIndexEntry, encodeChoiceEntry, encodeHistory, encodeIndexEntry, encodeLogEntry, encodeStateOp, encodeSubscription, kindOf, LogEntry,
} from './codec';
import { newId } from './ids';
import { cleanUpLog } from './logCleanup';
import {
    choiceEntryRecord, HISTORY_PAGE, historyPage, historyRecord, indexEntryRecord, indexShard, logEntryRecord, stateOpRecord, subjectData, subscriptionRecord,
    subscriptionsBy, subscriptionsTo,
} from './records';
import { PurgeReport, purgeSubject } from './purge';
import { Accept, decidedItemWrite, fateOf, highestAccept, LogView, nextRank, outranked, settle } from './revisionLog';
import { acceptedOp, choiceOf, choiceOutranked, isMade, nextChoiceRank } from './stateChoice';
import { collectStateGarbage, GarbageOptions } from './stateGarbage';
import { processLocks, SubjectLocks } from '../core/subjectLocks';
import { upsertConfirmed } from './upsert';
import { PendingDelivery, WriteRef } from './webhookCodec';
import { createDeliveries, removeDeliveries } from './webhookStore';

export interface StoreOptions extends GarbageOptions {
    /** default: one set per app process (store objects live for one request) */
    locks: SubjectLocks;
    random: () => number;
    newId: () => string;
    sleep: (ms: number) => Promise<void>;
    /** runs clean-up after the answer; default: started a moment later and not awaited, failures ignored */
    background: (task: () => Promise<void>) => void;
    /** attempts at deciding a revision before answering `503 try_again` */
    maxAttempts: number;
    /** first back-off waits a random time in [backoffMs, 2·backoffMs), doubling per lost attempt */
    backoffMs: number;
    /** log entries removed per write, at most (one call each), after the answer */
    cleanupBatch: number;
}

/** How long clean-up waits to start: past a typical answer (effects included). */
const CLEANUP_DELAY_MS = 100;

const DEFAULTS: StoreOptions = {
    locks: processLocks,
    now: () => Date.now(),
    random: () => Math.random(),
    newId,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    // After the answer: the answer waits for the after-write effects (events, mirror), whose engine calls would
    // otherwise queue behind clean-up's on the app's one channel. Only speed hangs on this delay, never safety.
    background: (task) => void setTimeout(() => void task().catch(() => undefined), CLEANUP_DELAY_MS),
    maxAttempts: 8,
    backoffMs: 5,
    cleanupBatch: 16,
    gcThreshold: 64,
    gcBatch: 16,
    gcGraceMs: 60_000,
    onGcError: () => undefined,
};

/** Seconds a client should wait after `503 try_again`. */
const RETRY_AFTER_SECONDS = 1;

/*
 * Sequential persistence calls per operation (what a caller waits for; test/store/callCounts.test.ts
 * holds these numbers). The agreement is revisionLog.ts.
 *   load             1  read
 *   writeItems       6  read (the load: the service runs it beside its access lookups), then
 *                       create prepare · read · create accept · read · create commit ∥ create history
 *                       (+1 before the accept when webhooks follow the subject: their deliveries, at once)
 *                       (1 when the change changes nothing; a lost attempt adds up to 4)
 *                       after the answer, in the background: up to `cleanupBatch` removes, and one
 *                       history read per decided accept removed
 *   changeLocks      6  read, then create prepare · read · create accept · read · create commit (1 when the plan
 *                       refuses or changes nothing)
 *   appendStateOp    2  read, create (+ up to gcBatch removes once a subject holds > gcThreshold ops);
 *                    6  when the op makes a one-time choice (stateChoice.ts): read, then
 *                       create prepare · read · create accept · read · create op
 *   history          2–3 at once: the subject and the one or two pages asked for
 *   putSubscription  1  update (+1 read-back on servers whose update answer throws after writing); after the
 *                       answer, both ends' index entries are read and created if missing
 *   removeSubscription, subscriptionsOf, subscribersOf   1 each
 *   purge            one remove per family of records (purge.ts), more on servers that delete one match per call
 *   holdsAnything    2–3 reads at once;  indexedSubjects  1 read
 * The first write or state op of a subject, and a load of a subject stored before the index existed, create
 * its index entry after the answer (records.ts, the subject index).
 */
export class MetadataStore {
    private readonly options: StoreOptions;

    constructor(
        private readonly read: IPersistenceRead,
        private readonly persistence: IPersistence,
        options: Partial<StoreOptions> = {},
    ) {
        this.options = { ...DEFAULTS, ...options };
    }

    /** One read: the newest committed items and the state ops of the subject. */
    async load(subject: SubjectRef): Promise<SubjectSnapshot> {
        const view = await this.readLog(subject);
        // Subjects stored before the index existed join it when next read or written (after the answer).
        this.indexLater(subject, view);
        return snapshotOf(view);
    }

    /**
     * Decides the subject's next revision through the revision log (revisionLog.ts) and answers once it
     * is committed. `mutate` is pure and may throw (a CAS conflict etc.): nothing is decided then. It
     * runs on the read that follows this attempt's prepare, so a CAS check sees every revision decided
     * before. Writes of one instance queue per subject; clean-up runs after, outside that queue.
     * `context.loaded` is a load the caller started beforehand (beside its own lookups), used for the
     * first attempt; `actor` and `at` go into the revision's history entry.
     */
    async writeItems(
        subject: SubjectRef,
        mutate: (current: SubjectSnapshot) => WriteOutcome,
        context: ItemWriteContext = {},
    ): Promise<{ outcome: WriteOutcome; after: SubjectSnapshot }> {
        const early = context.loaded?.catch(() => undefined);
        const stamp = { actor: context.actor ?? '', at: context.at ?? new Date(this.options.now()).toISOString() };
        const proposer: Proposer<{ outcome: WriteOutcome; after: SubjectSnapshot }> = {
            propose: (current) => {
                const outcome = advancing(mutate(current), current.set.majorRevision);
                if (!outcome.wrote) return { writes: false, answer: { outcome, after: current } };
                return {
                    writes: true,
                    set: outcome.set,
                    locks: current.locks ?? [],
                    stamp: { ...stamp, ...changeOf(current.set, outcome) },
                    outbox: () => context.outbox?.({ revision: outcome.set.majorRevision, before: current, outcome }) ?? [],
                    decided: (after) => ({ outcome, after: { set: outcome.set, stateOps: after.stateOps, locks: after.locks } }),
                };
            },
        };
        const decision = await this.options.locks.run(`items|${subject.namespace}:${subject.id}`, () => this.decide(subject, proposer, early));
        this.afterDecision(subject, decision, decision.result.after.set.majorRevision, context.retention);
        return decision.result;
    }

    /**
     * Decides a change of the subject's lock holds (core/locks.ts) as the log's next position, in the
     * one order item writes take: `plan` runs on the read after the prepare and may throw (`locked`…);
     * undefined means nothing to change. Answers with the plan decided and the subject after it.
     */
    async changeLocks(
        subject: SubjectRef,
        plan: (current: SubjectSnapshot) => LockPlan | undefined,
    ): Promise<{ plan?: LockPlan; after: SubjectSnapshot }> {
        const proposer: Proposer<{ plan?: LockPlan; after: SubjectSnapshot }> = {
            propose: (current) => {
                const planned = plan(current);
                if (!planned) return { writes: false, answer: { after: current } };
                return {
                    writes: true,
                    set: current.set,
                    locks: planned.locks,
                    lockChange: planned.change,
                    decided: (after) => ({ plan: planned, after: { set: after.set, stateOps: after.stateOps, locks: after.locks } }),
                };
            },
        };
        const decision = await this.options.locks.run(`items|${subject.namespace}:${subject.id}`, () => this.decide(subject, proposer, undefined));
        this.afterDecision(subject, decision, decision.result.after.set.majorRevision);
        return decision.result;
    }

    /** After a decision that read the log, in the background: index the subject, clean the log up, compact history. */
    private afterDecision(subject: SubjectRef, { view, position }: Decision<unknown>, majorRevision: number, retention?: HistoryRetention): void {
        if (!view) return;
        this.indexLater(subject, { ...view, empty: false });
        this.options.background(async () => {
            await cleanUpLog(this.read, this.persistence, subject, view, Math.max(view.position, position ?? 0), this.options.cleanupBatch);
            if (retention) await this.compactHistoryAt(subject, majorRevision, retention);
        });
    }

    /**
     * Serialised per subject on this instance; the op is appended as its own record — after a one-time
     * choice is decided when the op would make one (stateChoice.ts). `plan` is pure and may throw (the
     * op is refused); it runs again on fresh state when another op made the choice first. Once the op
     * is stored, a long log also sheds a few superseded ops (see stateGarbage.ts): every append removes
     * up to `gcBatch` while adding one, so a subject's log stays near its live ops without a sweeper.
     */
    async appendStateOp(
        subject: SubjectRef,
        plan: (current: SubjectSnapshot) => StateOp,
        loaded?: Promise<SubjectSnapshot>,
    ): Promise<{ op: StateOp; after: SubjectSnapshot }> {
        const early = loaded?.catch(() => undefined);
        const { result, view } = await this.options.locks.run(`state|${subject.namespace}:${subject.id}`, async () => {
            // An earlier load is as good as one now: an op that needs no choice commutes with every other.
            const current = (await early) ?? (await this.load(subject));
            const base = viewOf(current) ?? (await this.readLog(subject));
            const appended = await this.chooseAndAppend(subject, plan, base);
            this.indexLater(subject, { ...base, empty: false });
            return appended;
        });
        if (view) this.options.background(() => this.discardChoices(subject, view.choices, result.after.stateOps));
        return result;
    }

    /**
     * The kept history of a subject after revision `since`, at most `limit` entries, oldest first, with
     * the subject's newest revision; or, when `since + 1` is no longer kept, the oldest kept revision.
     * `now` (ms) dates the age rule.
     * Reads the pages it needs beside the subject (2–3 calls at once); history that the retention no
     * longer keeps is removed after the answer.
     */
    async history(subject: SubjectRef, after: number | 'latest', limit: number, retention: HistoryRetention, now = this.options.now()): Promise<HistoryPage> {
        // The latest changes: which pages depends on the newest revision, so the subject is read first.
        const known = after === 'latest' ? await this.readLog(subject) : undefined;
        const since = known ? Math.max(0, known.set.majorRevision - limit, lowestKeptByCount(known.set.majorRevision, retention) - 1) : (after as number);
        const pages = range(Math.floor((since + 1) / HISTORY_PAGE), Math.floor((since + limit) / HISTORY_PAGE));
        const [view, ...read] = await Promise.all([known ?? this.readLog(subject), ...pages.map((page) => this.readHistoryPage(subject, page))]);
        const newest = view.set.majorRevision;
        const records = new Map<number, StoredHistory>();
        for (const record of read.flat()) if (!records.has(record.revision)) records.set(record.revision, record);
        // The newest revision's writer may have stopped between its commit and its history entry: its accept still says it.
        const newestAccept = records.has(newest) ? undefined : decidedItemWrite(view, newest);
        if (newestAccept) records.set(newest, decodeHistory(encodeHistory(subject, newestAccept)) as StoredHistory);
        const stale = [...records.values()].filter((r) => !isKept(r, newest, now, retention));
        if (stale.length > 0) this.options.background(() => this.removeHistory(subject, stale.map((r) => r.revision)));
        const entries = [...records.values()]
            .filter((r) => r.revision > since && r.revision <= Math.min(newest, since + limit) && isKept(r, newest, now, retention))
            .sort((a, b) => a.revision - b.revision)
            .map(({ writeId: _writeId, position: _position, ...entry }) => entry);
        if (since >= newest || entries[0]?.revision === since + 1) return { majorRevision: newest, entries };
        const oldestKept = await this.oldestKept(subject, newest, retention, now, records);
        if (since + 1 < oldestKept && !known) return { majorRevision: newest, entries: [], oldestKept };
        return { majorRevision: newest, entries };
    }

    /**
     * Whether each write was decided as its revision (one read, plus a history page for revisions whose
     * log entries clean-up already removed: a history entry names the write it records).
     */
    async writeFates(subject: SubjectRef, writes: WriteRef[]): Promise<WriteFate[]> {
        const view = await this.readLog(subject);
        const pages = new Map<number, Promise<StoredHistory[]>>();
        const page = (revision: number) => {
            const n = Math.floor(revision / HISTORY_PAGE);
            if (!pages.has(n)) pages.set(n, this.readHistoryPage(subject, n));
            return pages.get(n) as Promise<StoredHistory[]>;
        };
        return Promise.all(writes.map(async ({ revision, position = revision, writeId }): Promise<WriteFate> => {
            if (view.position < position) return 'pending';
            const fate = fateOf(view, writeId, position);
            if (fate !== 'unknown') return fate;
            // Compacted history: the revision is older than anything kept, and so is any delivery of it. The position
            // tells this attempt from another of the same request at the same revision (a lock change took its position).
            const decided = (await page(revision)).some((entry) => entry.revision === revision && entry.writeId === writeId && entry.position === position);
            return decided ? 'decided' : 'lost';
        }));
    }

    /**
     * Removes the state ops `choose` picks, record by record, for an admin's repair: their values are
     * read but never sent anywhere, so even a value no reader can be sent goes.
     */
    removeStateOps(subject: SubjectRef, choose: (ops: StateOp[]) => StateOp[]): Promise<{ removed: StateOp[]; after: SubjectSnapshot }> {
        return this.options.locks.run(`state|${subject.namespace}:${subject.id}`, async () => {
            const view = await this.readLog(subject);
            const removed = choose(view.stateOps);
            await Promise.all(removed.map((op) => this.persistence.removeByAssociations(stateOpRecord(subject, op.id))));
            return { removed, after: { set: view.set, stateOps: view.stateOps.filter((op) => !removed.includes(op)), locks: view.locks } };
        });
    }

    /** One record per (subscriber, subject); subscribing again replaces it (roomId, createdAt). */
    async putSubscription(record: Subscription): Promise<void> {
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
        // Both ends are indexed, so a sweep finds the subscription when its subject or its subscriber is gone.
        this.options.background(async () => {
            for (const subject of [record.subject, { namespace: 'user' as const, id: record.subscriberId }]) {
                const entry = await this.read.readByAssociations(indexEntryRecord(subject));
                if ((entry ?? []).length === 0) await this.index(subject);
            }
        });
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

    async subscriptionsOf(subscriberId: string): Promise<Subscription[]> {
        return this.subscriptions(await this.read.readByAssociations(subscriptionsBy(subscriberId)));
    }

    async subscribersOf(subject: SubjectRef): Promise<Subscription[]> {
        return this.subscriptions(await this.read.readByAssociations(subscriptionsTo(subject)));
    }

    // ---- lifecycle (SPEC §18) ---------------------------------------------------------------------

    /**
     * Removes every record of a subject whose room or user no longer exists (purge.ts says in which order and
     * why that is safe beside writers on any instance); `subscriber`: a deleted user's own subscriptions too.
     * Queued behind this instance's writes to the subject.
     */
    purge(subject: SubjectRef, subscriber?: string): Promise<PurgeReport> {
        const key = `${subject.namespace}:${subject.id}`;
        return this.options.locks.run(`items|${key}`, () => this.options.locks.run(`state|${key}`, () =>
            purgeSubject(this.persistence, subject, subscriber)));
    }

    /** Does anything of the subject exist: its data, history aside, or subscriptions to it (or by it, for a user)? 2–3 reads at once. */
    async holdsAnything(subject: SubjectRef): Promise<boolean> {
        const reads = [subjectData(subject), subscriptionsTo(subject), ...(subject.namespace === 'user' ? [subscriptionsBy(subject.id)] : [])];
        const found = await Promise.all(reads.map((associations) => this.read.readByAssociations(associations)));
        return found.some((records) => (records ?? []).length > 0);
    }

    /** The subjects of one shard of the subject index (records.ts), sorted by id, each once. One read. */
    async indexedSubjects(namespace: SubjectRef['namespace'], shard: number): Promise<SubjectRef[]> {
        const byId = new Map<string, SubjectRef>();
        for (const data of (await this.read.readByAssociations(indexShard(namespace, shard))) ?? []) {
            const subject = decodeIndexEntry(data);
            if (subject && subject.namespace === namespace) byId.set(subject.id, subject);
        }
        return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }

    /** Ends the subscriber's subscriptions that `which` picks; answers those it ended. */
    async endSubscriptions(subscriberId: string, which: (subscription: Subscription) => boolean): Promise<Subscription[]> {
        const ending = (await this.subscriptionsOf(subscriberId)).filter(which);
        await Promise.all(ending.map((subscription) => this.removeSubscription(subscriberId, subscription.subject)));
        return ending;
    }

    /**
     * Puts a subject into the index, after the answer of a read that showed it missing. Created, never upserted: like
     * every record but subscriptions (upsert.ts), so no server's upsert answer matters. Two instances may both create
     * one; reads take each subject once, and the purge removes them all. A purge may have run since the subject was
     * seen holding something (a room deleted right after a write): then the entry would be all that is left of it, so
     * the indexer looks once more and takes its entry back. Whatever the order, no entry outlives its subject: a purge that comes
     * after this look removes the entry itself (purge.ts removes index entries last).
     */
    private async index(subject: SubjectRef): Promise<void> {
        await this.persistence.createWithAssociations(encodeIndexEntry(subject), indexEntryRecord(subject));
        const reads = [subjectData(subject), subscriptionsTo(subject), ...(subject.namespace === 'user' ? [subscriptionsBy(subject.id)] : [])];
        const found = (await Promise.all(reads.map((associations) => this.read.readByAssociations(associations)))).flatMap((records) => records ?? []);
        if (found.every((data) => kindOf(data) === 'index')) await this.persistence.removeByAssociations(indexEntryRecord(subject));
    }

    /** After the answer: index a subject that holds something and is not indexed yet. */
    private indexLater(subject: SubjectRef, view: SubjectView): void {
        if (!view.indexed && !view.empty) this.options.background(() => this.index(subject));
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * The protocol of revisionLog.ts, for an item write or a lock change alike: `proposer` says what the
     * next position holds, judged on the read after this attempt's prepare. Answers with the view to
     * clean up after (none when nothing was written).
     */
    private async decide<T>(subject: SubjectRef, proposer: Proposer<T>, loaded: Promise<SubjectSnapshot | undefined> | undefined): Promise<Decision<T>> {
        const writeId = this.options.newId();
        // A change that changes nothing writes nothing: judged on the early load, costing no call of its own.
        const early = (await loaded) ?? (await this.load(subject));
        const first = proposer.propose(early);
        if (!first.writes) return { result: first.answer };

        let view = viewOf(early) ?? (await this.readLog(subject));
        /** this request's accept that is neither decided nor lost yet (at most one at a time), and its deliveries */
        let pending: { position: number; proposal: Writing<T>; deliveries: PendingDelivery[] } | undefined;
        // The newest position never goes back (revisionLog.ts) unless the subject was purged (purge.ts) since
        // this write started: then it stops, creating nothing more, and takes its own entries back with it.
        let newest = view.position;
        const stopIfPurged = (seen: SubjectView, own: Ballot[] = [], position = 0): void => {
            if (seen.position < newest) {
                this.options.background(() => this.discardOwn(subject, position, own));
                const deliveries = pending?.deliveries ?? [];
                // Its webhook deliveries go too: the write is not decided, and its subject is gone.
                if (deliveries.length > 0) this.options.background(() => removeDeliveries(this.persistence, deliveries));
                throw vanished(subject);
            }
            newest = seen.position;
        };
        for (let attempt = 1; ; attempt++) {
            stopIfPurged(view);
            if (pending && view.position >= pending.position) {
                // Another writer may have adopted and decided it: then the write is done, and going on would apply it twice.
                const fate = fateOf(view, writeId, pending.position);
                if (fate === 'unknown') throw undecidable(subject);
                if (fate === 'decided') return { result: pending.proposal.decided(view), view, position: pending.position };
                const { deliveries } = pending;
                // Dropped at delivery anyway (another write took the revision); removing them now saves that check.
                if (deliveries.length > 0) this.options.background(() => removeDeliveries(this.persistence, deliveries));
                pending = undefined;
            }
            if (attempt > this.options.maxAttempts) throw contended(subject);
            const position = view.position + 1;
            const ballot: Ballot = { rank: nextRank(view, position), nonce: this.options.newId() };
            await this.append(subject, { step: 'prepare', position, ballot, writeId: '' });
            // A prepare only guards its own accept: one that will send none goes (never earlier, see revisionLog.ts).
            const discard = () => this.options.background(() => this.discardPrepare(subject, position, ballot));

            const promised = await this.readLog(subject);
            stopIfPurged(promised, [ballot], position);
            if (promised.position >= position || outranked(promised, position, ballot)) {
                discard();
                view = await this.afterLoss(subject, promised, position, attempt);
                continue;
            }
            const adopted = highestAccept(promised, position);
            let value: Accept;
            if (adopted) {
                value = adopted;
            } else {
                let mine: Proposal<T>;
                try {
                    mine = proposer.propose(snapshotOf(promised));
                } catch (error) {
                    discard();
                    throw error;
                }
                if (!mine.writes) {
                    discard();
                    return { result: mine.answer, view: promised };
                }
                const deliveries = (mine.outbox?.() ?? [])
                    .map((entry): PendingDelivery => ({
                        ...entry,
                        subject: { namespace: subject.namespace, id: subject.id },
                        createdAt: this.options.now(),
                        write: { revision: mine.set.majorRevision, position, writeId },
                    }));
                pending = { position, proposal: mine, deliveries };
                const change = mine.lockChange ? { lockChange: mine.lockChange } : { stamp: mine.stamp };
                value = { step: 'accept', position, ballot, writeId, set: mine.set, locks: mine.locks, ...change };
            }
            const accept: Accept = { ...value, step: 'accept', position, ballot };
            // A write's webhook deliveries exist before its accept, so before anyone can decide its revision or
            // propose the next: a queue never shows revision R+1 without R's (surfaces/webhooks/dispatcher.ts).
            if (!adopted && pending && pending.deliveries.length > 0) await createDeliveries(this.persistence, pending.deliveries);
            await this.append(subject, accept);

            const accepted = await this.readLog(subject);
            stopIfPurged(accepted, [ballot], position);
            if (accepted.position >= position || outranked(accepted, position, ballot)) {
                view = await this.afterLoss(subject, accepted, position, attempt);
                continue;
            }
            // The history entry of an item write goes with the commit (a clean-up that removes the accept makes sure it is there).
            const commit: LogEntry = { step: 'commit', position, ballot, writeId: accept.writeId, majorRevision: accept.set.majorRevision };
            await Promise.all([this.append(subject, commit), ...(accept.lockChange ? [] : [this.recordHistory(subject, accept)])]);
            if (accept.writeId === writeId && pending) {
                return { result: pending.proposal.decided({ ...accepted, position, set: accept.set, locks: accept.locks ?? [] }), view: accepted, position };
            }
            // We finished someone else's write; ours goes on top of it, judged again on the next read.
            view = await this.readLog(subject);
        }
    }

    /** The protocol of stateChoice.ts; answers with the view whose choice entries are then spent. */
    private async chooseAndAppend(
        subject: SubjectRef,
        plan: (current: SubjectSnapshot) => StateOp,
        first: SubjectView,
    ): Promise<{ result: { op: StateOp; after: SubjectSnapshot }; view?: SubjectView }> {
        const ours = new Set<string>();
        let view = first;
        for (let attempt = 1; ; attempt++) {
            const appendedOurs = view.stateOps.find((op) => ours.has(op.id));
            // Another writer adopted and appended our op: done, and appending another would apply it twice.
            if (appendedOurs) return { result: { op: appendedOurs, after: snapshotOf(view) }, view };
            if (attempt > this.options.maxAttempts) throw contended(subject);
            const op = storable(subject, plan(snapshotOf(view)));
            const choice = choiceOf(op, view.stateOps);
            if (!choice) return { result: await this.appendOp(subject, op, view) };

            const ballot: Ballot = { rank: nextChoiceRank(view.choices, choice), nonce: this.options.newId() };
            await this.persistence.createWithAssociations(
                encodeChoiceEntry(subject, { step: 'prepare', choice: choice, ballot }),
                choiceEntryRecord(subject, 'prepare', choice, ballot.nonce),
            );
            const promised = await this.readLog(subject);
            if (isMade(choice, promised.stateOps) || choiceOutranked(promised.choices, choice, ballot)) {
                view = isMade(choice, promised.stateOps) ? promised : await this.afterDuel(subject, attempt);
                continue;
            }
            const proposal = acceptedOp(promised.choices, choice) ?? op;
            if (proposal === op) ours.add(op.id);
            await this.persistence.createWithAssociations(
                encodeChoiceEntry(subject, { step: 'accept', choice: choice, ballot, op: proposal }),
                choiceEntryRecord(subject, 'accept', choice, ballot.nonce),
            );
            const accepted = await this.readLog(subject);
            if (isMade(choice, accepted.stateOps) || choiceOutranked(accepted.choices, choice, ballot)) {
                view = isMade(choice, accepted.stateOps) ? accepted : await this.afterDuel(subject, attempt);
                continue;
            }
            const appended = await this.appendOp(subject, proposal, accepted);
            if (ours.has(proposal.id)) return { result: appended, view: accepted };
            // We appended someone else's choice; ours is planned again on top of it.
            view = await this.readLog(subject);
        }
    }

    /** Appends one op record; answers with the state after it (minus what garbage collection took). */
    private async appendOp(subject: SubjectRef, op: StateOp, current: SubjectView): Promise<{ op: StateOp; after: SubjectSnapshot }> {
        await this.persistence.createWithAssociations(encodeStateOp(subject, op), stateOpRecord(subject, op.id));
        // As a later load lists them (settleRecords): should the op's id be taken already, the same one of the two stays.
        const stateOps = orderStateOps([...current.stateOps, op]);
        const collected = await collectStateGarbage(this.persistence, subject, current.stateOps.length, stateOps, this.options);
        // Collected ops never change the fold; leaving them out keeps `after` equal to a later load.
        return { op, after: { set: current.set, stateOps: stateOps.filter((o) => !collected.has(o.id)), locks: current.locks } };
    }

    /** Entries of choices the ops show made: no proposer needs them any more (it leaves on seeing the op). */
    private async discardChoices(subject: SubjectRef, entries: ChoiceEntry[], ops: StateOp[]): Promise<void> {
        const spent = entries.filter((entry) => isMade(entry.choice, ops)).slice(0, this.options.cleanupBatch);
        for (const entry of spent) await this.persistence.removeByAssociations(choiceEntryRecord(subject, entry.step, entry.choice, entry.ballot.nonce));
    }

    /** A lost duel for a choice: back off, then read again. */
    private async afterDuel(subject: SubjectRef, attempt: number): Promise<SubjectView> {
        const { backoffMs, random, sleep } = this.options;
        await sleep(backoffMs * 2 ** (attempt - 1) * (1 + random()));
        return this.readLog(subject);
    }

    private async readHistoryPage(subject: SubjectRef, page: number): Promise<StoredHistory[]> {
        const records = (await this.read.readByAssociations(historyPage(subject, page))) ?? [];
        return records.map(decodeHistory).filter((r): r is StoredHistory => r !== undefined);
    }

    /** The lowest kept revision, searching up from where the count rule starts (newest + 1 when none is kept). */
    private async oldestKept(subject: SubjectRef, newest: number, retention: HistoryRetention, now: number, seen: Map<number, StoredHistory>): Promise<number> {
        const kept = (records: Iterable<HistoryRecord>) => [...records].filter((r) => isKept(r, newest, now, retention)).map((r) => r.revision);
        for (let page = Math.floor(lowestKeptByCount(newest, retention) / HISTORY_PAGE); page <= Math.floor(newest / HISTORY_PAGE); page++) {
            const found = kept([...seen.values()].filter((r) => Math.floor(r.revision / HISTORY_PAGE) === page));
            const onPage = found.length > 0 ? found : kept(await this.readHistoryPage(subject, page));
            if (onPage.length > 0) return Math.min(...onPage);
        }
        return newest + 1;
    }

    /** After revision `revision` filled a page, the page that fell out of the count rule goes (by pages, in the background). */
    private async compactHistoryAt(subject: SubjectRef, revision: number, retention: HistoryRetention): Promise<void> {
        if (revision % HISTORY_PAGE !== 0) return;
        const doomed = Math.floor(lowestKeptByCount(revision, retention) / HISTORY_PAGE) - 1;
        if (doomed < 0) return;
        // Servers that delete one match per call answer with all the matches: call again while there were more.
        for (let round = 0; round < HISTORY_PAGE; round++) {
            const removed = await this.persistence.removeByAssociations(historyPage(subject, doomed));
            if (!Array.isArray(removed) || removed.length <= 1) return;
        }
    }

    private async removeHistory(subject: SubjectRef, revisions: number[]): Promise<void> {
        for (const revision of revisions.slice(0, this.options.cleanupBatch)) {
            await this.persistence.removeByAssociations(historyRecord(subject, revision));
        }
    }

    /** After a lost attempt: go on from the newest view, backing off only when nobody committed (a duel). */
    private async afterLoss(subject: SubjectRef, seen: SubjectView, position: number, attempt: number): Promise<SubjectView> {
        if (seen.position >= position) return seen;
        const { backoffMs, random, sleep } = this.options;
        await sleep(backoffMs * 2 ** (attempt - 1) * (1 + random()));
        return this.readLog(subject);
    }

    private async append(subject: SubjectRef, entry: LogEntry): Promise<void> {
        await this.persistence.createWithAssociations(
            encodeLogEntry(subject, entry),
            logEntryRecord(subject, entry.step, entry.position, entry.ballot.nonce),
        );
    }

    private async recordHistory(subject: SubjectRef, accept: Accept): Promise<void> {
        await this.persistence.createWithAssociations(encodeHistory(subject, accept), historyRecord(subject, accept.set.majorRevision));
    }

    private async discardPrepare(subject: SubjectRef, position: number, ballot: Ballot): Promise<void> {
        await this.persistence.removeByAssociations(logEntryRecord(subject, 'prepare', position, ballot.nonce));
    }

    /** A write that found its subject purged takes back what its attempt created: the prepare and the accept of its ballot. */
    private async discardOwn(subject: SubjectRef, position: number, ballots: Ballot[]): Promise<void> {
        for (const ballot of ballots) {
            await this.persistence.removeByAssociations(logEntryRecord(subject, 'accept', position, ballot.nonce));
            await this.persistence.removeByAssociations(logEntryRecord(subject, 'prepare', position, ballot.nonce));
        }
    }

    /** One read of the subject, settled; read once more if it caught the log mid clean-up. */
    private async readLog(subject: SubjectRef): Promise<SubjectView> {
        const view = settleRecords(await this.read.readByAssociations(subjectData(subject)));
        return view.whole ? view : settleRecords(await this.read.readByAssociations(subjectData(subject)));
    }

    private async removeAll(associations: ReturnType<typeof subscriptionRecord>): Promise<number> {
        const removed = await this.persistence.removeByAssociations(associations);
        return Array.isArray(removed) ? removed.length : 0;
    }

    /**
     * One per (subscriber, subject). A raced first subscribe can leave two records: every instance keeps
     * the same one, by their contents (the later createdAt: the last move; then the lower roomId), never by
     * the order the database answered them in — else instances would deliver to different rooms.
     */
    private subscriptions(records: unknown[] | undefined): Subscription[] {
        const bySubject = new Map<string, Subscription>();
        for (const data of records ?? []) {
            const s = decodeSubscription(data);
            if (!s) continue;
            const id = `${s.subscriberId}|${s.subject.namespace}:${s.subject.id}`;
            const held = bySubject.get(id);
            if (!held || isBetterSubscription(s, held)) {
                bySubject.set(id, { subscriberId: s.subscriberId, subject: s.subject, roomId: s.roomId, createdAt: s.createdAt });
            }
        }
        return [...bySubject.values()];
    }
}

function isBetterSubscription(candidate: Subscription, held: Subscription): boolean {
    if (candidate.createdAt !== held.createdAt) return candidate.createdAt > held.createdAt;
    return candidate.roomId < held.roomId;
}

/** The op as a later load will return it, so the caller folds exactly what is stored. */
function storable(subject: SubjectRef, planned: StateOp): StateOp {
    const op = decodeStateOp(encodeStateOp(subject, planned));
    if (!op) throw new Error(`a state op must have an id, a valid key, type, op, userId and time`);
    return op;
}

/** What history needs of a write besides its new set: the visibility removed keys had, and keys turned private. */
function changeOf(before: MetadataSet, outcome: WriteOutcome): Pick<ChangeStamp, 'removed' | 'hidden'> {
    const was = new Map(before.items.map((item) => [item.key, item.visibility]));
    const publicBefore = (key: string) => was.get(key) === 'public';
    return {
        removed: outcome.removed.map((key) => ({ key, visibility: was.get(key) ?? 'private' })),
        hidden: outcome.set.items.filter((item) => item.visibility === 'private' && publicBefore(item.key)).map((item) => item.key),
    };
}

/** A change that writes must raise the majorRevision: by one, or (an import, SPEC §18) to the revision it restores. */
function advancing(outcome: WriteOutcome, current: number): WriteOutcome {
    if (outcome.wrote && outcome.set.majorRevision <= current) {
        throw new Error(`a write from revision ${current} must produce a higher one, not ${outcome.set.majorRevision}`);
    }
    return outcome;
}

function contended(subject: SubjectRef): MetadataError {
    return new MetadataError(
        'try_again',
        `The metadata of ${subject.namespace} ${subject.id} is being changed by others at the same time. Try again in a moment.`,
        { retryAfter: RETRY_AFTER_SECONDS },
    );
}

/** The subject's records were purged while this write ran (its room or user was deleted): nothing was written. */
function vanished(subject: SubjectRef): MetadataError {
    return new MetadataError(
        'subject_not_found',
        `The ${subject.namespace} ${subject.id} was deleted while this write ran, and its metadata with it; nothing was written.`,
        { namespace: subject.namespace, ref: subject.id },
    );
}

/** Paused so long that the log no longer shows whether this write was decided: the client must look. */
function undecidable(subject: SubjectRef): MetadataError {
    return new MetadataError(
        'try_again',
        `The write to ${subject.namespace} ${subject.id} took too long to tell whether it was saved. Read the metadata, then retry if your change is missing.`,
        { retryAfter: RETRY_AFTER_SECONDS },
    );
}

/** What an item write's caller adds: a load it ran beforehand, and who writes when (for history). */
export interface ItemWriteContext {
    loaded?: Promise<SubjectSnapshot>;
    actor?: string;
    /** ISO-8601 */
    at?: string;
    /** history beyond it is compacted after the answer */
    retention?: HistoryRetention;
    /**
     * The webhook deliveries of the change a proposal makes (webhooks following the subject): created
     * beside the proposal's accept, sent once it is decided (see WriteFate), removed if it loses.
     */
    outbox?: (change: { revision: number; before: SubjectSnapshot; outcome: WriteOutcome }) => OutboxEntry[];
}

/** A delivery as the outbox callback makes it; the store adds the subject, the time and the write. */
export type OutboxEntry = Omit<PendingDelivery, 'subject' | 'createdAt' | 'write'>;

/** Whether a write was decided as its revision; `pending` while that revision is not decided yet. */
export type WriteFate = 'decided' | 'lost' | 'pending';

/** A page of a subject's history; `oldestKept` only when the revisions asked for are no longer kept. */
export interface HistoryPage {
    majorRevision: number;
    /** without the write id, which only webhook deliveries check */
    entries: HistoryRecord[];
    oldestKept?: number;
}

function range(from: number, to: number): number[] {
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/**
 * What a proposer makes of a snapshot: nothing to write (`answer` is the answer), or the value of the
 * next position (items and lock holds), with what an item write's history and webhooks need, or what
 * a lock change did; `decided` makes the answer once the value is decided, from the view that showed it.
 */
type Proposal<T> = { writes: false; answer: T } | Writing<T>;

type Writing<T> = {
    writes: true;
    set: MetadataSet;
    locks: LockHold[];
    stamp?: ChangeStamp;
    lockChange?: LockChange;
    outbox?: () => OutboxEntry[];
    decided: (after: SubjectView) => T;
};

interface Proposer<T> {
    /** pure; may throw (a CAS conflict, a held lock…): nothing is decided then */
    propose(current: SubjectSnapshot): Proposal<T>;
}

/** The answer; the view to clean up after (none when nothing was read); the position decided, if any. */
type Decision<T> = { result: T; view?: SubjectView; position?: number };

/** A read of a subject: its log settled, and its state ops. */
interface SubjectView extends LogView {
    stateOps: StateOp[];
    /** entries of one-time state choices (stateChoice.ts) */
    choices: ChoiceEntry[];
    /** the subject has its entry in the subject index (records.ts) */
    indexed: boolean;
    /** the read found no record at all */
    empty: boolean;
}

/**
 * Log entries, the legacy base and state ops, from one read of the subject's data. The database
 * answers records in no promised order, and every instance must settle the same records alike: so
 * where two records compete (two ops with one id, two legacy bases), a rule over their contents
 * picks one, never the order they were read in.
 */
function settleRecords(records: unknown[] | undefined): SubjectView {
    const entries: LogEntry[] = [];
    const choices: ChoiceEntry[] = [];
    let legacy: DecodedItems | undefined;
    const ops: StateOp[] = [];
    let indexed = false;
    for (const data of records ?? []) {
        const kind = kindOf(data);
        if (kind === 'index') {
            indexed = true;
        } else if (kind === 'state-op') {
            const op = decodeStateOp(data);
            if (op) ops.push(op);
        } else if (kind === 'items') {
            const decoded = decodeItems(data);
            if (decoded && (!legacy || isBetterLegacyBase(decoded, legacy))) legacy = decoded;
        } else if (kind === 'choice-prepare' || kind === 'choice-accept') {
            const entry = decodeChoiceEntry(data);
            if (entry) choices.push(entry);
        } else {
            const entry = decodeLogEntry(data);
            if (entry) entries.push(entry);
        }
    }
    // One op per id, by the core's one order (core/state/order.ts): an op stored twice counts once, and of
    // two different ops with one id (a damaged log) every instance keeps the same one.
    return { ...settle(entries, legacy), stateOps: orderStateOps(ops), choices, indexed, empty: (records ?? []).length === 0 };
}

/**
 * Two items records exist when two first writes of an older version raced: the newest is the base, and
 * of two at one revision (both first writes are at 1) the one with the lower writeId, then the lower
 * canonical JSON of its set.
 */
function isBetterLegacyBase(candidate: DecodedItems, held: DecodedItems): boolean {
    if (candidate.set.majorRevision !== held.set.majorRevision) return candidate.set.majorRevision > held.set.majorRevision;
    if (candidate.writeId !== held.writeId) return candidate.writeId < held.writeId;
    return canonicalJson(candidate.set as unknown as JsonValue) < canonicalJson(held.set as unknown as JsonValue);
}

/** The view each snapshot was made from, so a write can start from a load its caller ran beforehand. */
const views = new WeakMap<SubjectSnapshot, SubjectView>();

function snapshotOf(view: SubjectView): SubjectSnapshot {
    const snapshot = { set: view.set, stateOps: view.stateOps, locks: view.locks };
    views.set(snapshot, view);
    return snapshot;
}

function viewOf(snapshot: SubjectSnapshot): SubjectView | undefined {
    return views.get(snapshot);
}

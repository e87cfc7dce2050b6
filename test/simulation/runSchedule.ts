import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { isMetadataError } from '../../src/core/errors';
import { Item, SubjectRef, WriteOutcome } from '../../src/core/types';
import { ItemWriteContext, MetadataStore } from '../../src/store/MetadataStore';
import { SubjectSnapshot } from '../../src/core/types';
import { decodeDelivery, PendingDelivery } from '../../src/store/webhookCodec';
import { decodeLogEntry, LogEntry } from '../../src/store/codec';
import { KEPT_COMMITS } from '../../src/store/revisionLog';
import { HistoryRecord } from '../../src/core/history';
import { SubjectLocks } from '../../src/core/subjectLocks';
import { checkLockGuard, planAcquire, planRelease } from '../../src/core/locks';
import { Observed, Operation, violations } from './history';
import { World, WorldOptions } from './world';

/*
 * One seeded schedule: `instances` store instances, each running a few writes and reads against one
 * subject through a World that delays, reorders, pauses, fails and crashes as its seed says; then,
 * with the faults over, checks the history (history.ts), that the subject is not wedged (a fresh
 * instance writes at once), and that clean-up keeps the log small.
 */

export const subject: SubjectRef = { namespace: 'room', id: 'r1' };

export interface ScheduleOptions extends Partial<WorldOptions> {
    seed: number;
    instances?: number;
    opsPerInstance?: number;
    /** chance per step that a random instance crashes (at most one crash per schedule) */
    crash?: number;
    /**
     * Clients also acquire, renew and release the lock `seat` (ttl 10 s) and make writes guarded by it,
     * each instance on its own clock (one step is 50 ms; clocks skewed by up to ±5 s), so holds expire
     * during pauses and instances disagree about when.
     */
    locking?: boolean;
}

export interface ScheduleResult {
    violations: string[];
    steps: number;
    acknowledged: number;
    failed: number;
}

/** Writes after the faults, at least: enough for clean-up to catch up with what a schedule leaves behind (more ops, more left). */
const FINAL_WRITES = 4;

export const FAULTY: Omit<WorldOptions, 'seed' | 'removeDeletes'> = {
    failBefore: 0.02,
    failAfter: 0.02,
    lateLanding: 0.03,
    pause: 0.02,
    maxPauseSteps: 300,
};

/** A write that appends `token` to the list item `log`, CAS on `expects` when given. */
export function appendToken(token: string, expects?: number): (current: SubjectSnapshot) => WriteOutcome {
    return ({ set }) => {
        if (expects !== undefined && set.majorRevision !== expects) {
            throw Object.assign(new Error('conflict'), { code: 'revision_conflict' });
        }
        const revision = set.majorRevision + 1;
        const list = listOf(set.items);
        const item: Item = {
            key: 'log', value: [...list, token], revision, updatedAt: new Date(0).toISOString(), updatedBy: token, visibility: 'public',
        };
        return { set: { majorRevision: revision, items: [item] }, changed: ['log'], removed: [], wrote: true };
    };
}

export function listOf(items: Item[]): string[] {
    const log = items.find((i) => i.key === 'log');
    return Array.isArray(log?.value) ? (log.value as string[]) : [];
}

export function observed(snapshot: SubjectSnapshot): Observed {
    return { revision: snapshot.set.majorRevision, list: listOf(snapshot.set.items) };
}

export function storeIn(
    world: World,
    index: number,
    background: Promise<unknown>[] = [],
    wrap: (persistence: IPersistence) => IPersistence = (p) => p,
): MetadataStore {
    const { read, persistence: raw, sleep } = world.connect(index);
    const persistence = wrap(raw);
    let ids = 0;
    return new MetadataStore(read, persistence, {
        locks: new SubjectLocks(),
        random: world.random,
        newId: () => `i${index}n${String(++ids).padStart(4, '0')}`,
        sleep,
        background: (task) => void background.push(task().catch(() => undefined)),
        maxAttempts: 12,
    });
}

/**
 * One webhook delivery per proposal of a write, naming the write's token; a fresh id per proposal, as the app's
 * outbox takes (one request may propose the same revision twice when a lock change took its first position).
 */
function outboxOf(token: string): ItemWriteContext['outbox'] {
    let proposals = 0;
    return ({ revision }) => [{
        id: `${token}@${revision}#${++proposals}`, webhookId: 'w', order: { majorRevision: revision, kind: 0, at: 0, tie: '' }, body: JSON.stringify({ token, revision }),
    }];
}

/** Errors a client may see: anything else is a bug. */
function expected(error: unknown): boolean {
    if (isMetadataError(error)) return ['try_again', 'locked', 'lock_not_found', 'forbidden'].includes(error.code);
    const e = error as { message?: string; code?: string };
    return e.message === 'simulated persistence failure' || e.code === 'revision_conflict';
}

/** One step of the simulated clock, and the lock the locking clients share. */
const STEP_MS = 50;
const SEAT = 'seat';

export async function runSchedule(options: ScheduleOptions): Promise<ScheduleResult> {
    const { seed, instances = 3, opsPerInstance = 4, crash = 0.002, locking = false } = options;
    const world = new World({ ...FAULTY, removeDeletes: seed % 2 === 0 ? 'all' : 'one', ...options, seed });
    const operations: Operation[] = [];
    const found: string[] = [];
    let crashed = false;

    /** every log entry any instance created, landed or not: the decided value of each position, to check against */
    const journal: LogEntry[] = [];
    const journaling = (persistence: IPersistence): IPersistence => Object.assign(Object.create(persistence) as IPersistence, {
        createWithAssociations: (data: object, associations: never) => {
            const entry = decodeLogEntry(data);
            if (entry) journal.push(entry);
            return persistence.createWithAssociations(data, associations);
        },
    });
    /** the hold each guarded write was judged against, by token (the write's mutate records it) */
    const guardOf = new Map<string, string>();
    const skews = Array.from({ length: instances }, () => Math.round((world.random() * 2 - 1) * 5000));
    const clockOf = (index: number) => () => world.step * STEP_MS + skews[index];

    const client = async (index: number): Promise<void> => {
        const store = storeIn(world, index, [], journaling);
        const now = clockOf(index);
        const user = `u${index}`;
        let lastSeen = 0;
        for (let n = 0; n < opsPerInstance; n++) {
            const roll = world.random();
            if (locking && roll < 0.3) {
                try {
                    await (roll < 0.2
                        ? store.changeLocks(subject, ({ locks = [] }) => planAcquire(locks, { name: SEAT, userId: user, ttl: 10, nowMs: now(), holdId: `c${index}a${n}` }))
                        : store.changeLocks(subject, ({ locks = [] }) => planRelease(locks, { name: SEAT, userId: user, mayRevoke: false, nowMs: now() })));
                } catch (error) {
                    if (!expected(error)) found.push(`client ${index}: unexpected error ${(error as Error).stack}`);
                }
                continue;
            }
            const isWrite = roll < 0.8;
            const guarded = locking && isWrite && world.random() < 0.6;
            const op: Operation = { client: index, kind: isWrite ? 'write' : 'read', invokedAt: world.step };
            if (isWrite) {
                op.token = `c${index}w${n}`;
                if (world.random() < 0.3) op.expects = lastSeen;
            }
            operations.push(op);
            const write = (token: string): ((current: SubjectSnapshot) => WriteOutcome) => {
                const append = appendToken(token, op.expects);
                if (!guarded) return append;
                return (current) => {
                    checkLockGuard(current.locks ?? [], SEAT, user, now());
                    guardOf.set(token, (current.locks ?? []).find((hold) => hold.name === SEAT)!.holdId);
                    return append(current);
                };
            };
            try {
                const snapshot = isWrite
                    ? (await store.writeItems(subject, write(op.token!), { outbox: outboxOf(op.token!) })).after
                    : await store.load(subject);
                op.seen = observed(snapshot);
                lastSeen = op.seen.revision;
            } catch (error) {
                op.error = String((error as Error).message);
                if (!expected(error)) found.push(`client ${index}: unexpected error ${(error as Error).stack}`);
            }
            op.endedAt = world.step;
        }
    };

    const running = Array.from({ length: instances }, (_, i) => {
        let finished = false;
        void client(i).finally(() => (finished = true));
        return () => finished || world.isCrashed(i);
    });
    await world.runUntil(() => {
        if (!crashed && world.random() < crash) {
            crashed = true;
            world.crash(Math.floor(world.random() * instances));
        }
        return running.every((done) => done());
    });
    if (!running.every((done) => done())) found.push('the clients did not finish: a write never answered');

    // The faults are over: a fresh instance must write at once, and see every acknowledged write.
    const calm = new World({ seed, removeDeletes: world.options.removeDeletes, failBefore: 0, failAfter: 0, lateLanding: 0, pause: 0, maxPauseSteps: 0 });
    calm.records = world.records;
    const background: Promise<unknown>[] = [];
    const fresh = storeIn(calm, 9, background);
    let final: Observed = { revision: 0, list: [] };
    const finish = async () => {
        for (let i = 0; i < Math.max(FINAL_WRITES, opsPerInstance); i++) {
            try {
                await fresh.writeItems(subject, appendToken(`final${i}`));
            } catch (error) {
                found.push(`the subject is wedged: a lone writer after the faults got ${(error as Error).message}`);
            }
            while (background.length > 0) await Promise.all(background.splice(0));
        }
        const loaded = await fresh.load(subject);
        final = observed(loaded);
        finalPosition = Math.max(0, ...calm.records.filter((r) => r.data.kind === 'commit').map((r) => Number(r.data.revision)));
        historyOf = (await fresh.history(subject, 0, 100, { revisions: 1000, days: 36500 })).entries;
    };
    let historyOf: HistoryRecord[] = [];
    let finalPosition = 0;
    let finished = false;
    void finish().finally(() => (finished = true));
    await calm.runUntil(() => finished);
    // Whatever the faults left behind goes within a few writes: only the newest position's entries and
    // the commit markers of the KEPT_COMMITS positions below it stay (copies of one included).
    const leftovers = calm.records.filter((r) => {
        const position = Number(r.data.revision);
        if (r.data.kind === 'commit') return position < finalPosition - KEPT_COMMITS;
        return (r.data.kind === 'prepare' || r.data.kind === 'accept') && position < finalPosition;
    });
    if (leftovers.length > 0) found.push(`clean-up left ${leftovers.map((r) => `${String(r.data.kind)}@${String(r.data.revision)}`).join(' ')} behind`);
    // History is the log's: one entry per revision, each with the list as that revision left it.
    const revisions = historyOf.map((entry) => entry.revision);
    if (revisions.join() !== Array.from({ length: final.revision }, (_, i) => i + 1).join()) found.push(`history holds revisions [${revisions}] of ${final.revision}`);
    for (const entry of historyOf) {
        const list = entry.changed.find((c) => c.key === 'log')?.value;
        if (JSON.stringify(list) !== JSON.stringify(final.list.slice(0, entry.revision))) found.push(`history of revision ${entry.revision} shows [${String(list)}]`);
    }
    // Webhook deliveries (surfaces/webhooks/dispatcher.ts): every revision a client wrote has exactly one delivery
    // the log says was decided, and it is that revision's write — none lost, none of a write that did not happen.
    const deliveries = calm.records.map((r) => decodeDelivery(r.data)).filter((d): d is PendingDelivery => d !== undefined);
    let fates: string[] = [];
    const judged = (async () => (fates = await fresh.writeFates(subject, deliveries.map((d) => d.write!))))();
    let settled = false;
    void judged.finally(() => (settled = true));
    await calm.runUntil(() => settled);
    for (let revision = 1; revision <= final.revision; revision++) {
        const token = final.list[revision - 1];
        if (token.startsWith('final')) continue;
        const decided = deliveries.filter((d, i) => d.write!.revision === revision && fates[i] === 'decided').map((d) => JSON.parse(d.body).token);
        if (decided.join() !== token) found.push(`revision ${revision} (${token}) has decided deliveries [${decided}]`);
    }
    found.push(...violations(operations, final));
    // Locks (SPEC §16): each decided guarded write was judged against the hold in force at the position it
    // builds on — so a former holder never writes after the lock changed hands, whatever the clocks said.
    const decided = new Map<number, LogEntry>();
    for (const commit of journal.filter((e) => e.step === 'commit')) {
        const accept = journal.find((e) => e.step === 'accept' && e.position === commit.position && e.ballot.nonce === commit.ballot.nonce);
        if (accept) decided.set(commit.position, accept);
    }
    for (const [position, accept] of decided) {
        if (accept.lockChange || !accept.set) continue;
        const token = listOf(accept.set.items).at(-1);
        const hold = token === undefined ? undefined : guardOf.get(token);
        if (hold === undefined) continue;
        const before = decided.get(position - 1)?.locks?.find((h) => h.name === SEAT)?.holdId;
        if (before !== hold) found.push(`write ${token} under hold ${hold} was decided at position ${position}, where the hold was ${before ?? 'none'}`);
    }
    const acknowledged = operations.filter((op) => op.kind === 'write' && op.seen).length;
    return { violations: found, steps: world.step, acknowledged, failed: operations.filter((op) => op.error).length };
}

import { objectId } from './ids';
import { Store } from './Store';

/** Agenda's job types: `normal` = scheduleOnce (many per name), `single` = scheduleRecurring (one per name). */
export type JobType = 'normal' | 'single';

interface JobRow {
    _id: string;
    /** the processor id as the engine names it: `<app's processor id>_<appId>` */
    name: string;
    app_id: string;
    type: JobType;
    /** JSON of the job's data, with `appId` added (as Rocket.Chat's decorateJobData does) */
    data: string;
    /** epoch ms; NULL = never again (a one-time job that failed) */
    next_run_at: number | null;
    /** JSON of the interval as the app gave it (string or number) */
    repeat_interval: string | null;
    /** the host instance running it now */
    locked_by: string | null;
    locked_at: number | null;
    last_run_at: number | null;
    last_finished_at: number | null;
    run_count: number;
    fail_count: number;
    last_error: string | null;
    created_at: string;
}

/** A job as a runner sees it. */
export interface Job {
    id: string;
    name: string;
    appId: string;
    type: JobType;
    data: Record<string, unknown>;
    nextRunAt: number | null;
    interval?: string | number;
    lockedBy: string | null;
    lockedAt: number | null;
}

/** A job as GET /api/v1/host.jobs shows it (dates as ISO strings). */
export interface JobView {
    _id: string;
    name: string;
    appId: string;
    type: JobType;
    data: unknown;
    nextRunAt: string | null;
    repeatInterval?: string | number;
    lockedBy: string | null;
    lockedAt: string | null;
    lastRunAt: string | null;
    lastFinishedAt: string | null;
    runCount: number;
    failCount: number;
    lastError: string | null;
    createdAt: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toJob(row: JobRow): Job {
    return {
        id: row._id,
        name: row.name,
        appId: row.app_id,
        type: row.type,
        data: JSON.parse(row.data),
        nextRunAt: row.next_run_at,
        ...(row.repeat_interval !== null && { interval: JSON.parse(row.repeat_interval) }),
        lockedBy: row.locked_by,
        lockedAt: row.locked_at,
    };
}

/**
 * The apps' scheduler jobs in the shared store, after Agenda's collection on a Rocket.Chat server. Every instance
 * runs jobs from here; a job occurrence is claimed with one conditional UPDATE (compare-and-set on the lock and
 * the due time it was seen with), so two instances never both run it.
 */
export class Jobs {
    constructor(private readonly store: Store) {}

    /** A one-time job (Agenda's `schedule(when, name, data)`): a new job every time, even for the same name. */
    insertOnce(job: { name: string; appId: string; data: object; nextRunAt: number }): string {
        const id = objectId();
        this.store.db
            .prepare(`INSERT INTO scheduler_jobs (_id, name, app_id, type, data, next_run_at, created_at) VALUES (?, ?, ?, 'normal', ?, ?, ?)`)
            .run(id, job.name, job.appId, JSON.stringify(job.data), job.nextRunAt, new Date().toISOString());
        return id;
    }

    /** A processor's onetime startup setting: scheduled only when no one-time job of that name exists (pending or failed). */
    insertOnceUnlessExists(job: { name: string; appId: string; data: object; nextRunAt: number }): string | undefined {
        return this.store.tx(() => {
            const existing = this.store.db.prepare<[string], { _id: string }>(`SELECT _id FROM scheduler_jobs WHERE name = ? AND type = 'normal' LIMIT 1`).get(job.name);
            return existing ? undefined : this.insertOnce(job);
        });
    }

    /**
     * A recurring job (Agenda's `every(interval, name, data, {skipImmediate})`): one per name, created or updated
     * with the new interval and data. `nextRunAt` replaces a pending next run only when it lies in the future
     * (skipImmediate); "run now" keeps the run already pending, so registering the same job again on every start
     * (or on every instance) does not run it again early.
     */
    upsertRecurring(job: { name: string; appId: string; data: object; interval: string | number; nextRunAt: number; now: number }): string {
        return this.store.tx(() => {
            const existing = this.store.db.prepare<[string], JobRow>(`SELECT * FROM scheduler_jobs WHERE name = ? AND type = 'single'`).get(job.name);
            const interval = JSON.stringify(job.interval);
            if (!existing) {
                const id = objectId();
                this.store.db
                    .prepare(`INSERT INTO scheduler_jobs (_id, name, app_id, type, data, next_run_at, repeat_interval, created_at) VALUES (?, ?, ?, 'single', ?, ?, ?, ?)`)
                    .run(id, job.name, job.appId, JSON.stringify(job.data), job.nextRunAt, interval, new Date().toISOString());
                return id;
            }
            const nextRunAt = job.nextRunAt > job.now || existing.next_run_at === null ? job.nextRunAt : existing.next_run_at;
            this.store.db
                .prepare(`UPDATE scheduler_jobs SET app_id = ?, data = ?, repeat_interval = ?, next_run_at = ? WHERE _id = ?`)
                .run(job.appId, JSON.stringify(job.data), interval, nextRunAt, existing._id);
            return existing._id;
        });
    }

    get(id: string): Job | undefined {
        const row = this.store.db.prepare<[string], JobRow>('SELECT * FROM scheduler_jobs WHERE _id = ?').get(id);
        return row && toJob(row);
    }

    removeById(id: string): number {
        return this.store.db.prepare('DELETE FROM scheduler_jobs WHERE _id = ?').run(id).changes;
    }

    /** Every job of that name, one-time and recurring (Agenda's `cancel({name})`). */
    removeByName(name: string): number {
        return this.store.db.prepare('DELETE FROM scheduler_jobs WHERE name = ?').run(name).changes;
    }

    /** Every job whose name ends in `suffix` (Rocket.Chat's cancelAllJobs: `{name: /_<appId>$/}`). */
    removeByNameSuffix(suffix: string): number {
        return this.store.db.prepare('DELETE FROM scheduler_jobs WHERE substr(name, -?) = ?').run(suffix.length, suffix).changes;
    }

    /**
     * Jobs of these names that are due and free, or locked (the caller decides whether the lock is stale), soonest
     * first.
     */
    candidates(names: string[], now: number, limit: number): Job[] {
        return this.store.db
            .prepare<[string, number, number], JobRow>(
                `SELECT * FROM scheduler_jobs
                 WHERE name IN (SELECT value FROM json_each(?))
                   AND ((locked_by IS NULL AND next_run_at <= ?) OR locked_by IS NOT NULL)
                 ORDER BY coalesce(next_run_at, 0), _id LIMIT ?`,
            )
            .all(JSON.stringify(names), now, limit)
            .map(toJob);
    }

    /** When the next free job of these names is due (epoch ms), if any. */
    soonest(names: string[]): number | undefined {
        const row = this.store.db
            .prepare<[string], { at: number | null }>(`SELECT min(next_run_at) AS at FROM scheduler_jobs WHERE name IN (SELECT value FROM json_each(?)) AND locked_by IS NULL`)
            .get(JSON.stringify(names));
        return row?.at ?? undefined;
    }

    /**
     * Takes the job for `owner` if it is still exactly as `seen` (same lock, same due time): one UPDATE, so of
     * several instances racing for one occurrence exactly one wins. Sets the next run of a recurring job now, at
     * the start of the run, as Agenda does. Returns the job as claimed, or undefined when another instance was first.
     */
    claim(seen: Job, owner: string, now: number, nextRunAt: number | null): Job | undefined {
        const changes = this.store.db
            .prepare(
                `UPDATE scheduler_jobs SET locked_by = ?, locked_at = ?, last_run_at = ?, next_run_at = ?
                 WHERE _id = ? AND locked_by IS ? AND locked_at IS ? AND next_run_at IS ?`,
            )
            .run(owner, now, now, nextRunAt, seen.id, seen.lockedBy, seen.lockedAt, seen.nextRunAt).changes;
        return changes === 1 ? this.get(seen.id) : undefined;
    }

    /**
     * Records the end of a run by `owner` (nothing happens when the job was cancelled or taken over meanwhile): a
     * one-time job that succeeded is deleted (Rocket.Chat cancels it after its processor resolves); one that failed
     * stays, never to run again, with its error (as Agenda keeps it); a recurring job is unlocked.
     */
    finish(job: Job, owner: string, now: number, error?: string): void {
        if (job.type === 'normal' && error === undefined) {
            this.store.db.prepare('DELETE FROM scheduler_jobs WHERE _id = ? AND locked_by = ?').run(job.id, owner);
            return;
        }
        this.store.db
            .prepare(
                `UPDATE scheduler_jobs SET locked_by = NULL, locked_at = NULL, last_finished_at = ?, run_count = run_count + 1,
                        fail_count = fail_count + ?, last_error = coalesce(?, last_error),
                        next_run_at = CASE WHEN type = 'normal' THEN NULL ELSE next_run_at END
                 WHERE _id = ? AND locked_by = ?`,
            )
            .run(now, error === undefined ? 0 : 1, error ?? null, job.id, owner);
    }

    /** Unlocks whatever `owner` holds (a stopping instance), so that any instance runs those jobs again. */
    releaseAll(owner: string): number {
        return this.store.db.prepare('UPDATE scheduler_jobs SET locked_by = NULL, locked_at = NULL WHERE locked_by = ?').run(owner).changes;
    }

    /**
     * Whether the host instance `owner` has ended (stopped, or its process is gone): its locks are then stale. An
     * owner the store does not know (a test's bridge) counts as alive; its locks expire by age only.
     */
    ownerGone(owner: string): boolean {
        const row = this.store.db.prepare<[string], { pid: number; stopped_at: string | null }>('SELECT pid, stopped_at FROM instances WHERE id = ?').get(owner);
        if (!row) {
            return false;
        }
        if (row.stopped_at) {
            return true;
        }
        try {
            process.kill(row.pid, 0);
            return false;
        } catch (error) {
            return (error as NodeJS.ErrnoException).code === 'ESRCH';
        }
    }

    list(filter: { appId?: string; name?: string } = {}): JobView[] {
        return this.store.db
            .prepare<[{ appId: string | null; name: string | null }], JobRow>(
                `SELECT * FROM scheduler_jobs WHERE (@appId IS NULL OR app_id = @appId) AND (@name IS NULL OR name = @name)
                 ORDER BY next_run_at IS NULL, next_run_at, _id`,
            )
            .all({ appId: filter.appId ?? null, name: filter.name ?? null })
            .map((row) => ({
                _id: row._id,
                name: row.name,
                appId: row.app_id,
                type: row.type,
                data: JSON.parse(row.data),
                nextRunAt: iso(row.next_run_at),
                ...(row.repeat_interval !== null && { repeatInterval: JSON.parse(row.repeat_interval) }),
                lockedBy: row.locked_by,
                lockedAt: iso(row.locked_at),
                lastRunAt: iso(row.last_run_at),
                lastFinishedAt: iso(row.last_finished_at),
                runCount: row.run_count,
                failCount: row.fail_count,
                lastError: row.last_error,
                createdAt: row.created_at,
            }));
    }
}

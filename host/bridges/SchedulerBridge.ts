// The apps' job scheduler, after Rocket.Chat's AppSchedulerBridge (apps/meteor/app/apps/server/bridges/
// scheduler.ts), which runs app jobs with Agenda over a Mongo collection shared by the cluster. Here the jobs live
// in the host's SQLite store (host/store/Jobs.ts) and every instance runs them:
//   - durable: a job scheduled before the host stops (or is killed) runs after it starts again on the same data;
//     one whose time passed meanwhile runs as soon as the app has registered its processors again;
//   - once per occurrence across the cluster: an instance claims an occurrence with one conditional UPDATE before
//     running it; a lock left by an instance that stopped or died is taken over (a run cut short by a crash runs
//     again: at least once), any other lock after Agenda's lock lifetime of 10 minutes;
//   - like Agenda on a server: an instance runs only jobs whose processor it has registered (it has, once the app
//     is enabled there), at most one job per processor name at a time (defaultConcurrency 1), at most 20 at once.
//
// How the engine calls a processor: AppSchedulerManager.registerProcessors hands this bridge, for each of the app's
// processors, `{ id: '<id>_<appId>', processor, startupSetting }` where `processor(jobContext)` is the engine's
// wrapper (wrapProcessor). Calling it checks the app's status (a disabled app's job resolves WITHOUT running) and
// sends `scheduler:<id>` with params `[jobContext]` to the app's Deno runtime, where the app's
// `processor(jobContext, read, modify, http, persis)` runs; it rejects when the app's processor throws. The job
// context is the job's data with `jobId` (the job's id) added, as the server passes it.
import type { IOnetimeSchedule, IProcessor, IRecurringSchedule } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { SchedulerBridge } from '@rocket.chat/apps-engine/server/bridges/SchedulerBridge';

import type { HostContext } from '../engine/context';
import { nextRecurringRun, parseWhen, validateInterval } from '../lib/schedule';
import { type Job, Jobs } from '../store/Jobs';

/** Agenda's defaultLockLifetime: a lock older than this is free again, whoever holds it. */
const LOCK_LIFETIME_MS = 10 * 60_000;

/** Agenda's maxConcurrency: jobs one instance runs at once. */
const MAX_RUNNING = 20;

/** The wrapper the engine registers in place of the app's processor: it takes the job context only. */
type EngineProcessor = (jobContext: Record<string, unknown>) => Promise<void>;

/**
 * What `cancelJob` cancels, as the server decides it: the part before the first `_` of the id the engine passes
 * (`<jobId>_<appId>`) is tried as a Mongo ObjectId (24 hex digits — or any 12 characters, which bson also
 * accepts) and cancels that one job; anything else cancels every job of that name.
 */
function cancelTarget(jobId: string): { id: string } | { name: string } {
    const head = jobId.split('_')[0];
    if (/^[0-9a-fA-F]{24}$/.test(head)) {
        return { id: head.toLowerCase() };
    }
    if (Buffer.byteLength(head) === 12) {
        return { id: head }; // an ObjectId made of these 12 bytes: matches no job
    }
    return { name: jobId };
}

export class HostSchedulerBridge extends SchedulerBridge {
    readonly jobs: Jobs;

    /** processors registered on this instance, by name (`<id>_<appId>`), as Agenda's `define` keeps them */
    private readonly processors = new Map<string, IProcessor>();

    /** names of the jobs this instance is running now */
    private readonly running = new Set<string>();

    private timer?: NodeJS.Timeout;

    private timerAt = Infinity;

    private stopped = false;

    constructor(
        private readonly ctx: HostContext,
        /** how often an instance looks for due jobs it did not schedule itself (it runs its own when due) */
        private readonly pollMs = ctx.schedulerPollMs,
    ) {
        super();
        this.jobs = new Jobs(ctx.store);
    }

    /** Stops running jobs on this instance and frees the ones it holds, for any instance to run again. */
    stop(): void {
        this.stopped = true;
        clearTimeout(this.timer);
        this.timer = undefined;
        const released = this.jobs.releaseAll(this.ctx.instanceId);
        if (released) {
            this.ctx.log.add('info', 'scheduler', `stopping: released ${released} running job(s) for the other instances or the next start`);
        }
    }

    // --- the engine's bridge methods ------------------------------------------------------------------------

    protected async registerProcessors(processors: Array<IProcessor> = [], appId: string): Promise<void | Array<string>> {
        const startup: Array<Promise<void | string>> = [];
        for (const processor of processors) {
            this.processors.set(processor.id, processor);
            const setting = processor.startupSetting;
            if (setting?.type === StartupType.ONETIME) {
                startup.push(this.guard(`startup job ${processor.id}`, async () => this.jobs.insertOnceUnlessExists({ name: processor.id, appId, data: { ...setting.data, appId }, nextRunAt: parseWhen(setting.when) })));
            } else if (setting?.type === StartupType.RECURRING) {
                startup.push(this.scheduleRecurring({ id: processor.id, interval: setting.interval, skipImmediate: setting.skipImmediate, data: setting.data }, appId));
            } else if (setting) {
                this.ctx.log.add('error', 'scheduler', `Invalid startup setting type (${String((setting as { type?: unknown }).type)}) for the processor ${processor.id}`);
            }
        }
        this.wake(0);
        if (startup.length) {
            return (await Promise.all(startup)) as string[];
        }
    }

    protected async scheduleOnce({ id, when, data }: IOnetimeSchedule, appId: string): Promise<void | string> {
        return this.guard(`scheduleOnce ${id}`, async () => {
            const jobId = this.jobs.insertOnce({ name: id, appId, data: { ...data, appId }, nextRunAt: parseWhen(when) });
            this.noteUnknown(id);
            this.wake(0);
            return jobId;
        });
    }

    protected async scheduleRecurring({ id, interval, skipImmediate = false, data }: IRecurringSchedule, appId: string): Promise<void | string> {
        return this.guard(`scheduleRecurring ${id}`, async () => {
            validateInterval(interval);
            const now = Date.now();
            const jobId = this.jobs.upsertRecurring({ name: id, appId, data: { ...data, appId }, interval, nextRunAt: skipImmediate ? nextRecurringRun(interval, now) : now, now });
            this.noteUnknown(id);
            this.wake(0);
            return jobId;
        });
    }

    protected async cancelJob(jobId: string, _appId: string): Promise<void> {
        const target = cancelTarget(jobId);
        if ('id' in target) {
            this.jobs.removeById(target.id);
        } else {
            this.jobs.removeByName(target.name);
        }
    }

    protected async cancelAllJobs(appId: string): Promise<void> {
        this.jobs.removeByNameSuffix(`_${appId}`);
    }

    // --- running ---------------------------------------------------------------------------------------------

    /** The server logs a scheduling error and answers the app `undefined`; so does the host (in host.log). */
    private async guard<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
        try {
            return await fn();
        } catch (error) {
            this.ctx.log.add('error', 'scheduler', `${what}: ${(error as Error)?.message ?? error}`);
            return undefined;
        }
    }

    /** A job for a processor this instance does not know waits for one (Agenda runs only defined names). */
    private noteUnknown(name: string): void {
        if (!this.processors.has(name)) {
            this.ctx.log.add('warn', 'scheduler', `job ${name} scheduled, but no processor of that id is registered here: it runs once one is`);
        }
    }

    /** Looks for due jobs in `delay` ms (sooner if already planned sooner). */
    private wake(delay: number): void {
        if (this.stopped || this.processors.size === 0) {
            return;
        }
        const at = Date.now() + Math.max(0, delay);
        if (this.timer && this.timerAt <= at) {
            return;
        }
        clearTimeout(this.timer);
        this.timerAt = at;
        this.timer = setTimeout(() => this.tick(), Math.max(0, delay));
        this.timer.unref();
    }

    private tick(): void {
        this.timer = undefined;
        this.timerAt = Infinity;
        if (this.stopped) {
            return;
        }
        const names = [...this.processors.keys()];
        try {
            this.claimDue(names);
        } catch (error) {
            this.ctx.log.add('error', 'scheduler', `looking for due jobs failed: ${(error as Error)?.stack ?? error}`);
        }
        const soonest = this.jobs.soonest(names.filter((n) => !this.running.has(n)));
        this.wake(Math.min(this.pollMs, soonest === undefined ? Infinity : soonest - Date.now()));
    }

    private claimDue(names: string[]): void {
        const now = Date.now();
        for (const job of this.jobs.candidates(names, now, 100)) {
            if (this.running.size >= MAX_RUNNING) {
                return;
            }
            if (this.running.has(job.name) || (job.lockedBy !== null && !this.lockIsStale(job, now))) {
                continue;
            }
            if (job.lockedBy !== null) {
                this.ctx.log.add('warn', 'scheduler', `job ${job.id} (${job.name}) was left locked by instance ${job.lockedBy}, which is gone or took too long: running it again`);
            }
            let next: number | null = job.nextRunAt;
            if (job.type === 'single') {
                try {
                    next = nextRecurringRun(job.interval as string | number, now);
                } catch (error) {
                    next = null; // Agenda: "failed to calculate nextRunAt due to invalid repeat interval"
                    this.ctx.log.add('error', 'scheduler', `job ${job.name}: ${(error as Error).message}`);
                }
            }
            const claimed = this.jobs.claim(job, this.ctx.instanceId, now, next);
            if (claimed) {
                this.run(claimed);
            }
        }
    }

    private lockIsStale(job: Job, now: number): boolean {
        return (job.lockedAt ?? 0) < now - LOCK_LIFETIME_MS || (job.lockedBy !== this.ctx.instanceId && this.jobs.ownerGone(job.lockedBy as string));
    }

    private run(job: Job): void {
        const processor = this.processors.get(job.name) as IProcessor;
        this.running.add(job.name);
        // Rocket.Chat's _callProcessor: the stored data without the internal appId, with the job's id.
        const { appId: _internal, ...data } = job.data;
        const jobContext = { ...data, jobId: job.id };
        Promise.resolve()
            .then(() => (processor.processor as unknown as EngineProcessor)(jobContext))
            .then(
                () => undefined,
                (error) => {
                    const message = (error as Error)?.message ?? String(error);
                    this.ctx.log.add('error', 'scheduler', `job ${job.id} (${job.name}) failed: ${(error as Error)?.stack ?? message}`);
                    return message;
                },
            )
            .then((error) => {
                this.running.delete(job.name);
                if (this.stopped) {
                    return; // stop() released the lock: the run counts as cut short, like a crash
                }
                try {
                    this.jobs.finish(job, this.ctx.instanceId, Date.now(), error);
                } catch (failure) {
                    this.ctx.log.add('error', 'scheduler', `recording the end of job ${job.id} failed: ${failure}`);
                }
                this.wake(0);
            });
    }
}

import type { IOnetimeSchedule, IProcessor, IRecurringSchedule } from '@rocket.chat/apps-engine/definition/scheduler';
import { SchedulerBridge } from '@rocket.chat/apps-engine/server/bridges/SchedulerBridge';

import type { HostContext } from '../engine/context';

const UNITS: Record<string, number> = { ms: 1, millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Agenda-style intervals the host understands: a number of ms, or "<n> milliseconds|seconds|minutes|hours|days". */
function parseInterval(value: string | number): number {
    if (typeof value === 'number') {
        return value;
    }
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|seconds?|minutes?|hours?|days?)\s*$/i.exec(value);
    if (!m) {
        throw new Error(`The local host's scheduler understands "<n> seconds|minutes|hours|days" intervals, not "${value}" (cron is not supported)`);
    }
    return Number(m[1]) * UNITS[m[2].toLowerCase().replace(/s$/, '')];
}

/**
 * A minimal scheduler. Rocket.Chat runs app jobs with Agenda, stored in Mongo and each run by one instance; the
 * host keeps jobs in memory on the instance that scheduled them (lost on restart), which is enough to exercise an
 * app's processors (`scheduler` permission required, checked by the engine).
 */
export class HostSchedulerBridge extends SchedulerBridge {
    private readonly processors = new Map<string, IProcessor>();

    private readonly timers = new Map<string, { appId: string; timer: NodeJS.Timeout }>();

    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async registerProcessors(processors: Array<IProcessor>, appId: string): Promise<void | Array<string>> {
        for (const processor of processors) {
            this.processors.set(processor.id, processor);
        }
        // Processors with a startup setting are scheduled as soon as they are registered.
        for (const processor of processors) {
            const startup = processor.startupSetting;
            if (startup?.type === 'onetime') {
                await this.scheduleOnce({ id: processor.id, when: startup.when, data: startup.data }, appId);
            } else if (startup?.type === 'recurring') {
                await this.scheduleRecurring({ id: processor.id, interval: startup.interval, skipImmediate: startup.skipImmediate, data: startup.data }, appId);
            }
        }
        return processors.map((p) => p.id);
    }

    protected async scheduleOnce(job: IOnetimeSchedule, appId: string): Promise<void | string> {
        const processor = this.processor(job.id);
        const when = job.when instanceof Date ? job.when.getTime() : Number.isNaN(Date.parse(String(job.when))) ? Date.now() + parseInterval(job.when) : Date.parse(String(job.when));
        this.cancel(job.id);
        const timer = setTimeout(() => {
            this.timers.delete(job.id);
            this.run(processor, job.data);
        }, Math.max(0, when - Date.now()));
        timer.unref();
        this.timers.set(job.id, { appId, timer });
        return job.id;
    }

    protected async scheduleRecurring(job: IRecurringSchedule, appId: string): Promise<void | string> {
        const processor = this.processor(job.id);
        const every = parseInterval(job.interval);
        this.cancel(job.id);
        const timer = setInterval(() => this.run(processor, job.data), every);
        timer.unref();
        this.timers.set(job.id, { appId, timer });
        if (!job.skipImmediate) {
            this.run(processor, job.data);
        }
        return job.id;
    }

    protected async cancelJob(jobId: string, _appId: string): Promise<void> {
        this.cancel(jobId);
    }

    protected async cancelAllJobs(appId: string): Promise<void> {
        for (const [id, entry] of this.timers) {
            if (entry.appId === appId) {
                this.cancel(id);
            }
        }
    }

    private processor(id: string): IProcessor {
        const processor = this.processors.get(id);
        if (!processor) {
            throw new Error(`Processor ${id} not available`);
        }
        return processor;
    }

    private run(processor: IProcessor, data: unknown): void {
        // The engine registers wrapped processors that take only the job's data (AppSchedulerManager.wrapProcessor).
        const wrapped = processor.processor as unknown as (jobContext: unknown) => Promise<void>;
        Promise.resolve(wrapped(data)).catch((error) => {
            this.ctx.log.add('error', 'scheduler', `job ${processor.id} failed: ${error?.stack ?? error}`);
        });
    }

    private cancel(id: string): void {
        const entry = this.timers.get(id);
        if (entry) {
            clearTimeout(entry.timer);
            clearInterval(entry.timer);
            this.timers.delete(id);
        }
    }
}

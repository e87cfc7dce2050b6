// Host extension: the apps' scheduler jobs (host/store/Jobs.ts), what a server keeps in its Agenda collection and
// shows nowhere. Admin only.
//   GET /api/v1/host.jobs?appId=&name=   every job, soonest first: pending, running (lockedBy) and failed one-time
//                                        jobs (nextRunAt null, lastError); the store is shared, so any instance
//                                        answers for the whole cluster
import type { Instance } from '../instance';
import { requireAdmin } from './rest';
import { Router } from './router';

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export function jobRoutes(instance: Instance): Router {
    const router = new Router();

    router.get('/api/v1/host.jobs', async (rc) => {
        requireAdmin(rc);
        const jobs = instance.engine.bridges.scheduler.jobs.list({ appId: one(rc.query.appId), name: one(rc.query.name) });
        return { jobs, count: jobs.length, now: new Date().toISOString(), success: true };
    });

    return router;
}

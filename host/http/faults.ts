// Host extension: fault injection in the app persistence (host/engine/faults.ts), admin only.
//   POST   /api/v1/host.faults {instance?, method?, nth?, pauseMs, match?}  arm: hold that instance's Nth write
//   GET    /api/v1/host.faults?instance=                                    every fault and its state
//   DELETE /api/v1/host.faults?instance=                                    disarm the armed ones
// `instance` is an instance index (host.info's `index`); absent = the instance answering the request. Faults are in
// the shared store, so any instance of a cluster arms, lists and clears them for any other.
import { validatePauseSpec, type WriteFault } from '../engine/faults';
import type { Instance } from '../instance';
import { requireAdmin } from './rest';
import { failure, Router } from './router';

function instanceParam(value: unknown): number | undefined {
    if (value === undefined || value === '') {
        return undefined;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
        throw failure(`instance must be an instance index (0, 1, …), not ${JSON.stringify(value)}`);
    }
    return n;
}

export function faultRoutes(instance: Instance): Router {
    const { ctx } = instance;
    const router = new Router();

    router.get('/api/v1/host.faults', async (rc) => {
        requireAdmin(rc);
        const faults: WriteFault[] = ctx.faults.list(instanceParam(rc.query.instance));
        return { instance: ctx.instanceIndex, faults, success: true };
    });

    router.post('/api/v1/host.faults', async (rc) => {
        requireAdmin(rc);
        const body = await rc.json();
        let spec;
        try {
            spec = validatePauseSpec({ ...body, nth: body.nth ?? 1, instance: body.instance ?? ctx.instanceIndex });
        } catch (error) {
            throw failure((error as Error).message);
        }
        const fault = ctx.faults.arm(spec);
        ctx.log.add('info', 'faults', `armed fault #${fault.id}: instance ${fault.instance}'s write #${fault.nth} (${fault.method}${fault.match ? ` matching ${JSON.stringify(fault.match)}` : ''}) held ${fault.pauseMs} ms`);
        return { fault, success: true };
    });

    router.delete('/api/v1/host.faults', async (rc) => {
        requireAdmin(rc);
        return { cleared: ctx.faults.clear(instanceParam(rc.query.instance)), success: true };
    });

    return router;
}

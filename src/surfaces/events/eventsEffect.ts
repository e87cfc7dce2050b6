import { AfterWriteEffect } from '../../service/types';
import { Coalescer } from './coalescer';
import { deliverUpdate, DeliveryDeps } from './deliverUpdate';

/** The after-write effect that turns a change into UPDATE events, through the instance's coalescer. */
export function createEventsEffect(deps: DeliveryDeps & { coalescer: Coalescer }): AfterWriteEffect {
    return (notice) => deps.coalescer.push(notice, deps.settings.coalesceWindowMs, (merged) => deliverUpdate(deps, merged));
}

import { ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { LifecycleService } from '../../service/lifecycle';
import { ServiceFactory } from '../../service/types';

/** What every endpoint is built with. */
export interface HttpDeps {
    services: ServiceFactory<IRead, IModify, IPersistence, ILogger>;
    /** SPEC §18: the admin sweep (admin/reconcile) */
    lifecycle?: (read: IRead, persistence: IPersistence, logger: ILogger) => LifecycleService;
}

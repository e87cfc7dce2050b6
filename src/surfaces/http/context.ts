import { ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { Limits } from '../../core/types';
import { ServiceFactory } from '../../service/types';

/** What every endpoint is built with. */
export interface HttpDeps {
    services: ServiceFactory<IRead, IModify, IPersistence, ILogger>;
    /** the limits request bodies are parsed against (app settings) */
    limits: (read: IRead) => Promise<Limits>;
}

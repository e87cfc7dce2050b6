import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { ServiceFactory } from '../../service/types';

/** What every endpoint is built with. */
export interface HttpDeps {
    services: ServiceFactory<IRead, IModify, IPersistence, ILogger, IHttp>;
}

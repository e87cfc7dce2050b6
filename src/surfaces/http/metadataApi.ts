import { ApiSecurity, ApiVisibility, IApi } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import { HttpDeps } from './context';
import { MergeEndpoint } from './MergeEndpoint';
import { HistoryEndpoint } from './HistoryEndpoint';
import { MetadataEndpoint } from './MetadataEndpoint';
import { OpenApiEndpoint } from './OpenApiEndpoint';
import { ReconcileEndpoint } from './ReconcileEndpoint';
import { RepairEndpoint } from './RepairEndpoint';
import { StateEndpoint } from './StateEndpoint';
import { SubscriptionsEndpoint } from './SubscriptionsEndpoint';

/**
 * The HTTP API under /api/apps/public/<appId>/. UNSECURE only means the engine adds no check of its
 * own (with SECURE it refuses every call); each endpoint has authRequired, so the server demands
 * X-User-Id + X-Auth-Token and answers 401 itself — all but openapi.json, the API's description, which anyone
 * may read.
 */
export function metadataApi(app: IApp, deps: HttpDeps): IApi {
    return {
        visibility: ApiVisibility.PUBLIC,
        security: ApiSecurity.UNSECURE,
        endpoints: [
            new MetadataEndpoint(app, deps),
            new MergeEndpoint(app, deps),
            new StateEndpoint(app, deps),
            new HistoryEndpoint(app, deps),
            new RepairEndpoint(app, deps),
            new SubscriptionsEndpoint(app, deps),
            new OpenApiEndpoint(app, deps),
            new ReconcileEndpoint(app, deps),
        ],
    };
}

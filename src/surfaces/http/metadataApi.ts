import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiSecurity, ApiVisibility, IApi } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import { ServiceFactory } from '../../service/types';
import { LifecycleFactory } from '../../service/lifecycle';
import { ReconcileEndpoint } from './ReconcileEndpoint';
import { ExportEndpoint, ImportEndpoint, SubjectsEndpoint } from './AdminEndpoints';
import { AdminFactory } from '../../service/admin';
import { MergeEndpoint } from './MergeEndpoint';
import { ChoicesEndpoint, PickEndpoint } from './ChoicesEndpoint';
import { HistoryEndpoint } from './HistoryEndpoint';
import { LockEndpoint, LocksEndpoint } from './LocksEndpoint';
import { MetadataEndpoint } from './MetadataEndpoint';
import { OpenApiEndpoint } from './OpenApiEndpoint';
import { RepairEndpoint } from './RepairEndpoint';
import { StateEndpoint } from './StateEndpoint';
import { SubscriptionsEndpoint } from './SubscriptionsEndpoint';
import { WebhookDeliveriesEndpoint, WebhookEndpoint, WebhooksEndpoint } from './WebhooksEndpoint';

/**
 * The HTTP API under /api/apps/public/<appId>/. UNSECURE only means the engine adds no check of its
 * own (with SECURE it refuses every call); each endpoint has authRequired, so the server demands
 * X-User-Id + X-Auth-Token and answers 401 itself — all but openapi.json, the API's description, which anyone
 * may read.
 */
export function metadataApi(app: IApp, services: ServiceFactory<IRead, IModify, IPersistence, ILogger, IHttp>, lifecycle?: LifecycleFactory<IRead, IPersistence, ILogger>,
    admin?: AdminFactory<IRead, IPersistence, ILogger>,
): IApi {
    return {
        visibility: ApiVisibility.PUBLIC,
        security: ApiSecurity.UNSECURE,
        endpoints: [
            new MetadataEndpoint(app, services),
            new MergeEndpoint(app, services),
            new StateEndpoint(app, services),
            new ChoicesEndpoint(app, services),
            new PickEndpoint(app, services),
            new HistoryEndpoint(app, services),
            new LocksEndpoint(app, services),
            new LockEndpoint(app, services),
            new RepairEndpoint(app, services),
            new SubscriptionsEndpoint(app, services),
            new WebhooksEndpoint(app, services),
            new WebhookEndpoint(app, services),
            new WebhookDeliveriesEndpoint(app, services),
            new OpenApiEndpoint(app, services),
            new ReconcileEndpoint(app, services, lifecycle),
            new ExportEndpoint(app, services, admin),
            new ImportEndpoint(app, services, admin),
            new SubjectsEndpoint(app, services, admin),
        ],
    };
}

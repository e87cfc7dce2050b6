import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { MetadataError } from '../../core/errors';
import { isPlainRecord } from '../../core/values';
import { LifecycleFactory } from '../../service/lifecycle';
import { ServiceFactory } from '../../service/types';
import { JsonEndpoint } from './JsonEndpoint';

/**
 * `admin/reconcile` (admins): one batch of the sweep that purges what the app holds of rooms and users that no
 * longer exist (SPEC §18). `{cursor?, limit?}` in, `{checked, purged, undecided, next}` out; call again with
 * `cursor: next` until `next` is null.
 */
export class ReconcileEndpoint extends JsonEndpoint {
    public path = 'admin/reconcile';
    protected readonly allowed = ['POST'];
    public examples: Record<string, IApiExample> = {
        'Start a sweep': { content: {} },
        'Go on where the last batch stopped': { content: { cursor: '17', limit: 100 } },
    };

    constructor(app: IApp, services: ServiceFactory<IRead, IModify, IPersistence, ILogger, IHttp>, private readonly lifecycle?: LifecycleFactory<IRead, IPersistence, ILogger>) {
        super(app, services);
    }

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => {
            const lifecycle = this.lifecycle;
            if (!lifecycle) throw new Error('the lifecycle service is not wired');
            const body = call.content === undefined || call.content === null ? {} : call.content;
            if (!isPlainRecord(body)) throw new MetadataError('invalid_request', 'The body must be a JSON object: {cursor?, limit?}.');
            const unknown = Object.keys(body).filter((name) => name !== 'cursor' && name !== 'limit');
            if (unknown.length > 0) throw new MetadataError('invalid_request', `Unknown field ${JSON.stringify(unknown[0])}: the body takes cursor and limit.`);
            return lifecycle(read, persis, this.app.getLogger()).reconcile(call.caller, { cursor: body.cursor as string | undefined, limit: body.limit as number | undefined });
        });
    }
}

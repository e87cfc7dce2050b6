import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { parseHistoryQuery } from '../../core/history';
import { JsonEndpoint, targetOf } from './JsonEndpoint';
import { textParam } from './query';

/** `metadata/:ns/:id/history?since=REV&limit=N`: the changes after a revision, oldest first (SPEC §14). */
export class HistoryEndpoint extends JsonEndpoint {
    public path = 'metadata/:ns/:id/history';
    protected readonly allowed = ['GET'];
    public examples: Record<string, IApiExample> = {
        'Changes after revision 12': { params: { ns: 'user', id: 'me' }, query: { since: '12', limit: '50' } },
    };

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) =>
            call.service.history(call.caller, targetOf(call), parseHistoryQuery(textParam(call.query, 'since', '12'), textParam(call.query, 'limit', '50'))));
    }
}

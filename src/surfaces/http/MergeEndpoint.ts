import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { parseMergeRequest } from '../../core/requests';
import { JsonEndpoint, targetOf } from './JsonEndpoint';

/** `metadata/:ns/:id/merge`: an RFC 7396 merge patch on the document view. */
export class MergeEndpoint extends JsonEndpoint {
    public path = 'metadata/:ns/:id/merge';
    protected readonly allowed = ['POST'];
    public examples: Record<string, IApiExample> = {
        'Merge a patch (null removes)': {
            params: { ns: 'room', id: 'general' },
            content: { patch: { contact: { last_name: 'Hopper', phone: null } }, cause: { source: 'crm' } },
        },
    };

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) =>
            call.service.merge(call.caller, targetOf(call), parseMergeRequest(call.content)));
    }
}

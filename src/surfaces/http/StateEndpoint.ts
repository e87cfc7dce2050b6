import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { parseStateRequest } from '../../core/requests';
import { JsonEndpoint, targetOf } from './JsonEndpoint';

/** `metadata/:ns/:id/state`: one operation on the caller's own entry of a collaborative state key. */
export class StateEndpoint extends JsonEndpoint {
    public path = 'metadata/:ns/:id/state';
    protected readonly allowed = ['POST'];
    public examples: Record<string, IApiExample> = {
        'Add to a set': { params: { ns: 'room', id: 'general' }, content: { key: 'reactions', type: 'set', op: 'add', value: 'thumbsup' } },
        'Write a register (last writer wins)': { params: { ns: 'user', id: 'alice' }, content: { key: 'rating', type: 'lww', op: 'add', value: 5 } },
    };

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) =>
            call.service.state(call.caller, targetOf(call), parseStateRequest(call.content)));
    }
}

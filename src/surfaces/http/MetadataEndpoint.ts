import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { parseKeyList, parseRemoveRequest, parseSetRequest, parseUpdateRequest } from '../../core/requests';
import { JsonEndpoint, targetOf } from './JsonEndpoint';
import { listParam } from './query';
import { removeBody } from './removeBody';

/** `metadata/:ns/:id`: get, set (PUT), update (PATCH), remove (DELETE). */
export class MetadataEndpoint extends JsonEndpoint {
    public path = 'metadata/:ns/:id';
    protected readonly allowed = ['GET', 'PUT', 'PATCH', 'DELETE'];
    public examples: Record<string, IApiExample> = {
        'Read your own metadata': { params: { ns: 'user', id: 'me' } },
        'Read chosen keys of a room': { params: { ns: 'room', id: 'general' }, query: { keys: 'contact,state' } },
        'Set items (PUT)': {
            params: { ns: 'user', id: 'me' },
            content: { items: [{ key: 'contact.first_name', value: 'Grace', visibility: 'public' }, { key: 'state', value: 'open', revision: 0 }] },
        },
        'Set a document (PUT)': {
            params: { ns: 'room', id: 'general' },
            content: { document: { contact: { first_name: 'Grace', last_name: 'Hopper' } }, majorRevision: 3, cause: 'import' },
        },
        'Update existing items (PATCH)': {
            params: { ns: 'user', id: 'alice' },
            content: { items: [{ key: 'state', value: 'closed', revision: 4 }] },
        },
        'Remove items (DELETE)': { params: { ns: 'user', id: 'me' }, content: { items: [{ key: 'state' }] } },
        'Remove items by query (DELETE)': { params: { ns: 'user', id: 'me' }, query: { keys: 'contact,state' } },
    };

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) =>
            call.service.get(call.caller, targetOf(call), parseKeyList(listParam(call.query, 'keys'))));
    }

    public async put(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) =>
            call.service.set(call.caller, targetOf(call), parseSetRequest(call.content)));
    }

    public async patch(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) =>
            call.service.update(call.caller, targetOf(call), parseUpdateRequest(call.content)));
    }

    public async delete(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) =>
            call.service.remove(call.caller, targetOf(call), parseRemoveRequest(removeBody(call.content, listParam(call.query, 'keys')))));
    }
}

import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { parsePickRequest } from '../../core/requests';
import { JsonEndpoint, targetOf } from './JsonEndpoint';

/** `metadata/:ns/:id/choices`: posts a message with choices in a room (SPEC §19); answers the message's subject. */
export class ChoicesEndpoint extends JsonEndpoint {
    public path = 'metadata/:ns/:id/choices';
    protected readonly allowed = ['POST'];
    public examples: Record<string, IApiExample> = {
        'Ask a room, one pick each that people may change': {
            params: { ns: 'room', id: 'general' },
            content: { question: 'Lunch?', choices: ['pizza', 'sushi', 'salad'], type: 'lww' },
        },
    };

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => call.service.choose(call.caller, targetOf(call), call.content));
    }
}

/** `metadata/:ns/:id/pick`: what a click on one of a message's choices does, for integrations (SPEC §19). */
export class PickEndpoint extends JsonEndpoint {
    public path = 'metadata/:ns/:id/pick';
    protected readonly allowed = ['POST'];
    public examples: Record<string, IApiExample> = {
        'Pick sushi (a second pick of it takes it back, by the message\'s type)': { params: { ns: 'message', id: '<messageId>' }, content: { choice: 'sushi' } },
    };

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => call.service.pick(call.caller, targetOf(call), parsePickRequest(call.content)));
    }
}

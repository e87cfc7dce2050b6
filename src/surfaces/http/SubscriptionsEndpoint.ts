import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { isPlainRecord } from '../../core/values';
import { JsonEndpoint } from './JsonEndpoint';
import { parseSubjectText, parseSubscriptionRequest } from './parseSubscription';
import { textParam } from './query';

/** `subscriptions`: list (GET), subscribe (POST), unsubscribe (DELETE, body or `?subject=`). */
export class SubscriptionsEndpoint extends JsonEndpoint {
    public path = 'subscriptions';
    protected readonly allowed = ['GET', 'POST', 'DELETE'];
    public examples: Record<string, IApiExample> = {
        'List your subscriptions': {},
        'Subscribe (events in your direct room with the app)': { content: { subject: 'user:alice' } },
        'Subscribe with events in a room': { content: { subject: 'room:general', roomId: 'GENERAL' } },
        'Unsubscribe': { content: { subject: 'user:alice' } },
        'Unsubscribe by query': { query: { subject: 'room:general' } },
    };

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => ({ subscriptions: await call.service.subscriptions(call.caller) }));
    }

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => {
            const { target, roomId } = parseSubscriptionRequest(call.content);
            return call.service.subscribe(call.caller, target, roomId);
        });
    }

    public async delete(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => {
            const fromBody = isPlainRecord(call.content) && call.content.subject !== undefined;
            const target = fromBody ? parseSubscriptionRequest(call.content).target : parseSubjectText(textParam(call.query, 'subject', 'user:alice'));
            await call.service.unsubscribe(call.caller, target);
            return { subject: { namespace: target.namespace, ref: target.ref }, subscribed: false };
        });
    }
}

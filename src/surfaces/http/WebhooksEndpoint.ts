import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { JsonEndpoint } from './JsonEndpoint';

/** `webhooks` (admins): register (POST) and list (GET) the webhooks (SPEC §15). */
export class WebhooksEndpoint extends JsonEndpoint {
    public path = 'webhooks';
    protected readonly allowed = ['GET', 'POST'];
    public examples: Record<string, IApiExample> = {
        'List the webhooks': {},
        'Register a signed webhook for every user and one room': {
            content: { url: 'https://example.com/metadata-hook', secret: 'a long random text', subjects: ['user:*', 'room:GENERAL'], includePrivate: false },
        },
    };

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => call.service.listWebhooks(call.caller));
    }

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => call.service.registerWebhook(call.caller, call.content));
    }
}

/** `webhooks/:id` (admins): one webhook (GET, never its secret), and its removal (DELETE) with what waits for it. */
export class WebhookEndpoint extends JsonEndpoint {
    public path = 'webhooks/:webhookId';
    protected readonly allowed = ['GET', 'DELETE'];
    public examples: Record<string, IApiExample> = {
        'Show a webhook': { params: { webhookId: '3f0c…' } },
    };

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => call.service.getWebhook(call.caller, call.params.webhookId ?? ''));
    }

    public async delete(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => call.service.removeWebhook(call.caller, call.params.webhookId ?? ''));
    }
}

/** `webhooks/:id/deliveries` (admins): the newest attempts (time, status, error) and how many deliveries wait. */
export class WebhookDeliveriesEndpoint extends JsonEndpoint {
    public path = 'webhooks/:webhookId/deliveries';
    protected readonly allowed = ['GET'];
    public examples: Record<string, IApiExample> = {
        'The delivery log of a webhook': { params: { webhookId: '3f0c…' } },
    };

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => call.service.webhookDeliveries(call.caller, call.params.webhookId ?? ''));
    }
}

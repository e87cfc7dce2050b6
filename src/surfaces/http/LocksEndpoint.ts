import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { parseLockRequest } from '../../core/requests';
import { validateLockName } from '../../core/locks';
import { JsonEndpoint, targetOf } from './JsonEndpoint';

/** `metadata/:ns/:id/locks`: acquire or renew a lock (POST) and list the held ones (GET) (SPEC §16). */
export class LocksEndpoint extends JsonEndpoint {
    public path = 'metadata/:ns/:id/locks';
    protected readonly allowed = ['GET', 'POST'];
    public examples: Record<string, IApiExample> = {
        'The locks held on a room': { params: { ns: 'room', id: 'GENERAL' } },
        'Take the seat for 30 s, waiting up to 5 s if someone holds it': { params: { ns: 'room', id: 'GENERAL' }, content: { name: 'seat', ttl: 30, wait: 5 } },
    };

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => call.service.locks(call.caller, targetOf(call)));
    }

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => call.service.acquireLock(call.caller, targetOf(call), parseLockRequest(call.content)));
    }
}

/** `metadata/:ns/:id/locks/:name`: release (the holder) or revoke (whoever may write the subject) (SPEC §16). */
export class LockEndpoint extends JsonEndpoint {
    public path = 'metadata/:ns/:id/locks/:name';
    protected readonly allowed = ['DELETE'];
    public examples: Record<string, IApiExample> = {
        'Release the seat': { params: { ns: 'room', id: 'GENERAL', name: 'seat' } },
    };

    public async delete(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) =>
            call.service.releaseLock(call.caller, targetOf(call), validateLockName(call.params.name)));
    }
}

import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { parseRepairRequest } from '../../core/repair';
import { JsonEndpoint, targetOf } from './JsonEndpoint';

/**
 * `metadata/:ns/:id/repair` (admins): removes items and state entries of a subject without answering
 * with any value, so it works even when what is stored cannot be sent back (SPEC §12).
 */
export class RepairEndpoint extends JsonEndpoint {
    public path = 'metadata/:ns/:id/repair';
    protected readonly allowed = ['POST'];
    public examples: Record<string, IApiExample> = {
        'Remove an item and one user\'s state entry': {
            params: { ns: 'user', id: 'alice' },
            content: { items: ['profile.deep'], state: [{ key: 'votes', userId: 'u123' }] },
        },
        'Remove everything of a subject': { params: { ns: 'room', id: 'general' }, content: { items: 'all', state: 'all' } },
    };

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) =>
            call.service.repair(call.caller, targetOf(call), parseRepairRequest(call.content)));
    }
}

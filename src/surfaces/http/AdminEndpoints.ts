import { HttpStatusCode, IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiExample, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import { MetadataError } from '../../core/errors';
import { expectOneOf } from '../../core/fields';
import { NAMESPACES } from '../../core/types';
import { AdminFactory, AdminService } from '../../service/admin';
import { ServiceFactory } from '../../service/types';
import { JsonEndpoint } from './JsonEndpoint';
import { textParam } from './query';
import { callerOf, respondWith, unauthorized } from './respond';

/*
 * Administration (SPEC §18), admins only: `GET admin/export` (a page of NDJSON), `POST admin/import` (that NDJSON,
 * inside a JSON body) and `GET admin/subjects` (a page of the subjects that hold metadata). The engine answers a
 * request with one body, so an export is paged: each page carries the cursor of the next in `X-Next-Cursor`, and
 * the last page none.
 */

type Services = ServiceFactory<IRead, IModify, IPersistence, ILogger, IHttp>;
type Admin = AdminFactory<IRead, IPersistence, ILogger> | undefined;

/** The header that carries the cursor of the next export page; absent on the last page. */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';
export const NDJSON_TYPE = 'application/x-ndjson';

abstract class AdminEndpoint extends JsonEndpoint {
    constructor(app: IApp, services: Services, private readonly admin: Admin) {
        super(app, services);
    }

    protected adminService(read: IRead, persistence: IPersistence): AdminService {
        if (!this.admin) throw new Error('the admin service is not wired');
        return this.admin(read, persistence, this.app.getLogger());
    }
}

/** `admin/export?cursor=&limit=`: one page of the export, NDJSON, one subject a line. */
export class ExportEndpoint extends AdminEndpoint {
    public path = 'admin/export';
    protected readonly allowed = ['GET'];
    public examples: Record<string, IApiExample> = {
        'The first page': {},
        'The next page (the X-Next-Cursor of the last answer)': { query: { cursor: '17.u123', limit: '50' } },
    };

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, _m: IModify, _h: IHttp, persis: IPersistence): Promise<IApiResponse> {
        const caller = callerOf(request);
        if (!caller) return unauthorized();
        return respondWith(this.app.getLogger(), async () => {
            const query = (request.query ?? {}) as Record<string, unknown>;
            const page = await this.adminService(read, persis).exportPage(caller, { cursor: textParam(query, 'cursor', '17.u123'), limit: limitParam(query) });
            return {
                status: HttpStatusCode.OK,
                headers: { 'content-type': `${NDJSON_TYPE}; charset=utf-8`, ...(page.next === null ? {} : { [NEXT_CURSOR_HEADER]: page.next }) },
                content: page.lines.map((line) => `${line}\n`).join(''),
            };
        });
    }
}

/** `admin/import`: `{"ndjson": "<lines of admin/export>"}` in, a report per subject out. */
export class ImportEndpoint extends AdminEndpoint {
    public path = 'admin/import';
    protected readonly allowed = ['POST'];
    public examples: Record<string, IApiExample> = {
        'Import one subject': {
            content: { ndjson: '{"format":1,"subject":{"namespace":"user","id":"u123"},"majorRevision":2,"items":[{"key":"team","value":"blue","revision":2,"updatedAt":"2026-01-01T00:00:00.000Z","updatedBy":"u123","visibility":"public"}],"state":[],"subscriptions":[]}\n' },
        },
    };

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => this.adminService(read, persis).importLines(call.caller, call.content));
    }
}

/** `admin/subjects?namespace=&cursor=&limit=`: a page of the subjects that hold metadata. */
export class SubjectsEndpoint extends AdminEndpoint {
    public path = 'admin/subjects';
    protected readonly allowed = ['GET'];
    public examples: Record<string, IApiExample> = {
        'Every subject, first page': {},
        'Rooms only, the next page': { query: { namespace: 'room', cursor: '17.r123' } },
    };

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.handle(request, read, modify, http, persis, async (call) => {
            const namespace = textParam(call.query, 'namespace', 'room');
            return this.adminService(read, persis).subjects(call.caller, {
                namespace: namespace === undefined || namespace === '' ? undefined : expectOneOf(namespace, NAMESPACES, 'query parameter "namespace"'),
                cursor: textParam(call.query, 'cursor', '17.r123'),
                limit: limitParam(call.query),
            });
        });
    }
}

/** `?limit=N`: a whole number (its range is the service's to judge); absent: the default. */
function limitParam(query: Record<string, unknown>): number | undefined {
    const limit = textParam(query, 'limit', '50');
    if (limit === undefined || limit === '') return undefined;
    if (!/^\d{1,6}$/.test(limit)) throw new MetadataError('invalid_request', `query parameter "limit" must be a whole number, not ${JSON.stringify(limit)}`);
    return Number(limit);
}

import { HttpStatusCode, IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import { Namespace } from '../../core/types';
import { Caller, MetadataService, ServiceFactory, SubjectTarget } from '../../service/types';
import { callerOf, methodNotAllowed, respond, unauthorized } from './respond';

/** One request, ready for an operation: who asks, the service, and the request's parts. */
export interface Call {
    caller: Caller;
    service: MetadataService;
    params: Record<string, string>;
    /** strings, or arrays and objects for repeated and bracketed parameters: read them through query.ts */
    query: Record<string, unknown>;
    content: unknown;
}

/**
 * Every other method Node's HTTP server accepts, as the engine names them (lower case). The server routes
 * every method to the app (Express's router.all), and the engine answers 500 for one the endpoint does
 * not implement, so each of them answers 405 here.
 */
const OTHER_METHODS = [
    'acl', 'bind', 'checkout', 'copy', 'link', 'lock', 'm-search', 'merge', 'mkactivity', 'mkcalendar', 'mkcol', 'move',
    'notify', 'propfind', 'proppatch', 'purge', 'query', 'rebind', 'report', 'search', 'source', 'subscribe', 'trace',
    'unbind', 'unlink', 'unlock', 'unsubscribe',
];
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The shape every endpoint shares: logged-in users only, JSON in and out. Every method is implemented
 * here: HEAD answers as GET without a body, OPTIONS answers 204 with `Allow`, and anything an endpoint
 * does not override answers 405 with `Allow`.
 */
export abstract class JsonEndpoint extends ApiEndpoint {
    public authRequired = true;
    /** the operations the endpoint serves (HEAD and OPTIONS are added to `Allow` on their own) */
    protected abstract readonly allowed: string[];

    /** `services` builds the service for one request, over the accessors the engine hands that request. */
    constructor(app: IApp, protected readonly services: ServiceFactory<IRead, IModify, IPersistence, ILogger, IHttp>) {
        super(app);
    }

    /** The `Allow` header: the endpoint's methods, HEAD with GET, and OPTIONS. */
    public get allowHeader(): string {
        const methods = new Set([...this.allowed, 'OPTIONS', ...(this.allowed.includes('GET') ? ['HEAD'] : [])]);
        return METHOD_ORDER.filter((method) => methods.has(method)).join(', ');
    }

    public async head(request: IApiRequest, endpoint: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        const answer = this.allowed.includes('GET')
            ? await this.get(request, endpoint, read, modify, http, persis)
            : methodNotAllowed(this.allowHeader);
        return { status: answer.status, headers: answer.headers };
    }

    public async options(): Promise<IApiResponse> {
        return { status: HttpStatusCode.NO_CONTENT, headers: { allow: this.allowHeader } };
    }

    public async get(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowHeader);
    }

    public async post(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowHeader);
    }

    public async put(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowHeader);
    }

    public async patch(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowHeader);
    }

    public async delete(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowHeader);
    }

    protected async handle(
        request: IApiRequest,
        read: IRead,
        modify: IModify,
        http: IHttp,
        persistence: IPersistence,
        operation: (call: Call) => Promise<object>,
    ): Promise<IApiResponse> {
        const caller = callerOf(request);
        if (!caller) return unauthorized();
        // Read at call time: the engine gives each request its own logger (through a proxy of `app`).
        const logger = this.app.getLogger();
        return respond(logger, async () => operation({
            caller,
            service: this.services(read, modify, persistence, logger, http),
            params: request.params ?? {},
            query: (request.query ?? {}) as Record<string, unknown>,
            content: request.content,
        }));
    }
}

/** `metadata/:ns/:id` → the subject the surface names; the service resolves and judges it. */
export function targetOf(call: Call): SubjectTarget {
    return { namespace: call.params.ns as Namespace, ref: call.params.id ?? '' };
}

for (const method of OTHER_METHODS) {
    Object.defineProperty(JsonEndpoint.prototype, method, {
        value: async function notAllowed(this: JsonEndpoint): Promise<IApiResponse> {
            return methodNotAllowed(this.allowHeader);
        },
        writable: true,
        configurable: true,
    });
}

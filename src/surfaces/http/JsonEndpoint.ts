import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import { Namespace } from '../../core/types';
import { Caller, MetadataService, SubjectTarget } from '../../service/types';
import { HttpDeps } from './context';
import { callerOf, methodNotAllowed, respond, unauthorized } from './respond';

/** One request, ready for an operation: who asks, the service, and the request's parts. */
export interface Call {
    caller: Caller;
    service: MetadataService;
    params: Record<string, string>;
    query: Record<string, string>;
    content: unknown;
}

/**
 * The shape every endpoint shares: logged-in users only, JSON in and out. The engine answers 500
 * for a method an endpoint does not implement, so every method is implemented here and answers 405
 * unless the endpoint overrides it.
 */
export abstract class JsonEndpoint extends ApiEndpoint {
    public authRequired = true;
    protected abstract readonly allowed: string[];

    constructor(app: IApp, protected readonly deps: HttpDeps) {
        super(app);
    }

    public async get(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowed);
    }

    public async post(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowed);
    }

    public async put(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowed);
    }

    public async patch(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowed);
    }

    public async delete(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
        return methodNotAllowed(this.allowed);
    }

    protected async handle(
        request: IApiRequest,
        read: IRead,
        modify: IModify,
        persistence: IPersistence,
        operation: (call: Call) => Promise<object>,
    ): Promise<IApiResponse> {
        const caller = callerOf(request);
        if (!caller) return unauthorized();
        // Read at call time: the engine gives each request its own logger (through a proxy of `app`).
        const logger = this.app.getLogger();
        return respond(logger, async () => operation({
            caller,
            service: this.deps.services(read, modify, persistence, logger),
            params: request.params ?? {},
            query: request.query ?? {},
            content: request.content,
        }));
    }
}

/** `metadata/:ns/:id` → the subject the surface names; the service resolves and judges it. */
export function targetOf(call: Call): SubjectTarget {
    return { namespace: call.params.ns as Namespace, ref: call.params.id ?? '' };
}

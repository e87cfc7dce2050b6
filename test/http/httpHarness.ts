import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

import { MetadataService } from '../../src/service/types';
import { metadataApi } from '../../src/surfaces/http/metadataApi';
import { harness, Harness, HarnessOptions } from '../service/harness';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options' | 'trace' | 'm-search' | 'propfind';

export interface RequestParts {
    as?: string | null;
    params?: Record<string, string>;
    /** as the server hands it over: repeated parameters are arrays, bracketed ones objects */
    query?: Record<string, unknown>;
    content?: unknown;
}

export interface HttpHarness extends Harness {
    api: ReturnType<typeof metadataApi>;
    logged: unknown[][];
    call: (path: string, method: Method, parts?: RequestParts) => Promise<IApiResponse>;
    /** replace the service every endpoint gets */
    useService: (service: MetadataService) => void;
}

/** The endpoints as the engine calls them, over the service harness. */
export function httpHarness(options: HarnessOptions = {}): HttpHarness {
    const h = harness(options);
    const logged: unknown[][] = [];
    let service = h.service;
    const logger = { error: (...args: unknown[]) => { logged.push(args); } } as unknown as ILogger;
    const api = metadataApi({ getLogger: () => logger } as unknown as IApp, () => service);
    const call = async (path: string, method: Method, parts: RequestParts = {}): Promise<IApiResponse> => {
        const endpoint = api.endpoints.find((e) => e.path === path) as IApiEndpoint;
        if (!endpoint) throw new Error(`no endpoint ${path}`);
        const as = parts.as === undefined ? 'alice' : parts.as;
        const user = as === null ? undefined : ({ ...h.caller(as) } as unknown as IUser);
        const request: IApiRequest = {
            method: method.toUpperCase() as IApiRequest['method'],
            headers: {},
            query: (parts.query ?? {}) as Record<string, string>,
            params: parts.params ?? {},
            content: parts.content ?? (method === 'get' || method === 'head' ? {} : undefined),
            user,
        };
        // The engine calls whatever the endpoint has under the lower-cased method name.
        const handler = (endpoint as unknown as Record<string, unknown>)[method] as NonNullable<IApiEndpoint['get']>;
        if (typeof handler !== 'function') throw new Error(`the engine would answer 500: ${path} has no ${method}`);
        return handler.call(endpoint, request, {} as IApiEndpointInfo, h.engine.read as IRead, h.engine.modify as IModify, {} as IHttp, {} as IPersistence);
    };
    return { ...h, api, logged, call, useService: (next) => { service = next; } };
}

export const alice = { ns: 'user', id: 'alice' };
export const me = { ns: 'user', id: 'me' };

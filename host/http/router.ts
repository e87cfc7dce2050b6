// A small HTTP router for the host's REST API (no framework dependency): routes are `METHOD /path/:param`,
// handlers get the parsed query, the raw body (read once, size-limited) and helpers to answer JSON.
import type http from 'node:http';

import type { UserDoc } from '../store/docs';

export class HttpError extends Error {
    constructor(
        readonly status: number,
        readonly body: unknown,
    ) {
        super(typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error) : `HTTP ${status}`);
    }
}

/** Rocket.Chat's API.v1.failure: 400 {success: false, error}. */
export const failure = (error: string, extra: Record<string, unknown> = {}) => new HttpError(400, { success: false, error, ...extra });
/** Rocket.Chat's answer to a REST call without a valid login: API.v1.unauthorized plus the old API's two fields. */
export const unauthorized = () =>
    new HttpError(401, { success: false, error: 'You must be logged in to do this.', status: 'error', message: 'You must be logged in to do this.' });
export const forbidden = () => new HttpError(403, { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' });
export const notFound = (error = 'Not found') => new HttpError(404, { success: false, error });

export interface RequestContext {
    req: http.IncomingMessage;
    res: http.ServerResponse;
    url: URL;
    params: Record<string, string>;
    /** query string; a key given more than once becomes an array */
    query: Record<string, string | string[]>;
    /** the authenticated caller (X-User-Id + X-Auth-Token), if any */
    user?: UserDoc;
    rawBody(limit?: number): Promise<Buffer>;
    /** the body parsed as JSON (an object), {} when empty */
    json(): Promise<Record<string, unknown>>;
}

export type Handler = (ctx: RequestContext) => Promise<unknown>;

interface Route {
    method: string;
    matcher: RegExp;
    keys: string[];
    handler: Handler;
}

export function parseQuery(url: URL): Record<string, string | string[]> {
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of url.searchParams) {
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
            continue;
        }
        const prev = query[key];
        query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    return query;
}

/** Reads the request body, refusing more than `limit` bytes with 413 (as body-parser does). */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let failed = false;
        req.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > limit && !failed) {
                failed = true;
                reject(new HttpError(413, { success: false, error: 'request entity too large' }));
            }
            if (!failed) {
                chunks.push(chunk);
            }
        });
        req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
        req.on('error', reject);
    });
}

export class Router {
    private readonly routes: Route[] = [];

    add(method: string, path: string, handler: Handler): this {
        const keys: string[] = [];
        const pattern = path.replace(/:(\w+)/g, (_, key: string) => {
            keys.push(key);
            return '([^/]+)';
        });
        this.routes.push({ method, matcher: new RegExp(`^${pattern}/?$`), keys, handler });
        return this;
    }

    get(path: string, handler: Handler): this {
        return this.add('GET', path, handler);
    }

    post(path: string, handler: Handler): this {
        return this.add('POST', path, handler);
    }

    delete(path: string, handler: Handler): this {
        return this.add('DELETE', path, handler);
    }

    /** The route for this method and path; `methodMismatch` when the path exists for other methods only. */
    find(method: string, pathname: string): { route?: Route; params: Record<string, string>; methodMismatch: boolean } {
        let methodMismatch = false;
        for (const route of this.routes) {
            const m = route.matcher.exec(pathname);
            if (!m) {
                continue;
            }
            if (route.method !== method) {
                methodMismatch = true;
                continue;
            }
            const params: Record<string, string> = {};
            route.keys.forEach((key, i) => {
                params[key] = decodeURIComponent(m[i + 1]);
            });
            return { route, params, methodMismatch: false };
        }
        return { params: {}, methodMismatch };
    }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
}

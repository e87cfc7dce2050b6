// Outgoing HTTP for apps (`http.get/post/put/del/patch`; `networking` permission, checked by the engine), after
// Rocket.Chat's AppHttpBridge (apps/meteor/app/apps/server/bridges/http.ts) and the server's fetch it uses
// (@rocket.chat/server-fetch over node-fetch 2). The host really sends the request, but only to loopback
// addresses: anything else is refused with an error the app receives (as it receives any bridge error) and a line
// in host.log. What the server does, the host does:
//   - `content` is the body; without it, an object `data` is sent as JSON with `Content-Type: application/json`;
//   - `params` go into the query string when there is a body or the method is GET/HEAD, else into an
//     `application/x-www-form-urlencoded` body (the engine always passes `params`, `{}` at least, so a POST
//     without content or data sends an empty form body); `auth: 'user:pass'` becomes Basic authorization;
//   - `timeout` in ms, default 3 minutes; `encoding: null` answers the raw bytes as `content`;
//   - the answer: `{url, method, statusCode, headers, content, data}`, `data` being the parsed body when the
//     response's Content-Type is JSON (or JavaScript), else null. Any status is an answer, never an error.
// Where the host differs, for the sandbox's sake: redirects are NOT followed (the 3xx is the answer; node-fetch
// follows up to 20), and the timeout covers the whole exchange, body included (the server's covers the time to
// the response headers).
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

import type { IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { HttpBridge, type IHttpBridgeRequestInfo } from '@rocket.chat/apps-engine/server/bridges/HttpBridge';

import type { HostContext } from '../engine/context';
import { isLoopbackHost, LOOPBACK_DESCRIPTION, loopbackLookup } from '../lib/loopback';

/** Rocket.Chat's AppHttpBridge default ("Previously, there was no timeout for HTTP requests"). */
const DEFAULT_TIMEOUT_MS = 3 * 60 * 1000;

/** Content types whose body the server parses into `data`. */
const JSON_TYPES = ['application/json', 'text/javascript', 'application/javascript', 'application/x-javascript'];

/** What node-fetch 2 sends unless the caller set it (so a receiver sees what a server's request looks like). */
const FETCH_DEFAULT_HEADERS: Record<string, string> = {
    Accept: '*/*',
    'User-Agent': 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
    'Accept-Encoding': 'gzip,deflate',
};

interface RawResponse {
    statusCode: number;
    headers: Record<string, string>;
    body: Buffer;
}

const hasHeader = (headers: Record<string, string>, name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase());

function setHeader(headers: Record<string, string>, name: string, value: string): void {
    for (const key of Object.keys(headers)) {
        if (key.toLowerCase() === name.toLowerCase()) {
            delete headers[key];
        }
    }
    headers[name] = value;
}

/** node-fetch's Headers: lower-case names, repeated headers (set-cookie) joined with ", ". */
function flattenHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
        if (value !== undefined) {
            headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
    }
    return headers;
}

function decoded(res: http.IncomingMessage): Readable {
    switch ((res.headers['content-encoding'] ?? '').trim().toLowerCase()) {
        case 'gzip':
        case 'x-gzip':
            return res.pipe(zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
        case 'deflate':
            return res.pipe(zlib.createInflate());
        case 'br':
            return res.pipe(zlib.createBrotliDecompress());
        default:
            return res;
    }
}

/** One request, no redirects followed; rejects with node-fetch's wording on network errors and on the timeout. */
function send(url: URL, method: string, headers: Record<string, string>, body: string | Buffer | undefined, timeoutMs: number, rejectUnauthorized: boolean): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
        const client = url.protocol === 'https:' ? https : http;
        let settled = false;
        const done = (error: Error | undefined, response?: RawResponse) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (error) reject(error);
            else resolve(response as RawResponse);
        };
        const req = client.request(url, { method, headers, lookup: loopbackLookup, rejectUnauthorized, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            const stream = method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304 ? res : decoded(res);
            stream.on('data', (chunk: Buffer) => chunks.push(chunk));
            stream.on('end', () => done(undefined, { statusCode: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks) }));
            stream.on('error', (error) => done(new Error(`Invalid response body while trying to fetch ${url.href}: ${error.message}`)));
            res.on('error', (error) => done(new Error(`Invalid response body while trying to fetch ${url.href}: ${error.message}`)));
        });
        const timer = setTimeout(() => {
            done(new Error(`The user aborted a request. (the app's timeout of ${timeoutMs} ms for ${method} ${url.href} passed)`));
            req.destroy();
        }, timeoutMs);
        req.on('error', (error) => done(new Error(`request to ${url.href} failed, reason: ${error.message}`)));
        req.end(body);
    });
}

export class HostHttpBridge extends HttpBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async call(info: IHttpBridgeRequestInfo): Promise<IHttpResponse> {
        const { request } = info;
        const method = String(info.method).toUpperCase();
        const url = new URL(info.url);
        if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !isLoopbackHost(url.hostname)) {
            const message = `The local Apps-Engine host sends HTTP requests only to ${LOOPBACK_DESCRIPTION}: refused ${method} ${url.href}`;
            this.ctx.log.add('error', 'http', `app ${info.appId}: ${message}`);
            throw new Error(message);
        }

        // Rocket.Chat's "compatibility with the old HTTP.call API", step by step.
        const headers: Record<string, string> = { ...(request.headers ?? {}) };
        let content: unknown = request.content;
        if (!content && typeof request.data === 'object' && request.data !== null) {
            content = request.data;
        }
        if (request.auth) {
            if (request.auth.indexOf(':') < 0) {
                throw new Error('auth option should be of the form "username:password"');
            }
            headers.Authorization = `Basic ${Buffer.from(request.auth, 'ascii').toString('base64')}`;
        }
        const getOrHead = method === 'GET' || method === 'HEAD';
        if (content || getOrHead) {
            for (const [key, value] of Object.entries(request.params ?? {})) {
                if (value) url.searchParams.append(key, String(value));
            }
        } else if (request.params) {
            content = new URLSearchParams(Object.entries(request.params).map(([k, v]): [string, string] => [k, String(v)])).toString();
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
        }
        if (getOrHead) {
            content = undefined;
        }
        // server-fetch: an object body is sent as JSON, and the content type forced to JSON.
        let body: string | Buffer | undefined;
        if (typeof content === 'object' && content !== null && !Buffer.isBuffer(content)) {
            body = JSON.stringify(content);
            setHeader(headers, 'Content-Type', 'application/json');
        } else if (content !== undefined) {
            body = Buffer.isBuffer(content) ? content : String(content);
        }
        for (const [name, value] of Object.entries(FETCH_DEFAULT_HEADERS)) {
            if (!hasHeader(headers, name)) headers[name] = value;
        }
        if (body !== undefined && !hasHeader(headers, 'Content-Length')) {
            headers['Content-Length'] = String(Buffer.byteLength(body));
        }
        // The server allows self-signed certificates when `strictSSL` is false or `rejectUnauthorized` is true
        // (sic: its condition reads so).
        const allowSelfSigned = (Object.prototype.hasOwnProperty.call(request, 'strictSSL') && !request.strictSSL) || (Object.prototype.hasOwnProperty.call(request, 'rejectUnauthorized') && !!request.rejectUnauthorized);

        const response = await send(url, method, headers, body, request.timeout || DEFAULT_TIMEOUT_MS, !allowSelfSigned);
        const result: IHttpResponse = { url: info.url, method: info.method, statusCode: response.statusCode, headers: response.headers };
        if (request.encoding === null) {
            // The server answers the bytes (typed as a string in the engine's definition).
            result.content = response.body as unknown as string;
        } else {
            result.content = response.body.toString((request.encoding ?? 'utf8') as BufferEncoding);
            const type = (response.headers['content-type'] ?? '').split(';')[0];
            result.data = null;
            if (JSON_TYPES.includes(type)) {
                try {
                    result.data = JSON.parse(result.content);
                } catch {
                    result.data = null;
                }
            }
        }
        return result;
    }
}

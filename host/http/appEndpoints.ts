// The apps' own HTTP endpoints, served like Rocket.Chat's AppApisBridge + its express router
// (apps/meteor/app/apps/server/bridges/{api,router}.ts):
//   /api/apps/public/<appId>/<endpoint path>        and   /api/apps/private/<appId>/<hash>/<endpoint path>
// - bodies: express.json() (application/json only, objects/arrays only, 100 kB limit → 413, bad JSON → 400) and
//   express.urlencoded(); anything else leaves `content` = {} (so GET requests arrive with content {});
// - `authRequired` endpoints: X-User-Id + X-Auth-Token must be valid, else 401
//   {status: 'error', message: 'You must be logged in to do this.'}; the user is handed to the app as request.user;
// - the engine's answer {status, headers, content} is sent as express's res.send would (objects as JSON, strings
//   as text/html); an engine error answers 500 with its message.
import type http from 'node:http';

import type { IApiRequest } from '@rocket.chat/apps-engine/definition/api';
import type { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';

import type { Instance } from '../instance';
import { parseQuery, readBody, sendJson } from './router';

const PUBLIC = /^\/api\/apps\/public\/([^/]+)(\/.*)?$/;
const PRIVATE = /^\/api\/apps\/private\/([^/]+)\/([^/]+)(\/.*)?$/;
const JSON_LIMIT = 100 * 1024;

function sendText(res: http.ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    res.end(text);
}

async function parseBody(req: http.IncomingMessage): Promise<unknown> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/json' || type.endsWith('+json')) {
        const raw = (await readBody(req, JSON_LIMIT)).toString('utf8');
        if (raw.trim() === '') {
            return {};
        }
        // express.json is strict: only objects and arrays
        if (!/^\s*[[{]/.test(raw)) {
            throw Object.assign(new Error('Unexpected token in JSON: strict mode accepts objects and arrays only'), { status: 400 });
        }
        try {
            return JSON.parse(raw);
        } catch (error) {
            throw Object.assign(new Error(`Bad JSON body: ${(error as Error).message}`), { status: 400 });
        }
    }
    if (type === 'application/x-www-form-urlencoded') {
        const raw = (await readBody(req, JSON_LIMIT)).toString('utf8');
        return parseQuery(new URL(`http://x/?${raw}`));
    }
    // Not parsed: drain it and hand the app {} like body-parser leaves req.body.
    await readBody(req, 50 * 1024 * 1024).catch(() => undefined);
    return {};
}

/** Serves the request when it is for an app endpoint; returns false when the path is not one. */
export async function serveAppEndpoint(instance: Instance, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const pub = PUBLIC.exec(url.pathname);
    const priv = pub ? null : PRIVATE.exec(url.pathname);
    if (!pub && !priv) {
        return false;
    }
    const appId = (pub ?? priv)![1];
    const privateHash = priv ? priv[2] : undefined;
    const subPath = (pub ? pub[2] : priv![3]) ?? '/';
    const api = instance.engine.bridges.api;
    let match: ReturnType<typeof api.match>;
    try {
        match = api.match(appId, subPath);
    } catch (error) {
        const status = (error as { status?: number }).status;
        if (status !== 400) throw error;
        sendText(res, 400, (error as Error).message);
        return true;
    }
    if (!match) {
        sendText(res, 404, 'Not Found');
        return true;
    }
    const user = instance.ctx.users.authenticate(req.headers['x-user-id'] as string | undefined, req.headers['x-auth-token'] as string | undefined);
    if (match.route.authRequired && !user) {
        sendJson(res, 401, { status: 'error', message: 'You must be logged in to do this.' });
        return true;
    }
    let content: unknown;
    try {
        content = await parseBody(req);
    } catch (error) {
        const status = (error as { status?: number }).status ?? 400;
        sendText(res, status, status === 413 ? 'request entity too large' : (error as Error).message);
        return true;
    }
    const request: IApiRequest = {
        method: (req.method ?? 'GET').toLowerCase() as RequestMethod,
        headers: req.headers as Record<string, string>,
        query: parseQuery(url) as Record<string, string>,
        params: match.params,
        content,
        privateHash,
        user: user ? instance.ctx.convert.userToApp(user) : undefined,
    } as IApiRequest;
    try {
        const result = await instance.engine.manager.getApiManager().executeApi(appId, match.route.path, request);
        const headers = { ...(result.headers ?? {}) } as Record<string, string>;
        const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
        const body = result.content;
        let payload: Buffer | undefined;
        if (body === undefined || body === null) {
            payload = undefined;
        } else if (Buffer.isBuffer(body)) {
            payload = body;
            if (!has('content-type')) headers['content-type'] = 'application/octet-stream';
        } else if (typeof body === 'string') {
            payload = Buffer.from(body);
            if (!has('content-type')) headers['content-type'] = 'text/html; charset=utf-8';
        } else {
            payload = Buffer.from(JSON.stringify(body));
            if (!has('content-type')) headers['content-type'] = 'application/json; charset=utf-8';
        }
        if (payload) headers['content-length'] = String(payload.length);
        res.writeHead(result.status ?? 200, headers);
        res.end(payload);
    } catch (error) {
        instance.ctx.log.add('error', 'api', `${req.method} ${url.pathname}: ${(error as Error)?.stack ?? error}`);
        sendText(res, 500, (error as Error)?.message ?? String(error), 'text/html; charset=utf-8');
    }
    return true;
}

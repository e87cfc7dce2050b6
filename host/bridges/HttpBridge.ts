import type { IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { HttpBridge, type IHttpBridgeRequestInfo } from '@rocket.chat/apps-engine/server/bridges/HttpBridge';

/**
 * Outgoing HTTP for apps (`networking` permission, checked by the engine). Note that this machine reaches only
 * its package registries: anything else fails, as the request would on an offline server.
 */
export class HostHttpBridge extends HttpBridge {
    protected async call(info: IHttpBridgeRequestInfo): Promise<IHttpResponse> {
        const { request } = info;
        const url = new URL(info.url);
        for (const [key, value] of Object.entries(request.params ?? {})) {
            url.searchParams.set(key, String(value));
        }
        const body = request.content ?? (request.data !== undefined ? JSON.stringify(request.data) : undefined);
        const headers: Record<string, string> = { ...(request.headers ?? {}) };
        if (request.data !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
            headers['content-type'] = 'application/json';
        }
        const response = await fetch(url, { method: info.method.toUpperCase(), headers, body, signal: AbortSignal.timeout(request.timeout ?? 30_000) });
        const content = await response.text();
        let data: unknown;
        try {
            data = JSON.parse(content);
        } catch {
            data = undefined;
        }
        return {
            url: url.toString(),
            method: info.method,
            statusCode: response.status,
            headers: Object.fromEntries(response.headers.entries()),
            content,
            data,
        };
    }
}

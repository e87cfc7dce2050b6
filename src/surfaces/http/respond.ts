import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { isMetadataError } from '../../core/errors';
import { Log } from '../../service/ports';
import { errorText } from '../../service/runEffects';
import { Caller } from '../../service/types';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The codes this surface answers with besides the service's (core/errors.ts ERROR_STATUS), by code. */
export const SURFACE_ERROR_STATUS = {
    unauthorized: 401,
    method_not_allowed: 405,
    internal_error: 500,
} as const;

/**
 * Runs one request and answers JSON. A MetadataError answers with its code's status; anything else
 * is a bug of ours, answered 500 with a generic message (details go to the log, never to the client).
 */
export async function respond(log: Log, run: () => Promise<object>): Promise<IApiResponse> {
    return respondWith(log, async () => ({ status: HttpStatusCode.OK, headers: JSON_HEADERS, content: await run() }));
}

/** As `respond`, for an operation that builds its own success (a body that is not JSON); errors are answered alike. */
export async function respondWith(log: Log, run: () => Promise<IApiResponse>): Promise<IApiResponse> {
    try {
        return await run();
    } catch (error) {
        if (isMetadataError(error)) {
            const retryAfter = error.details.retryAfter;
            const headers = typeof retryAfter === 'number' ? { ...JSON_HEADERS, 'retry-after': String(retryAfter) } : JSON_HEADERS;
            return { status: error.status, headers, content: { error: error.toJSON() } };
        }
        log.error('metadata: the HTTP request failed unexpectedly', errorText(error));
        return surfaceError('internal_error', 'The app failed to handle this request. Try again; if it keeps failing, tell your admin.');
    }
}

/** `allow`: the `Allow` header, e.g. "GET, HEAD, OPTIONS". */
export function methodNotAllowed(allow: string): IApiResponse {
    return surfaceError('method_not_allowed', `Use ${allow} on this endpoint.`, { allow });
}

/** The server authenticated the request (authRequired) and put the user on it. */
export function callerOf(request: IApiRequest): Caller | undefined {
    const user = request.user;
    if (!user || typeof user.id !== 'string' || user.id === '') return undefined;
    return { id: user.id, username: user.username, roles: Array.isArray(user.roles) ? user.roles : [] };
}

export function unauthorized(): IApiResponse {
    return surfaceError('unauthorized', 'Log in: send the X-User-Id and X-Auth-Token headers.');
}

function surfaceError(code: keyof typeof SURFACE_ERROR_STATUS, message: string, headers: Record<string, string> = {}): IApiResponse {
    return { status: SURFACE_ERROR_STATUS[code], headers: { ...JSON_HEADERS, ...headers }, content: { error: { code, message } } };
}

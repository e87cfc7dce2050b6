import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { isMetadataError } from '../../core/errors';
import { Log } from '../../service/ports';
import { errorText } from '../../service/runEffects';
import { Caller } from '../../service/types';

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Runs one request and answers JSON. A MetadataError answers with its code's status; anything else
 * is a bug of ours, answered 500 with a generic message (details go to the log, never to the client).
 */
export async function respond(log: Log, run: () => Promise<object>): Promise<IApiResponse> {
    try {
        return { status: HttpStatusCode.OK, headers: JSON_HEADERS, content: await run() };
    } catch (error) {
        if (isMetadataError(error)) {
            const retryAfter = error.details.retryAfter;
            const headers = typeof retryAfter === 'number' ? { ...JSON_HEADERS, 'retry-after': String(retryAfter) } : JSON_HEADERS;
            return { status: error.status, headers, content: { error: error.toJSON() } };
        }
        log.error('metadata: the HTTP request failed unexpectedly', errorText(error));
        return {
            status: HttpStatusCode.INTERNAL_SERVER_ERROR,
            headers: JSON_HEADERS,
            content: { error: { code: 'internal_error', message: 'The app failed to handle this request. Try again; if it keeps failing, tell your admin.' } },
        };
    }
}

/** `allow`: the `Allow` header, e.g. "GET, HEAD, OPTIONS". */
export function methodNotAllowed(allow: string): IApiResponse {
    return {
        status: HttpStatusCode.METHOD_NOT_ALLOWED,
        headers: { ...JSON_HEADERS, allow },
        content: { error: { code: 'method_not_allowed', message: `Use ${allow} on this endpoint.` } },
    };
}

/** The server authenticated the request (authRequired) and put the user on it. */
export function callerOf(request: IApiRequest): Caller | undefined {
    const user = request.user;
    if (!user || typeof user.id !== 'string' || user.id === '') return undefined;
    return { id: user.id, username: user.username, roles: Array.isArray(user.roles) ? user.roles : [] };
}

export function unauthorized(): IApiResponse {
    return {
        status: HttpStatusCode.UNAUTHORIZED,
        headers: JSON_HEADERS,
        content: { error: { code: 'unauthorized', message: 'Log in: send the X-User-Id and X-Auth-Token headers.' } },
    };
}

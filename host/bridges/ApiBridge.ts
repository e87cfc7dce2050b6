import type { IApi, IApiEndpoint } from '@rocket.chat/apps-engine/definition/api';
import { ApiBridge } from '@rocket.chat/apps-engine/server/bridges/ApiBridge';
import type { AppApi } from '@rocket.chat/apps-engine/server/managers/AppApi';

export interface AppRoute {
    appId: string;
    /** the endpoint's path as the app declared it, e.g. `metadata/:ns/:id` (what executeApi expects) */
    path: string;
    authRequired: boolean;
    matcher: RegExp;
    keys: string[];
}

/**
 * Compiles an Express 4 route path (`/metadata/:ns/:id`, `:opt?`, `*`) the way Express matches it by default:
 * case-insensitive, an optional trailing slash, a `:param` is one non-empty path segment.
 */
export function compileRoute(routePath: string): { matcher: RegExp; keys: string[] } {
    const keys: string[] = [];
    let pattern = '';
    for (const part of routePath.split('/').filter(Boolean)) {
        const param = /^:(\w+)(\?)?$/.exec(part);
        if (param) {
            keys.push(param[1]);
            pattern += param[2] ? '(?:/([^/]+?))?' : '/([^/]+?)';
        } else if (part === '*') {
            keys.push(String(keys.length));
            pattern += '/(.*)';
        } else {
            pattern += `/${part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')}`;
        }
    }
    return { matcher: new RegExp(`^${pattern || ''}/?$`, 'i'), keys };
}

/**
 * The app endpoint router of Rocket.Chat's AppApisBridge (apps/meteor/app/apps/server/bridges/api.ts): one router
 * per app under `/api/apps/public/<appId>/` (and `/api/apps/private/<appId>/<hash>/`), each endpoint routed for
 * ALL methods to the engine, behind the authentication middleware when the endpoint has `authRequired`.
 * host/http/appEndpoints.ts serves the requests.
 */
/**
 * A path parameter as Express decodes it: a malformed percent-encoding (`%ZZ`) is a 400 "Failed to decode param"
 * before the app is called (Express's Layer decode_param), not a failure of the server.
 */
function decodeParam(value: string): string {
    try {
        return decodeURIComponent(value);
    } catch (error) {
        if (error instanceof URIError) throw Object.assign(new URIError(`Failed to decode param '${value}'`), { status: 400 });
        throw error;
    }
}

export class HostApiBridge extends ApiBridge {
    private readonly routers = new Map<string, AppRoute[]>();

    protected async registerApi({ api, endpoint }: AppApi, appId: string): Promise<void> {
        this.verify(api, endpoint);
        const routePath = endpoint.path.trim().startsWith('/') ? endpoint.path.trim() : `/${endpoint.path.trim()}`;
        const routes = this.routers.get(appId) ?? [];
        routes.push({ appId, path: endpoint.path, authRequired: Boolean(endpoint.authRequired), ...compileRoute(routePath) });
        this.routers.set(appId, routes);
    }

    protected async unregisterApis(appId: string): Promise<void> {
        this.routers.delete(appId);
    }

    /** The first route of the app that matches (Express order: registration order), with its params. */
    match(appId: string, subPath: string): { route: AppRoute; params: Record<string, string> } | undefined {
        for (const route of this.routers.get(appId) ?? []) {
            const m = route.matcher.exec(subPath);
            if (m) {
                const params: Record<string, string> = {};
                route.keys.forEach((key, i) => {
                    if (m[i + 1] !== undefined) {
                        params[key] = decodeParam(m[i + 1]);
                    }
                });
                return { route, params };
            }
        }
        return undefined;
    }

    hasRouter(appId: string): boolean {
        return this.routers.has(appId);
    }

    routes(appId: string): AppRoute[] {
        return this.routers.get(appId) ?? [];
    }

    private verify(api: IApi, endpoint: IApiEndpoint): void {
        if (typeof api !== 'object' || typeof endpoint.path !== 'string') {
            throw new Error('Invalid Api parameter provided, it must be a valid IApi object.');
        }
    }
}

// Rocket.Chat's apps administration REST API (apps/meteor/ee/server/apps/communication/rest.ts), the part the host
// needs: list, install (multipart field `app`), update, uninstall, enable/disable, settings, logs, endpoints.
// Admin only. Plus one host extension: restarting an app's Deno runtime.
import type { IPermission } from '@rocket.chat/apps-engine/definition/permissions/IPermission';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { AppOperationError } from '../engine/AppsHost';
import type { Instance } from '../instance';
import { requireAdmin } from './rest';
import { failure, HttpError, notFound, Router, type RequestContext } from './router';

const ZIP_LIMIT = 100 * 1024 * 1024;

/**
 * The uploaded package: multipart/form-data field `app` (what the admin UI and `rc-apps deploy` send). Anything
 * unreadable is the server's 400 `{success: false, error}`; `permissions` that do not parse are ignored, as there.
 */
async function uploadedZip(rc: RequestContext): Promise<{ zip: Buffer; permissions?: IPermission[] }> {
    const type = rc.req.headers['content-type'] ?? '';
    const noFile = () => failure('app_file_error', { message: 'Failed to get a file to install for the App. ' });
    if (!type.startsWith('multipart/form-data')) {
        throw noFile();
    }
    let form: FormData;
    try {
        form = await new Response(await rc.rawBody(ZIP_LIMIT), { headers: { 'content-type': type } }).formData();
    } catch (error) {
        if (error instanceof HttpError) throw error;
        throw noFile();
    }
    const file = form.get('app');
    if (!file || typeof file === 'string') {
        throw noFile();
    }
    const permissions = form.get('permissions');
    return {
        zip: Buffer.from(await file.arrayBuffer()),
        permissions: (() => {
            try {
                const parsed = typeof permissions === 'string' ? JSON.parse(permissions) : undefined;
                return Array.isArray(parsed) && parsed.length ? (parsed as IPermission[]) : undefined;
            } catch {
                return undefined;
            }
        })(),
    };
}

/** The package's app.json, or the server's 400 when the upload is not an app package (not a zip, no app.json …). */
async function packageId(engine: Instance['engine'], zip: Buffer): Promise<string> {
    try {
        const { info } = await engine.manager.getParser().unpackageApp(zip);
        return info.id;
    } catch (error) {
        throw failure((error as Error)?.message ?? String(error));
    }
}

function operationFailed(error: unknown): HttpError {
    if (error instanceof AppOperationError) {
        return failure(error.message, { app: error.details.app, reasons: error.details.reasons });
    }
    return failure((error as Error)?.message ?? String(error));
}

export function appsAdminRoutes(instance: Instance): Router {
    const { ctx, engine } = instance;
    const router = new Router();
    const actor = (rc: RequestContext) => ctx.convert.userToApp(requireAdmin(rc)) as IUser;
    const app = async (id: string) => {
        const summary = await engine.summary(id);
        if (!summary) {
            throw notFound(`No App found by the id of: ${id}`);
        }
        return summary;
    };

    router.get('/api/apps', async (rc) => {
        requireAdmin(rc);
        return { apps: await engine.list(), success: true };
    });

    router.post('/api/apps', async (rc) => {
        const user = actor(rc);
        const { zip, permissions } = await uploadedZip(rc);
        await packageId(engine, zip);
        try {
            return { app: await engine.install(zip, user, permissions), success: true };
        } catch (error) {
            throw operationFailed(error);
        }
    });

    router.get('/api/apps/:id', async (rc) => {
        requireAdmin(rc);
        return { app: await app(rc.params.id), success: true };
    });

    router.post('/api/apps/:id', async (rc) => {
        const user = actor(rc);
        await app(rc.params.id);
        const { zip, permissions } = await uploadedZip(rc);
        const id = await packageId(engine, zip);
        if (id !== rc.params.id) {
            throw failure(`The uploaded package is app ${id}, not ${rc.params.id}.`);
        }
        try {
            return { app: await engine.update(zip, user, permissions), success: true };
        } catch (error) {
            throw operationFailed(error);
        }
    });

    router.delete('/api/apps/:id', async (rc) => {
        const user = actor(rc);
        const summary = await app(rc.params.id);
        await engine.uninstall(rc.params.id, user);
        return { app: summary, success: true };
    });

    router.post('/api/apps/:id/status', async (rc) => {
        requireAdmin(rc);
        const body = await rc.json();
        if (body.status !== 'manually_enabled' && body.status !== 'manually_disabled') {
            throw failure('Invalid status provided, must be "manually_enabled" or "manually_disabled".');
        }
        try {
            const summary = await engine.setEnabled(rc.params.id, body.status === 'manually_enabled');
            return { status: summary.status, app: summary, success: true };
        } catch (error) {
            throw operationFailed(error);
        }
    });

    router.get('/api/apps/:id/settings', async (rc) => {
        requireAdmin(rc);
        await app(rc.params.id);
        return { settings: engine.manager.getSettingsManager().getAppSettings(rc.params.id), success: true };
    });

    // {settings: [{id, value}, …]}: changed ones are stored, the app's onSettingUpdated runs, other instances follow.
    router.post('/api/apps/:id/settings', async (rc) => {
        requireAdmin(rc);
        await app(rc.params.id);
        const body = await rc.json();
        if (!Array.isArray(body.settings)) {
            throw failure('The settings to update must be an array.');
        }
        const settings = engine.manager.getSettingsManager();
        const updated: ISetting[] = [];
        for (const change of body.settings as Array<Partial<ISetting>>) {
            if (typeof change?.id !== 'string') {
                throw failure('Each setting needs an id.');
            }
            let current: ISetting;
            try {
                current = settings.getAppSetting(rc.params.id, change.id);
            } catch (error) {
                throw failure((error as Error).message);
            }
            if (JSON.stringify(current.value) === JSON.stringify(change.value)) {
                continue;
            }
            const next = { ...current, value: change.value } as ISetting;
            await settings.updateAppSetting(rc.params.id, next);
            updated.push(next);
        }
        return { updated, success: true };
    });

    router.get('/api/apps/:id/apis', async (rc) => {
        requireAdmin(rc);
        await app(rc.params.id);
        return { apis: engine.manager.getApiManager().listApis(rc.params.id), success: true };
    });

    // App log entries (every call into the app with what it logged), oldest first; `since` = entries to skip.
    router.get('/api/apps/:id/logs', async (rc) => {
        requireAdmin(rc);
        const logs = engine.logs.list(rc.params.id);
        const since = Number(rc.query.since ?? 0) || 0;
        return { logs: logs.slice(since), total: logs.length, success: true };
    });

    // Host extension: kill and respawn the app's Deno process (what the engine does when it dies). Only this instance.
    router.post('/api/apps/:id/runtime/restart', async (rc) => {
        requireAdmin(rc);
        await app(rc.params.id);
        return { app: await engine.restartRuntime(rc.params.id), success: true };
    });

    return router;
}

// Rocket.Chat's UIKit REST routes, as the server serves them for apps:
//   GET  /api/apps/actionButtons            (apps/meteor/ee/server/apps/communication/rest.ts, `actionButtons`)
//   POST /api/apps/ui.interaction/:appId    (apps/meteor/app/apps/server/communication/uikit.ts, AppUIKitInteractionApi)
// The interaction route builds the same action object the server builds for each `type` (actionButton, blockAction,
// viewSubmit, viewClosed) and hands it to the engine's listener manager (what `orch.triggerEvent(
// 'IUIKitInteractionHandler', action)` does); the app's answer is sent back as it is. Views an app opens through its
// UI controller (`modify.getUiController()`) do not travel in the answer: the UI interaction bridge pushes them to the
// user (host/bridges/UiInteractionBridge.ts records them as notifications of kind `uiInteraction`).
import type http from 'node:http';

import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';

import type { Instance } from '../instance';
import { HttpError, Router, type RequestContext } from './router';

/** The server answers `res.send(result)`: an object as JSON, nothing as an empty 200. */
function send(res: http.ServerResponse, result: unknown): void {
    if (result === undefined || result === null) {
        res.writeHead(200, { 'content-length': 0 });
        res.end();
        return;
    }
    const text = JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
}

function record(value: unknown): Record<string, unknown> {
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
    return typeof value === 'string' ? value : undefined;
}

export function uiInteractionRoutes(instance: Instance): Router {
    const { ctx, engine } = instance;
    const router = new Router();

    // `authRequired: false` on the server; API.v1.success(array) answers the bare array.
    router.get('/api/apps/actionButtons', async (rc) => {
        send(rc.res, await engine.manager.getUIActionButtonManager().getAllActionButtons());
    });

    router.post('/api/apps/ui.interaction/:appId', async (rc: RequestContext) => {
        if (!rc.user) {
            throw new HttpError(401, { status: 'error', message: 'You must be logged in to do this.' });
        }
        const { appId } = rc.params;
        const body = await rc.json();
        const user = ctx.convert.userToApp(rc.user);
        const payload = record(body.payload);
        let action: Record<string, unknown>;
        switch (body.type) {
            case 'blockAction': {
                const mid = text(body.mid);
                action = {
                    type: body.type,
                    container: body.container,
                    appId,
                    actionId: body.actionId,
                    message: mid ? ctx.convert.messageToApp(ctx.messages.findById(mid)) : undefined,
                    triggerId: body.triggerId,
                    payload: body.payload,
                    user,
                    visitor: undefined,
                    room: ctx.convert.roomById(text(body.rid)),
                };
                break;
            }
            case 'viewClosed':
                // no actionId, no triggerId, no room: the server passes only these
                action = { type: body.type, appId, user, payload: { view: payload.view, isCleared: payload.isCleared } };
                break;
            case 'viewSubmit':
                // no room: a view submit reaches the app without one
                action = { type: body.type, appId, actionId: body.actionId, triggerId: body.triggerId, payload: body.payload, user };
                break;
            case 'actionButton': {
                const mid = text(body.mid);
                action = {
                    type: body.type,
                    appId,
                    actionId: body.actionId,
                    triggerId: body.triggerId,
                    user,
                    room: ctx.convert.roomById(text(body.rid)),
                    message: mid ? ctx.convert.messageToApp(ctx.messages.findById(mid)) : undefined,
                    tmid: body.tmid,
                    payload: { context: payload.context, ...(payload.message ? { message: payload.message } : {}) },
                };
                break;
            }
            default:
                throw new HttpError(400, { error: 'Unknown action' });
        }
        let result: unknown;
        try {
            result = await ctx.manager.getListenerManager().executeListener(AppInterface.IUIKitInteractionHandler as never, action as never);
        } catch (error) {
            ctx.log.add('error', 'uikit', `${String(body.type)} ${String(body.actionId ?? '')} for app ${appId}: ${(error as Error)?.stack ?? error}`);
            throw new HttpError(500, { error: error instanceof Error ? error.message : error });
        }
        send(rc.res, result);
    });

    return router;
}

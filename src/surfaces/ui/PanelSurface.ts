import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit/IUIKitInteractionType';
import {
    UIKitActionButtonInteractionContext, UIKitBlockInteractionContext, UIKitInteractionContext, UIKitViewCloseInteractionContext,
    UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit/UIKitInteractionContext';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { randomUUID } from 'crypto';
import { translator } from '../../i18n/catalog';
import { ServiceFactory } from '../../service/types';
import { Chat } from '../../service/ports';
import { actionButton, blockAction, panel, PanelDeps, Reply, viewSubmit } from './interactions';

type Services = ServiceFactory<IRead, IModify, IPersistence, ILogger, IHttp>;

/**
 * The panel on the engine (SPEC §17): the app's UIKit handlers and `/meta` without arguments land here. It builds the
 * service for the call, runs the interaction (interactions.ts) and hands the view back the way the engine of
 * `^1.35.0` can: in the interaction's answer (the responder), or, where there is no answer to give (a slash command,
 * the bar behind a modal that closes), through the UI controller, which the server pushes to the user.
 */
export class PanelSurface {
    /** `app` as an own property: the engine hands each call a proxy whose getLogger() is that call's logger. */
    constructor(
        private readonly app: IApp,
        private readonly services: Services,
        /** the chat port over one call's accessors, to tell a clicker alone why a click was refused */
        private readonly chat: (read: IRead, modify: IModify) => Pick<Chat, 'notify'>,
    ) {}

    public async actionButton(context: UIKitActionButtonInteractionContext, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        const data = context.getInteractionData();
        return this.run(context, data.user, data.triggerId, read, http, persis, modify, (deps) => actionButton(deps, {
            actionId: data.actionId,
            roomId: data.room?.id,
            ...(data.message ? { message: { id: data.message.id, senderId: data.message.sender?.id, roomId: data.message.room?.id } } : {}),
        }));
    }

    public async blockAction(context: UIKitBlockInteractionContext, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        const data = context.getInteractionData();
        const message = data.message?.id ? { id: data.message.id, roomId: data.message.room?.id ?? data.room?.id } : undefined;
        return this.run(context, data.user, data.triggerId, read, http, persis, modify, (deps) => blockAction(deps, { actionId: data.actionId, value: data.value, ...(message ? { message } : {}) }));
    }

    public async viewSubmit(context: UIKitViewSubmitInteractionContext, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        const data = context.getInteractionData();
        return this.run(context, data.user, data.triggerId, read, http, persis, modify, (deps) => viewSubmit(deps, data.view ?? {}));
    }

    /** Nothing is kept per view, so there is nothing to forget. */
    public async viewClosed(context: UIKitViewCloseInteractionContext): Promise<IUIKitResponse> {
        return context.getInteractionResponder().successResponse();
    }

    /** `/meta` without arguments: the bar of the room the command ran in. */
    public async openFromCommand(sender: IUser, room: IRoom, triggerId: string | undefined, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<void> {
        const deps = this.deps(sender, read, modify, persis, http);
        const view = await panel(deps, { namespace: 'room', id: room.id, roomId: room.id });
        await modify.getUiController().openContextualBarView(view, { triggerId: triggerId ?? randomUUID() }, sender);
    }

    private deps(user: IUser, read: IRead, modify: IModify, persis: IPersistence, http: IHttp): PanelDeps {
        return {
            appId: this.app.getID(),
            service: this.services(read, modify, persis, this.app.getLogger(), http),
            caller: { id: user.id, username: user.username, roles: user.roles ?? [] },
            tr: translator(user.settings?.preferences?.language),
            userNames: (ids) => userNames(read, ids),
            log: (message, error) => this.app.getLogger().error(message, error),
        };
    }

    private async run(
        context: UIKitInteractionContext,
        user: IUser,
        triggerId: string | undefined,
        read: IRead,
        http: IHttp,
        persis: IPersistence,
        modify: IModify,
        interaction: (deps: PanelDeps) => Promise<Reply>,
    ): Promise<IUIKitResponse> {
        const responder = context.getInteractionResponder();
        const logger = this.app.getLogger();
        try {
            const reply = await interaction(this.deps(user, read, modify, persis, http));
            switch (reply.kind) {
                case 'openBar':
                    return responder.openContextualBarViewResponse(reply.view);
                case 'updateBar':
                    return responder.updateContextualBarViewResponse(reply.view);
                case 'openModal':
                    return responder.openModalViewResponse(reply.view);
                case 'updateModal':
                    return responder.updateModalViewResponse(reply.view);
                case 'errors':
                    return responder.viewErrorResponse({ viewId: reply.viewId, errors: reply.errors });
                case 'tell':
                    await this.chat(read, modify).notify(user.id, reply.roomId, () => reply.text)
                        .catch((error: unknown) => logger.error('panel: could not tell a refusal', error instanceof Error ? error.message : String(error)));
                    return responder.successResponse();
                case 'close':
                    if (reply.bar) {
                        // the modal's answer closes it; the bar behind it is refreshed through the controller
                        await modify.getUiController().updateContextualBarView(reply.bar, { triggerId: triggerId ?? randomUUID() }, user)
                            .catch((error: unknown) => logger.error('panel: could not refresh the bar', error instanceof Error ? error.message : String(error)));
                    }
                    return responder.successResponse();
                default:
                    return responder.successResponse();
            }
        } catch (error) {
            logger.error('panel: interaction failed', error instanceof Error ? error.stack ?? error.message : String(error));
            return responder.errorResponse();
        }
    }
}

/** Usernames by id, best effort: a name is decoration, the panel falls back to the id. */
async function userNames(read: IRead, ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    await Promise.all([...new Set(ids)].map(async (id) => {
        const user = await read.getUserReader().getById(id).catch(() => undefined);
        if (user?.username) names.set(id, user.username);
    }));
    return names;
}

import { IUIKitContextualBarViewParam, IUIKitModalViewParam } from '@rocket.chat/apps-engine/definition/uikit/UIKitInteractionResponder';
import { isMetadataError, MetadataError } from '../../core/errors';
import { JsonValue } from '../../core/json';
import { Item, StateType, STATE_TYPES } from '../../core/types';
import { Translate } from '../../i18n/catalog';
import { Caller, MetadataService, MetadataView, PanelView, SubjectTarget } from '../../service/types';
import { formatError } from '../command/formatError';
import { plain, section } from './blocks';
import {
    ACTION, CHOICE_ACTION, INPUT, ModalContext, OPEN, PanelContext, panelViewId, parseItemValue, parseModalViewId, parseStateOpValue,
} from './ids';
import { casRevisionOf, Draft, draftOf, modal, visibilityOf } from './modals';
import { MAX_ITEMS, MAX_NAMED_USERS, MAX_STATE_VALUES, panelBar } from './panelView';
import { inlineValue, when, who } from './valueText';

/*
 * The panel's interactions (SPEC §17), free of the engine: parse what the client sent, call the one service (the same
 * calls as HTTP and /meta), and answer with the view to show. The service decides everything; a refused action comes
 * back as its error, shown to the caller. PanelSurface.ts turns a Reply into the engine's responder or UI controller.
 */

export interface PanelDeps {
    appId: string;
    service: MetadataService;
    caller: Caller;
    tr: Translate;
    /** usernames by user id, best effort (a name is decoration) */
    userNames(ids: readonly string[]): Promise<Map<string, string>>;
    /** where an error that is not the service's answer (a bug) is logged; the caller sees an apology */
    log?(message: string, error: unknown): void;
}

/** The caller's text for a failure; anything but the service's own answer is a bug, and logged. */
function reasonFor(deps: PanelDeps, error: unknown): string {
    if (!isMetadataError(error)) deps.log?.('panel: unexpected error', error instanceof Error ? error.stack ?? error.message : String(error));
    return formatError(error, deps.tr);
}

export type Reply =
    | { kind: 'openBar'; view: IUIKitContextualBarViewParam }
    | { kind: 'updateBar'; view: IUIKitContextualBarViewParam }
    | { kind: 'openModal'; view: IUIKitModalViewParam }
    | { kind: 'updateModal'; view: IUIKitModalViewParam }
    /** the submitted modal stays open, with these messages at its inputs */
    | { kind: 'errors'; viewId: string; errors: Record<string, string> }
    /** a line only the caller sees, in the room (a refused click on a message's choice) */
    | { kind: 'tell'; roomId: string; text: string }
    /** the modal closes; the bar it came from shows the subject anew */
    | { kind: 'close'; bar?: IUIKitContextualBarViewParam }
    | { kind: 'none' };

export function targetOf(context: PanelContext): SubjectTarget {
    return { namespace: context.namespace, ref: context.id };
}

function label(context: PanelContext, view?: MetadataView): string {
    const name = view?.subject.name;
    if (context.namespace === 'message') return name ? `#${name} › ${context.id}` : `message:${context.id}`;
    const sigil = context.namespace === 'user' ? '@' : '#';
    return name && name !== context.id ? `${sigil}${name}` : `${context.namespace}:${context.id}`;
}

/** The users the bar names: who changed the items it lists, and the first holders of the state values it lists. */
function usersIn(view: MetadataView, locks: PanelView['locks']): string[] {
    const ids = new Set<string>(view.items.slice(0, MAX_ITEMS).map((item) => item.updatedBy));
    for (const entry of Object.values(view.state)) {
        for (const value of entry.summary.slice(0, MAX_STATE_VALUES)) value.users.slice(0, MAX_NAMED_USERS).forEach((id) => ids.add(id));
    }
    for (const lock of locks) ids.add(lock.holder);
    return [...ids];
}

/** The bar of a subject as the caller may read it; refused, a bar that says why and shows nothing else. */
export async function panel(deps: PanelDeps, context: PanelContext, notice?: string): Promise<IUIKitContextualBarViewParam> {
    try {
        const answer = await deps.service.panel(deps.caller, targetOf(context));
        const names = await deps.userNames(usersIn(answer.view, answer.locks));
        return panelBar({
            appId: deps.appId,
            panel: answer,
            context,
            callerId: deps.caller.id,
            tr: deps.tr,
            names,
            subjectLabel: label(context, answer.view),
            locks: answer.locks,
            ...(notice ? { notice } : {}),
        });
    } catch (error) {
        return {
            id: panelViewId(context),
            title: plain(deps.tr('Meta_Panel_Title')),
            blocks: [section(deps.tr('Meta_Panel_Error', { reason: reasonFor(deps, error) }))],
        };
    }
}

/** What an action button names: the room, the caller, or a message's sender. */
export interface ButtonInput {
    actionId: string;
    roomId?: string;
    /** the message, its sender and room (message actions) */
    message?: { id?: string; senderId?: string; roomId?: string };
}

export async function actionButton(deps: PanelDeps, input: ButtonInput): Promise<Reply> {
    let context: PanelContext | undefined;
    if (input.actionId === OPEN.room && input.roomId) context = { namespace: 'room', id: input.roomId, roomId: input.roomId };
    if (input.actionId === OPEN.user) context = { namespace: 'user', id: deps.caller.id, ...(input.roomId ? { roomId: input.roomId } : {}) };
    if (input.actionId === OPEN.sender && input.message?.senderId) {
        const roomId = input.message.roomId ?? input.roomId;
        context = { namespace: 'user', id: input.message.senderId, ...(roomId ? { roomId } : {}) };
    }
    if (input.actionId === OPEN.message && input.message?.id) {
        const roomId = input.message.roomId ?? input.roomId;
        context = { namespace: 'message', id: input.message.id, ...(roomId ? { roomId } : {}) };
    }
    if (!context) return { kind: 'none' };
    return { kind: 'openBar', view: await panel(deps, context) };
}

/** The item as it stands now (exactly that key), or undefined when the caller cannot see one. */
async function currentItem(deps: PanelDeps, context: PanelContext, key: string): Promise<Item | undefined> {
    const view = await deps.service.get(deps.caller, targetOf(context), [key]);
    return view.items.find((item) => item.key === key);
}

async function modalFor(
    deps: PanelDeps,
    context: ModalContext,
    extra: { item?: Item; draft?: Draft; notice?: string; update?: { viewId: string; revision?: number } } = {},
): Promise<IUIKitModalViewParam> {
    return modal({ appId: deps.appId, context, tr: deps.tr, subjectLabel: label(context), ...extra });
}

/** A click in the app's blocks: on a message (`message`: its id and room) or in the panel. */
export async function blockAction(deps: PanelDeps, input: { actionId: string; value?: string; message?: { id: string; roomId?: string } }): Promise<Reply> {
    const action = input.actionId.split('#')[0];
    if (action === CHOICE_ACTION) return pick(deps, input.message, input.value);
    if (action === ACTION.stateOp) {
        const request = parseStateOpValue(input.value);
        if (!request) return { kind: 'none' };
        const { key, op, value } = request;
        return barAfter(deps, request, () => deps.service.state(deps.caller, targetOf(request), { key, op, value }));
    }
    const parsed = parseItemValue(input.value);
    if (!parsed) return { kind: 'none' };
    const { context, key } = parsed;
    switch (action) {
        case ACTION.refresh:
            return { kind: 'updateBar', view: await panel(deps, context) };
        case ACTION.subscribe:
            return barAfter(deps, context, () => deps.service.subscribe(deps.caller, targetOf(context), context.roomId));
        case ACTION.unsubscribe:
            return barAfter(deps, context, () => deps.service.unsubscribe(deps.caller, targetOf(context)));
        case ACTION.addItem:
            return { kind: 'openModal', view: await modalFor(deps, { ...context, kind: 'add' }) };
        case ACTION.addStateValue:
            return { kind: 'openModal', view: await modalFor(deps, { ...context, kind: 'state', ...(key ? { key } : {}) }) };
        case ACTION.edit:
        case ACTION.remove: {
            if (!key) return { kind: 'none' };
            let item: Item | undefined;
            try {
                item = await currentItem(deps, context, key);
            } catch (error) {
                return { kind: 'updateBar', view: await panel(deps, context, reasonFor(deps, error)) };
            }
            if (!item) return { kind: 'updateBar', view: await panel(deps, context, deps.tr('Meta_Panel_Item_Gone', { key })) };
            const kind = action === ACTION.edit ? 'edit' : 'remove';
            // the compare-and-set of the submit is on the revision shown in the modal
            return { kind: 'openModal', view: await modalFor(deps, { ...context, kind, key, revision: item.revision }, { item }) };
        }
        default:
            return { kind: 'none' };
    }
}

/** A click on a message's choice: the summary on the message is the answer; a refusal is told to the clicker alone. */
async function pick(deps: PanelDeps, message: { id: string; roomId?: string } | undefined, choice: string | undefined): Promise<Reply> {
    if (!message || typeof choice !== 'string') return { kind: 'none' };
    try {
        await deps.service.pick(deps.caller, { namespace: 'message', ref: message.id }, choice);
        return { kind: 'none' };
    } catch (error) {
        const text = reasonFor(deps, error);
        return message.roomId ? { kind: 'tell', roomId: message.roomId, text } : { kind: 'none' };
    }
}

/** Runs one service call, then shows the bar anew: with the call's error on top when it was refused. */
async function barAfter(deps: PanelDeps, context: PanelContext, call: () => Promise<unknown>): Promise<Reply> {
    let notice: string | undefined;
    try {
        await call();
    } catch (error) {
        notice = reasonFor(deps, error);
    }
    return { kind: 'updateBar', view: await panel(deps, context, notice) };
}

/** A typed value: text as it is, JSON parsed; a message for the value input when it does not read. */
export function readTyped(draft: Draft, tr: Translate): { value: JsonValue } | { error: string } {
    const text = draft.value ?? '';
    if (draft.format !== 'json') return text === '' ? { error: tr('Meta_Modal_Required') } : { value: text };
    try {
        const value = JSON.parse(text) as JsonValue;
        return value === null ? { error: tr('Meta_Modal_Bad_Json', { reason: 'null' }) } : { value };
    } catch (error) {
        return { error: tr('Meta_Modal_Bad_Json', { reason: error instanceof Error ? error.message : String(error) }) };
    }
}

export async function viewSubmit(deps: PanelDeps, view: { id?: unknown; state?: unknown; blocks?: unknown }): Promise<Reply> {
    const context = parseModalViewId(view.id);
    if (!context) return { kind: 'none' };
    const viewId = String(view.id);
    const draft = draftOf(view.state, view.blocks);
    const target = targetOf(context);
    // the revision shown when the modal opened, or the one a conflict showed since (see modals.ts)
    const shown = casRevisionOf(view.blocks) ?? context.revision;
    const key = context.key ?? draft.key?.trim() ?? '';
    if (key === '') return { kind: 'errors', viewId, errors: { [INPUT.key]: deps.tr('Meta_Modal_Required') } };
    try {
        if (context.kind === 'remove') {
            await deps.service.remove(deps.caller, target, { items: [{ key, ...(shown !== undefined ? { revision: shown } : {}) }] });
        } else {
            const typed = readTyped(draft, deps.tr);
            if ('error' in typed) return { kind: 'errors', viewId, errors: { [INPUT.value]: typed.error } };
            if (context.kind === 'state') {
                const type = STATE_TYPES.find((name) => name === draft.type) as StateType | undefined;
                await deps.service.state(deps.caller, target, { key, op: 'add', value: typed.value, ...(context.key || !type ? {} : { type }) });
            } else {
                const visibility = visibilityOf(draft);
                // on the revision the modal showed; a fresh add: only if the key does not exist yet (revision 0)
                const revision = shown ?? 0;
                await deps.service.set(deps.caller, target, {
                    items: [{ key, value: typed.value, ...(revision !== undefined ? { revision } : {}), ...(visibility ? { visibility } : {}) }],
                });
            }
        }
    } catch (error) {
        if (isMetadataError(error) && error.code === 'revision_conflict' && context.kind !== 'state') {
            return conflict(deps, { ...context, key }, draft, viewId);
        }
        const field = isMetadataError(error) && error.code === 'invalid_key' && !context.key ? INPUT.key : context.kind === 'remove' ? undefined : INPUT.value;
        if (!field) {
            const update = { viewId, ...(shown !== undefined ? { revision: shown } : {}) };
            return { kind: 'updateModal', view: await modalFor(deps, context, { update, notice: deps.tr('Meta_Panel_Error', { reason: reasonFor(deps, error) }) }) };
        }
        return { kind: 'errors', viewId, errors: { [field]: reasonFor(deps, error) } };
    }
    return { kind: 'close', bar: await panel(deps, context) };
}

/**
 * Someone changed the item between opening the modal and saving it: nothing was written (the service's
 * compare-and-set). The same modal (same view id, so the client updates the open one) says who changed it to what,
 * keeps what the person typed, and now compares against the revision it shows, so saving again is a deliberate
 * overwrite (of a removed item: creates it again).
 */
async function conflict(deps: PanelDeps, context: ModalContext & { key: string }, draft: Draft, viewId: string): Promise<Reply> {
    const { tr } = deps;
    let item: Item | undefined;
    try {
        item = await currentItem(deps, context, context.key);
    } catch (error) {
        return { kind: 'updateModal', view: await modalFor(deps, context, { draft, update: { viewId }, notice: tr('Meta_Panel_Error', { reason: reasonFor(deps, error) }) }) };
    }
    if (!item) {
        if (context.kind === 'remove') return { kind: 'close', bar: await panel(deps, context) };
        const remover = await whoRemoved(deps, context);
        const notice = remover ? tr('Meta_Modal_Conflict_Removed_By', { who: remover, key: context.key }) : tr('Meta_Modal_Conflict_Removed', { key: context.key });
        return { kind: 'updateModal', view: await modalFor(deps, context, { draft, notice, update: { viewId, revision: 0 } }) };
    }
    const names = await deps.userNames([item.updatedBy]);
    const params = { who: who(item.updatedBy, names), key: context.key, value: inlineValue(item.value), revision: item.revision, when: when(item.updatedAt) };
    const update = { viewId, revision: item.revision };
    if (context.kind === 'remove') {
        return { kind: 'updateModal', view: await modalFor(deps, context, { item, update, notice: tr('Meta_Modal_Conflict_Remove', params) }) };
    }
    return { kind: 'updateModal', view: await modalFor(deps, context, { item, draft, update, notice: tr('Meta_Modal_Conflict', params) }) };
}

/** Who removed a key after the modal's revision, from the subject's history; undefined when it does not say. */
async function whoRemoved(deps: PanelDeps, context: ModalContext & { key: string }): Promise<string | undefined> {
    try {
        const history = await deps.service.history(deps.caller, targetOf(context), { since: 'latest', limit: 100 });
        const entry = [...history.entries].reverse().find((e) => e.removed.some((key) => key === context.key || context.key.startsWith(`${key}.`)));
        if (!entry) return undefined;
        return who(entry.actor, await deps.userNames([entry.actor]));
    } catch (error) {
        if (error instanceof MetadataError) return undefined;
        throw error;
    }
}

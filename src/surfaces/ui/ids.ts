import { JsonValue } from '../../core/json';
import { NAMESPACES, Namespace, StateOpKind, StateType } from '../../core/types';

/*
 * What a view or a button must carry, because an interaction brings back only ids and values: a view submit may
 * arrive without a room (and the engine of `^1.35.0` has no private metadata on views), so the subject, the room the
 * panel was opened in, and the item's revision travel in the view's id and the buttons' values. Nothing here is
 * trusted: every action goes through the service, which decides as for any other surface.
 */

const PREFIX = 'metadata-store';

/** The action buttons the app registers (SPEC §17). */
export const OPEN = {
    room: `${PREFIX}.open-room`,
    user: `${PREFIX}.open-mine`,
    sender: `${PREFIX}.open-sender`,
    message: `${PREFIX}.open-message`,
} as const;

/** The block actions of the panel. */
export const ACTION = {
    edit: `${PREFIX}.edit`,
    remove: `${PREFIX}.remove`,
    addItem: `${PREFIX}.add-item`,
    stateOp: `${PREFIX}.state-op`,
    addStateValue: `${PREFIX}.add-state-value`,
    subscribe: `${PREFIX}.subscribe`,
    unsubscribe: `${PREFIX}.unsubscribe`,
    refresh: `${PREFIX}.refresh`,
} as const;

/** The buttons of a message with choices (SPEC §19): the value is the choice, the message names the subject. */
export const CHOICE_ACTION = `${PREFIX}.choice`;

/** The inputs of the modals (block id = action id). */
export const INPUT = {
    key: 'key',
    value: 'value',
    format: 'format',
    visibility: 'visibility',
    type: 'type',
} as const;

/** Which subject a panel shows, and the room it was opened in (a subscription made there delivers there). */
export interface PanelContext {
    namespace: Namespace;
    id: string;
    roomId?: string;
}

export type ModalKind = 'edit' | 'add' | 'remove' | 'state';

export interface ModalContext extends PanelContext {
    kind: ModalKind;
    /** the item (edit, remove) or state key (state; absent: a new key) */
    key?: string;
    /** the revision the modal showed: the compare-and-set of its submit */
    revision?: number;
}

export interface StateOpRequest extends PanelContext {
    key: string;
    op: StateOpKind;
    value: JsonValue;
}

export const STATE_TYPE_CHOICES: readonly StateType[] = ['set', 'fww', 'lww', 'lwwn'];

function tuple(context: PanelContext): [string, string, string] {
    return [context.namespace, context.id, context.roomId ?? ''];
}

function parseTuple(text: string): unknown[] | undefined {
    try {
        const parsed: unknown = JSON.parse(text);
        return Array.isArray(parsed) ? parsed : undefined;
    } catch {
        return undefined;
    }
}

function contextOf(parts: unknown[]): PanelContext | undefined {
    const [namespace, id, roomId] = parts;
    if (typeof namespace !== 'string' || !(NAMESPACES as readonly string[]).includes(namespace)) return undefined;
    if (typeof id !== 'string' || id === '' || typeof roomId !== 'string') return undefined;
    return { namespace: namespace as Namespace, id, ...(roomId ? { roomId } : {}) };
}

/** The bar of one subject opened in one room: always the same id, so an update replaces it. */
export function panelViewId(context: PanelContext): string {
    return `${PREFIX}:panel:${JSON.stringify(tuple(context))}`;
}

export function parsePanelViewId(viewId: unknown): PanelContext | undefined {
    const prefix = `${PREFIX}:panel:`;
    if (typeof viewId !== 'string' || !viewId.startsWith(prefix)) return undefined;
    const parts = parseTuple(viewId.slice(prefix.length));
    return parts ? contextOf(parts) : undefined;
}

export function modalViewId(modal: ModalContext): string {
    return `${PREFIX}:${modal.kind}:${JSON.stringify([...tuple(modal), modal.key ?? '', modal.revision ?? -1])}`;
}

export function parseModalViewId(viewId: unknown): ModalContext | undefined {
    if (typeof viewId !== 'string') return undefined;
    const match = /^metadata-store:(edit|add|remove|state):([\s\S]*)$/.exec(viewId);
    if (!match) return undefined;
    const parts = parseTuple(match[2]);
    const context = parts ? contextOf(parts) : undefined;
    if (!parts || !context) return undefined;
    const [, , , key, revision] = parts;
    if (typeof key !== 'string' || typeof revision !== 'number' || !Number.isInteger(revision)) return undefined;
    return { ...context, kind: match[1] as ModalKind, ...(key ? { key } : {}), ...(revision >= 0 ? { revision } : {}) };
}

/** A button's value: the panel's context, and the item (key, revision) it acts on. */
export function itemValue(context: PanelContext, key = '', revision = -1): string {
    return JSON.stringify([...tuple(context), key, revision]);
}

export function parseItemValue(value: unknown): { context: PanelContext; key?: string; revision?: number } | undefined {
    const parts = typeof value === 'string' ? parseTuple(value) : undefined;
    const context = parts ? contextOf(parts) : undefined;
    if (!parts || !context) return undefined;
    const [, , , key, revision] = parts;
    return {
        context,
        ...(typeof key === 'string' && key !== '' ? { key } : {}),
        ...(typeof revision === 'number' && Number.isInteger(revision) && revision >= 0 ? { revision } : {}),
    };
}

/** A one-click state op: the key, add or remove, and the value. */
export function stateOpValue(request: StateOpRequest): string {
    return JSON.stringify([...tuple(request), request.key, request.op, request.value]);
}

export function parseStateOpValue(value: unknown): StateOpRequest | undefined {
    const parts = typeof value === 'string' ? parseTuple(value) : undefined;
    const context = parts ? contextOf(parts) : undefined;
    if (!parts || !context || parts.length !== 6) return undefined;
    const [, , , key, op, element] = parts;
    if (typeof key !== 'string' || (op !== 'add' && op !== 'remove') || element === null || element === undefined) return undefined;
    return { ...context, key, op, value: element as JsonValue };
}

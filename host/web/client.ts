// The host's small web client: sign in as a seeded user, rooms, messages, a composer that runs slash commands
// (their ephemeral replies appear in the room), the apps' action buttons, and the contextual bars and modals the apps
// open, rendered from their blocks (blocks.ts). It uses only the host's REST API, with Rocket.Chat's shapes:
// /api/v1/login, host.rooms, host.messages, chat.postMessage, chat.delete, commands.list/run, host.notifications
// (long-poll: the ephemeral messages and the `uiInteraction`s the server would push over its websocket),
// /api/apps/actionButtons, /api/apps/languages and /api/apps/ui.interaction/:appId. Interactions follow Rocket.Chat's ActionManager: each user
// action carries a fresh triggerId, and only a server interaction whose triggerId this page issued is acted on.
import type { ConfirmationDialog, TextObject } from '@rocket.chat/ui-kit';

import { Api, ApiError, loadSession, saveSession, type Session } from './api';
import { DomRenderer, stateOf, type BlockActionRequest, type SurfaceKind, type Values } from './blocks';
import { markup, plain } from './markup';

// --- types of what the host answers ----------------------------------------------------------------------------

interface Room {
    /** a room the server refused to describe (a link to a room the user is not in): its type is unknown */
    unknown?: boolean;
    _id: string;
    t: 'c' | 'p' | 'd' | 'l';
    name?: string;
    usernames?: string[];
    /** host.rooms: the members with their room roles (owner, moderator) */
    members?: Array<{ username?: string; roles?: string[] }>;
}

interface Message {
    _id?: string;
    rid?: string;
    msg?: string;
    ts?: string;
    u?: { _id?: string; username?: string; name?: string };
    blocks?: unknown[];
    attachments?: Array<{ text?: string; title?: string }>;
    _updatedAt?: string;
    editedAt?: string;
    editedBy?: { _id?: string; username?: string };
    t?: string;
}

interface NotificationRecord {
    seq: number;
    roomId: string | null;
    kind: 'ephemeral' | 'uiInteraction';
    ts: string;
    message: Record<string, unknown>;
}

interface ActionButton {
    appId: string;
    actionId: string;
    context: 'messageAction' | 'roomAction' | 'messageBoxAction' | 'userDropdownAction' | 'roomSideBarAction';
    labelI18n: string;
    variant?: 'danger';
    when?: { roomTypes?: string[]; messageActionContext?: string[]; hasOneRole?: string[]; hasAllRoles?: string[] };
}

interface View {
    id: string;
    appId: string;
    type?: string;
    title?: TextObject;
    blocks: unknown[];
    close?: { text?: TextObject; actionId?: string };
    submit?: { text?: TextObject; actionId?: string; style?: string };
}

interface ServerInteraction {
    type?: string;
    triggerId?: string;
    appId?: string;
    view?: View;
    viewId?: string;
    errors?: Record<string, string> | Array<Record<string, string>>;
}

interface OpenView {
    surface: 'modal' | 'contextualBar';
    view: View;
    values: Values;
    errors: Record<string, string>;
    /** the room the view was opened in (the bar closes when another room is opened) */
    roomId?: string;
}

// --- state -------------------------------------------------------------------------------------------------------

const api = new Api();
const TRIGGER_TTL_MS = 30_000;
const MESSAGE_POLL_MS = 800;

const state = {
    me: undefined as (Session & { roles?: string[] }) | undefined,
    rooms: [] as Room[],
    roomId: undefined as string | undefined,
    room: undefined as Room | undefined,
    roomError: undefined as string | undefined,
    messages: [] as Message[],
    messagesSignature: '',
    ephemeral: new Map<string, Message[]>(),
    unread: new Set<string>(),
    buttons: [] as ActionButton[],
    languages: new Map<string, Record<string, Record<string, string>>>(),
    commands: new Map<string, { appId?: string }>(),
    triggers: new Map<string, { appId: string; expires: number }>(),
    since: 0,
    bar: undefined as OpenView | undefined,
    modal: undefined as OpenView | undefined,
    /** bumped on sign-out: loops of an earlier session stop */
    generation: 0,
};

/**
 * The rendered message nodes of the open room by what they show (id, last update, ephemeral or not, deletable): a
 * poll that finds a message unchanged keeps its node (an open menu or a value typed into its blocks stays); an edited
 * message gets a new node in the same place; a deleted one's node goes.
 */
let messageNodes = new Map<string, HTMLElement>();

const $ = <T extends HTMLElement = HTMLElement>(selector: string): T | null => document.querySelector<T>(selector);

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | undefined> = {}, ...children: Array<Node | string | null | undefined | false>): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
    for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
    return node;
}

// --- translations ------------------------------------------------------------------------------------------------

function language(): string {
    return (navigator.language || 'en').slice(0, 2).toLowerCase();
}

/** An app's text for an i18n key, in the browser's language or English; `__arg__` and `{{arg}}` interpolated. */
function appText(appId: string, key: string, args: Record<string, string | number> = {}): string | undefined {
    const langs = state.languages.get(appId);
    const text = langs?.[language()]?.[key] ?? langs?.en?.[key];
    if (text === undefined) return undefined;
    return text.replace(/__(\w+)__|\{\{\s*(\w+)\s*\}\}/g, (m, a: string | undefined, b: string | undefined) => String(args[(a ?? b) as string] ?? m));
}

function textOf(obj: TextObject | undefined, appId: string): string {
    if (!obj) return '';
    if (obj.i18n?.key) return appText(appId, obj.i18n.key, obj.i18n.args) ?? obj.text ?? obj.i18n.key;
    return obj.text ?? '';
}

function buttonLabel(button: ActionButton): string {
    return appText(button.appId, button.labelI18n) ?? button.labelI18n;
}

// --- toasts and confirmations ------------------------------------------------------------------------------------

function toast(text: string, kind: 'info' | 'error' = 'info'): void {
    const root = $('#toasts');
    if (!root) return;
    const node = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
    root.append(node);
    setTimeout(() => node.remove(), kind === 'error' ? 8000 : 5000);
}

function confirmDialog(dialog: ConfirmationDialog, appId: string): Promise<boolean> {
    return new Promise((resolve) => {
        const yes = h('button', { type: 'button', class: `uikit-button ${dialog.style === 'danger' ? 'danger' : 'primary'}`, 'data-qa': 'confirm-yes' }, textOf(dialog.confirm, appId) || 'OK');
        const no = h('button', { type: 'button', class: 'uikit-button', 'data-qa': 'confirm-no' }, textOf(dialog.deny, appId) || 'Cancel');
        const text = h('div', { class: 'confirm-text' });
        text.append(markup(textOf(dialog.text, appId)));
        const box = h('div', { class: 'overlay confirm', role: 'alertdialog', 'aria-modal': 'true' }, h('div', { class: 'dialog' }, h('h3', {}, textOf(dialog.title, appId)), text, h('div', { class: 'dialog-footer' }, no, yes)));
        const done = (answer: boolean) => {
            box.remove();
            resolve(answer);
        };
        yes.addEventListener('click', () => done(true));
        no.addEventListener('click', () => done(false));
        document.body.append(box);
        yes.focus();
    });
}

// --- sign in ------------------------------------------------------------------------------------------------------

function renderLogin(error?: string): void {
    const app = $('#app') as HTMLElement;
    app.replaceChildren();
    const user = h('input', { name: 'user', id: 'login-user', autocomplete: 'username', placeholder: 'alice', required: '' });
    const password = h('input', { name: 'password', id: 'login-password', type: 'password', autocomplete: 'current-password', placeholder: 'alice-pass', required: '' });
    const form = h(
        'form',
        { id: 'login', class: 'login' },
        h('img', { src: '/web/icon.png', alt: '', class: 'logo' }),
        h('h1', {}, 'Metadata Store'),
        h('p', { class: 'sub' }, 'the local Apps-Engine host'),
        h('label', { for: 'login-user' }, 'Username'),
        user,
        h('label', { for: 'login-password' }, 'Password'),
        password,
        error ? h('div', { class: 'login-error', role: 'alert' }, error) : null,
        h('button', { type: 'submit', class: 'uikit-button primary', id: 'login-submit' }, 'Sign in'),
        h('p', { class: 'hint' }, 'Seeded users: ', ...['admin', 'alice', 'bob', 'carol'].flatMap((name, i) => {
            const a = h('a', { href: '#', 'data-user': name }, name);
            a.addEventListener('click', (e) => {
                e.preventDefault();
                user.value = name;
                password.value = `${name}-pass`;
            });
            return i ? [', ', a] : [a];
        }), ' — password ', h('code', {}, '<name>-pass'), '.'),
    );
    form.addEventListener('submit', async (e) => {
        e.preventDefault();
        try {
            const session = await api.login(user.value.trim(), password.value);
            saveSession(session);
            await start();
        } catch (err) {
            renderLogin(err instanceof ApiError && err.status === 401 ? 'Wrong username or password.' : String((err as Error).message ?? err));
        }
    });
    app.append(form);
    user.focus();
}

async function signOut(): Promise<void> {
    try {
        await api.post('/api/v1/logout');
    } catch {
        // the token may be gone already
    }
    state.generation++;
    api.session = undefined;
    state.me = undefined;
    saveSession(undefined);
    state.bar = undefined;
    state.modal = undefined;
    renderLogin();
}

// --- the signed-in page ------------------------------------------------------------------------------------------

function renderShell(): void {
    const app = $('#app') as HTMLElement;
    messageNodes.clear();
    app.replaceChildren(
        h(
            'header',
            { class: 'topbar' },
            h('img', { src: '/web/icon.png', alt: '', class: 'logo small' }),
            h('span', { class: 'brand' }, 'Metadata Store · local host'),
            h('div', { class: 'user-menu' }, h('button', { type: 'button', id: 'user-menu-toggle', 'aria-haspopup': 'menu' }, `@${state.me?.username} ▾`), h('div', { id: 'user-menu', role: 'menu', hidden: '' })),
        ),
        h(
            'div',
            { class: 'layout' },
            h('nav', { id: 'rooms', 'aria-label': 'Rooms' }),
            h(
                'main',
                { id: 'room' },
                h('header', { class: 'room-header' }, h('h2', { id: 'room-title' }, 'Pick a room'), h('div', { id: 'room-actions' })),
                h('div', { id: 'messages', role: 'log', 'aria-live': 'polite' }),
                h(
                    'form',
                    { id: 'composer-form', class: 'composer' },
                    h('div', { class: 'box-actions' }, h('button', { type: 'button', id: 'box-actions-toggle', title: 'Actions', hidden: '' }, '+'), h('div', { id: 'box-actions', role: 'menu', hidden: '' })),
                    h('textarea', { id: 'composer', rows: '1', placeholder: 'Message, or /meta help', 'aria-label': 'Message' }),
                    h('button', { type: 'submit', class: 'uikit-button primary', id: 'send' }, 'Send'),
                ),
            ),
            h('aside', { id: 'contextual-bar', hidden: '', 'aria-label': 'Contextual bar' }),
        ),
        h('div', { id: 'modal-root' }),
    );
    ($('#user-menu-toggle') as HTMLElement).addEventListener('click', () => {
        const menu = $('#user-menu') as HTMLElement;
        menu.hidden = !menu.hidden;
    });
    const composer = $('#composer') as HTMLTextAreaElement;
    composer.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            ($('#composer-form') as HTMLFormElement).requestSubmit();
        }
    });
    ($('#composer-form') as HTMLFormElement).addEventListener('submit', (e) => {
        e.preventDefault();
        void send();
    });
    ($('#box-actions-toggle') as HTMLElement).addEventListener('click', () => {
        const menu = $('#box-actions') as HTMLElement;
        menu.hidden = !menu.hidden;
    });
    renderUserMenu();
}

function renderUserMenu(): void {
    const menu = $('#user-menu');
    if (!menu) return;
    const items = state.buttons.filter((b) => b.context === 'userDropdownAction' && rolesAllow(b));
    const logout = h('button', { type: 'button', role: 'menuitem', id: 'logout' }, 'Sign out');
    logout.addEventListener('click', () => void signOut());
    menu.replaceChildren(
        h('div', { class: 'menu-title' }, state.me?.name ?? state.me?.username ?? ''),
        ...items.map((b) => {
            const item = h('button', { type: 'button', role: 'menuitem', 'data-action-id': b.actionId, 'data-app-id': b.appId }, buttonLabel(b));
            item.addEventListener('click', () => {
                menu.hidden = true;
                void actionButton(b, {});
            });
            return item;
        }),
        logout,
    );
}

function roomLabel(room: Room): string {
    if (room.t === 'd') return `@${(room.usernames ?? []).filter((u) => u !== state.me?.username).join(', ') || room.name || room._id}`;
    return `# ${room.name ?? room._id}`;
}

function renderRooms(): void {
    const nav = $('#rooms');
    if (!nav) return;
    const groups: Array<[string, Room[]]> = [
        ['Rooms', state.rooms.filter((r) => r.t !== 'd')],
        ['Direct messages', state.rooms.filter((r) => r.t === 'd')],
    ];
    nav.replaceChildren(
        ...groups.flatMap(([title, rooms]) => [
            h('h3', {}, title),
            ...rooms.map((r) =>
                h(
                    'a',
                    { href: `#/room/${encodeURIComponent(r._id)}`, class: `room${r._id === state.roomId ? ' active' : ''}`, 'data-room-id': r._id, 'data-room-name': r.name ?? '' },
                    h('span', {}, roomLabel(r), r.t === 'p' ? h('span', { class: 'private', title: 'private room' }, 'private') : null),
                    state.unread.has(r._id) ? h('span', { class: 'badge', title: 'new replies' }, '•') : null,
                ),
            ),
        ]),
    );
}

async function loadRooms(): Promise<void> {
    const res = await api.get<{ rooms: Room[] }>('/api/v1/host.rooms');
    state.rooms = res.rooms.sort((a, b) => Number(a.t === 'd') - Number(b.t === 'd') || (a.name ?? '').localeCompare(b.name ?? ''));
    renderRooms();
}

// --- action buttons ------------------------------------------------------------------------------------------------

const ROOM_TYPE_FILTERS: Record<string, (room: Room) => boolean> = {
    public_channel: (r) => r.t === 'c',
    private_channel: (r) => r.t === 'p',
    // the host has no teams or discussions
    public_team: () => false,
    private_team: () => false,
    public_discussion: () => false,
    private_discussion: () => false,
    direct: (r) => r.t === 'd' && (r.usernames?.length ?? 2) <= 2,
    direct_multiple: (r) => r.t === 'd' && (r.usernames?.length ?? 2) > 2,
    livechat: (r) => r.t === 'l',
};

function rolesAllow(b: ActionButton): boolean {
    const roles = state.me?.roles ?? [];
    if (b.when?.hasOneRole && !b.when.hasOneRole.some((r) => roles.includes(r))) return false;
    if (b.when?.hasAllRoles && !b.when.hasAllRoles.every((r) => roles.includes(r))) return false;
    return true;
}

/** Rocket.Chat's filter of a button's `when` (roles and room types; the host does not check permissions). */
function buttonApplies(b: ActionButton, room: Room | undefined): boolean {
    if (!rolesAllow(b)) return false;
    if (room && !room.unknown && b.when?.roomTypes?.length && !b.when.roomTypes.some((t) => ROOM_TYPE_FILTERS[t]?.(room))) return false;
    return true;
}

async function loadButtons(): Promise<void> {
    let buttons: ActionButton[] = [];
    try {
        const res = await api.get<ActionButton[] | { buttons?: ActionButton[]; actionButtons?: ActionButton[] }>('/api/apps/actionButtons');
        buttons = Array.isArray(res) ? res : (res.buttons ?? res.actionButtons ?? []);
    } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
    const changed = JSON.stringify(buttons) !== JSON.stringify(state.buttons);
    state.buttons = buttons;
    if (buttons.some((b) => !state.languages.has(b.appId))) await loadLanguages();
    if (changed) {
        renderUserMenu();
        renderRoomActions();
        messageNodes.clear();
        renderMessages(true);
    }
}

async function loadLanguages(): Promise<void> {
    try {
        const res = await api.get<{ apps: Array<{ id: string; languages: Record<string, Record<string, string>> }> }>('/api/apps/languages');
        for (const app of res.apps) state.languages.set(app.id, app.languages ?? {});
    } catch {
        // labels fall back to their keys
    }
}

function renderRoomActions(): void {
    const box = $('#room-actions');
    if (!box) return;
    const room = state.room;
    const buttons = room ? state.buttons.filter((b) => b.context === 'roomAction' && buttonApplies(b, room)) : [];
    box.replaceChildren(
        ...buttons.map((b) => {
            const button = h('button', { type: 'button', class: `room-action${b.variant === 'danger' ? ' danger' : ''}`, 'data-action-id': b.actionId, 'data-app-id': b.appId }, buttonLabel(b));
            button.addEventListener('click', () => void actionButton(b, { rid: room?._id }));
            return button;
        }),
    );
    const boxButtons = room ? state.buttons.filter((b) => b.context === 'messageBoxAction' && buttonApplies(b, room)) : [];
    const toggle = $('#box-actions-toggle');
    const menu = $('#box-actions');
    if (toggle && menu) {
        toggle.hidden = boxButtons.length === 0;
        menu.replaceChildren(
            ...boxButtons.map((b) => {
                const item = h('button', { type: 'button', role: 'menuitem', 'data-action-id': b.actionId, 'data-app-id': b.appId }, buttonLabel(b));
                item.addEventListener('click', () => {
                    menu.hidden = true;
                    void actionButton(b, { rid: room?._id, text: ($('#composer') as HTMLTextAreaElement).value });
                });
                return item;
            }),
        );
    }
}

// --- interactions (Rocket.Chat's ActionManager) --------------------------------------------------------------

function newTriggerId(appId: string): string {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    const id = Array.from(bytes, (b) => 'ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz23456789'[b % 55]).join('').slice(0, 17);
    state.triggers.set(id, { appId, expires: Date.now() + TRIGGER_TTL_MS });
    return id;
}

/** Posts a user interaction to /api/apps/ui.interaction/:appId and acts on the answer; the answer, or undefined. */
async function emitInteraction(appId: string, interaction: Record<string, unknown>): Promise<ServerInteraction | undefined> {
    const triggerId = newTriggerId(appId);
    document.body.classList.add('busy');
    let answer: ServerInteraction | undefined;
    try {
        answer = await api.post<ServerInteraction>(`/api/apps/ui.interaction/${encodeURIComponent(appId)}`, { ...interaction, triggerId });
        if (answer && typeof answer === 'object') handleServerInteraction({ triggerId, appId, ...answer });
        return answer;
    } catch (err) {
        toast(`The app did not answer: ${(err as Error).message}`, 'error');
        return undefined;
    } finally {
        document.body.classList.remove('busy');
    }
}

async function actionButton(b: ActionButton, where: { rid?: string; mid?: string; tmid?: string; text?: string }): Promise<void> {
    await emitInteraction(b.appId, {
        type: 'actionButton',
        actionId: b.actionId,
        ...(where.rid && { rid: where.rid }),
        ...(where.mid && { mid: where.mid }),
        ...(where.tmid && { tmid: where.tmid }),
        payload: { context: b.context, ...(b.context === 'messageBoxAction' && { message: where.text ?? '' }) },
    });
}

/** A server interaction (an ui.interaction answer or a `uiInteraction` notification), if this page triggered it. */
function handleServerInteraction(interaction: ServerInteraction): void {
    const trigger = interaction.triggerId ? state.triggers.get(interaction.triggerId) : undefined;
    if (!trigger || !interaction.type) return;
    state.triggers.delete(interaction.triggerId as string);
    const appId = interaction.appId ?? trigger.appId;
    switch (interaction.type) {
        case 'modal.open':
            if (interaction.view) openView('modal', { ...interaction.view, appId: interaction.view.appId ?? appId });
            break;
        case 'contextual_bar.open':
            if (interaction.view) openView('contextualBar', { ...interaction.view, appId: interaction.view.appId ?? appId });
            break;
        case 'modal.update':
        case 'contextual_bar.update':
            if (interaction.view) updateView({ ...interaction.view, appId: interaction.view.appId ?? appId });
            break;
        case 'modal.close':
            closeView('modal', interaction.view?.id);
            break;
        case 'contextual_bar.close':
            closeView('contextualBar', interaction.view?.id);
            break;
        case 'errors':
            showErrors(interaction.viewId, interaction.errors);
            break;
        default:
            break;
    }
}

function openView(surface: OpenView['surface'], view: View): void {
    const open: OpenView = { surface, view, values: new Map(), errors: {}, roomId: state.roomId };
    if (surface === 'modal') state.modal = open;
    else state.bar = open;
    renderView(open);
}

function viewById(viewId: string | undefined): OpenView | undefined {
    if (!viewId) return undefined;
    return [state.modal, state.bar].find((v) => v?.view.id === viewId);
}

function updateView(view: View): void {
    const open = viewById(view.id);
    if (!open) {
        // Rocket.Chat routes an update to the open view of that id: an update under another id reaches nothing
        console.warn(`UIKit: an update for view ${view.id}, which is not open; dropped as Rocket.Chat drops it`);
        return;
    }
    open.view = view;
    open.errors = {};
    // values of elements that are gone go with them (Rocket.Chat keeps the rest)
    renderView(open);
}

function closeView(surface: OpenView['surface'], viewId?: string): void {
    const open = surface === 'modal' ? state.modal : state.bar;
    if (!open || (viewId && open.view.id !== viewId)) return;
    if (surface === 'modal') state.modal = undefined;
    else state.bar = undefined;
    renderView(undefined, surface);
}

function showErrors(viewId: string | undefined, errors: ServerInteraction['errors']): void {
    const open = viewById(viewId) ?? state.modal ?? state.bar;
    if (!open) return;
    open.errors = Array.isArray(errors) ? Object.assign({}, ...errors) : { ...(errors ?? {}) };
    renderView(open);
}

/** viewSubmit / viewClosed for an open view, as Rocket.Chat's UiKitModal and UiKitContextualBar send them. */
async function submitView(open: OpenView): Promise<void> {
    const answer = await emitInteraction(open.view.appId, {
        type: 'viewSubmit',
        payload: { view: { ...open.view, state: stateOf(open.values) } },
        viewId: open.view.id,
    });
    // as Rocket.Chat's ActionManager: any answer but errors or an update closes the view (a new view opened by the
    // answer is another OpenView and stays)
    if (answer && !['errors', 'modal.update', 'contextual_bar.update'].includes(answer.type ?? '')) disposeView(open);
}

async function dismissView(open: OpenView, isCleared: boolean): Promise<void> {
    disposeView(open);
    await emitInteraction(open.view.appId, {
        type: 'viewClosed',
        payload: { viewId: open.view.id, view: { ...open.view, state: stateOf(open.values) }, isCleared },
    });
}

function disposeView(open: OpenView): void {
    if (state.modal === open) {
        state.modal = undefined;
        renderView(undefined, 'modal');
    }
    if (state.bar === open) {
        state.bar = undefined;
        renderView(undefined, 'contextualBar');
    }
}

function surfaceHooks(open: OpenView): ConstructorParameters<typeof DomRenderer>[1] {
    return {
        appId: open.view.appId,
        values: open.values,
        errors: open.errors,
        text: textOf,
        confirm: confirmDialog,
        action: async (req: BlockActionRequest) => {
            await emitInteraction(req.appId, {
                type: 'blockAction',
                actionId: req.actionId,
                payload: { blockId: req.blockId, value: req.value },
                container: { type: 'view', id: open.view.id },
            });
        },
    };
}

function renderView(open: OpenView | undefined, surfaceWhenClosed?: OpenView['surface']): void {
    const surface = open?.surface ?? surfaceWhenClosed;
    if (surface === 'contextualBar') {
        const aside = $('#contextual-bar');
        if (!aside) return;
        if (!open) {
            aside.hidden = true;
            aside.replaceChildren();
            document.body.classList.remove('with-bar');
            return;
        }
        aside.hidden = false;
        document.body.classList.add('with-bar');
        aside.replaceChildren(viewFrame(open, 'contextualBar'));
        aside.setAttribute('data-view-id', open.view.id);
        return;
    }
    const root = $('#modal-root');
    if (!root) return;
    if (!open) {
        root.replaceChildren();
        return;
    }
    const overlay = h('div', { class: 'overlay', 'data-view-id': open.view.id }, h('div', { class: 'dialog modal', role: 'dialog', 'aria-modal': 'true', id: 'modal' }, viewFrame(open, 'modal')));
    root.replaceChildren(overlay);
    (overlay.querySelector('input, textarea, select') as HTMLElement | null)?.focus();
}

function viewFrame(open: OpenView, kind: SurfaceKind): HTMLElement {
    const { view } = open;
    const closeX = h('button', { type: 'button', class: 'close-x', 'aria-label': 'Close', title: 'Close' }, '×');
    closeX.addEventListener('click', () => void dismissView(open, true));
    const general = Object.entries(open.errors).filter(([k]) => !JSON.stringify(view.blocks).includes(`"${k}"`));
    const body = h('div', { class: 'view-body' }, ...general.map(([k, v]) => h('div', { class: 'view-error', role: 'alert' }, `${k}: ${v}`)));
    body.append(new DomRenderer(kind, surfaceHooks(open)).renderBlocks(view.blocks ?? []));
    const footer = h('div', { class: 'view-footer' });
    if (view.close) {
        const cancel = h('button', { type: 'button', class: 'uikit-button view-close', 'data-action-id': view.close.actionId }, textOf(view.close.text, view.appId) || 'Cancel');
        cancel.addEventListener('click', () => void dismissView(open, false));
        footer.append(cancel);
    }
    if (view.submit) {
        const submit = h('button', { type: 'submit', class: `uikit-button ${view.submit.style ?? 'primary'} view-submit`, 'data-action-id': view.submit.actionId }, textOf(view.submit.text, view.appId) || 'Submit');
        footer.append(submit);
    }
    const form = h(
        'form',
        { class: `view ${kind}`, 'data-view-id': view.id, 'data-app-id': view.appId },
        h('header', { class: 'view-header' }, h('h3', { class: 'view-title' }, plain(textOf(view.title, view.appId))), closeX),
        body,
        footer.childElementCount ? footer : null,
    );
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        void submitView(open);
    });
    return form;
}

// --- rooms and messages ---------------------------------------------------------------------------------------

async function openRoom(roomId: string | undefined): Promise<void> {
    state.roomId = roomId;
    state.room = state.rooms.find((r) => r._id === roomId);
    state.roomError = undefined;
    state.messages = [];
    state.messagesSignature = '';
    messageNodes.clear();
    if (roomId) state.unread.delete(roomId);
    if (state.bar && state.bar.roomId !== roomId) {
        state.bar = undefined;
        renderView(undefined, 'contextualBar');
    }
    const title = $('#room-title');
    if (roomId && !state.room) {
        // a room the list does not show (not a member): ask the server, which decides
        try {
            const info = await api.get<{ room: Room }>('/api/v1/rooms.info', { roomId });
            state.room = info.room;
        } catch (err) {
            state.roomError = (err as Error).message;
            state.room = { _id: roomId, t: 'c', name: roomId, unknown: true };
        }
    }
    if (title) title.textContent = state.room ? roomLabel(state.room) : 'Pick a room';
    ($('#composer') as HTMLTextAreaElement | null)?.setAttribute('placeholder', state.room ? `Message ${roomLabel(state.room)} — or /meta help` : 'Pick a room');
    renderRooms();
    renderRoomActions();
    renderMessages(true);
    if (roomId) await loadMessages();
}

async function loadMessages(): Promise<void> {
    const roomId = state.roomId;
    if (!roomId) return;
    try {
        const res = await api.get<{ messages: Message[] }>('/api/v1/host.messages', { roomId, count: 100 });
        if (roomId !== state.roomId) return;
        state.roomError = undefined;
        const messages = res.messages.slice().reverse();
        const signature = messages.map((m) => `${m._id}:${m._updatedAt ?? ''}`).join(',');
        if (signature !== state.messagesSignature) {
            state.messages = messages;
            state.messagesSignature = signature;
            renderMessages();
        }
    } catch (err) {
        if (roomId !== state.roomId) return;
        const text = (err as Error).message;
        if (text !== state.roomError) {
            state.roomError = text;
            renderMessages(true);
        }
    }
}

function time(ts: string | undefined): string {
    if (!ts) return '';
    const d = new Date(ts);
    return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function messageNode(m: Message, ephemeral: boolean): HTMLElement {
    const author = m.u?.username ?? (ephemeral ? 'app' : '?');
    const body = h('div', { class: 'body' });
    // Rocket.Chat's RoomMessageContent shows the text only when the message has no blocks (the blocks replace it)
    const blocks = Array.isArray(m.blocks) && m.blocks.length > 0 ? m.blocks : undefined;
    if (m.msg && !blocks) body.append(markup(m.msg));
    const node = h(
        'div',
        { class: `message${ephemeral ? ' ephemeral' : ''}${author === state.me?.username ? ' own' : ''}`, 'data-mid': m._id, 'data-author': author },
        h(
            'div',
            { class: 'meta' },
            h('span', { class: 'author' }, `@${author}`),
            m.u?.name && m.u.name !== author ? h('span', { class: 'name' }, m.u.name) : null,
            h('time', { datetime: m.ts ?? '' }, time(m.ts)),
            m.editedAt ? h('span', { class: 'edited', title: `Edited at ${time(m.editedAt)}${m.editedBy?.username ? ` by @${m.editedBy.username}` : ''}` }, '(edited)') : null,
            ephemeral ? h('span', { class: 'only-you', title: 'An ephemeral message: nobody else sees it and it is gone after a reload' }, 'Only you can see this message') : null,
        ),
        body,
    );
    if (blocks && m._id && m.rid) {
        const values: Values = new Map();
        const mid = m._id;
        const rid = m.rid;
        node.append(
            new DomRenderer('message', {
                appId: '',
                values,
                errors: {},
                text: textOf,
                confirm: confirmDialog,
                action: async (req) => {
                    await emitInteraction(req.appId, {
                        type: 'blockAction',
                        actionId: req.actionId,
                        payload: { blockId: req.blockId, value: req.value },
                        container: { type: 'message', id: mid },
                        mid,
                        rid,
                    });
                },
            }).renderBlocks(blocks),
        );
    }
    for (const a of m.attachments ?? []) {
        const att = h('blockquote', { class: 'attachment' }, a.title ? h('strong', {}, a.title) : null);
        if (a.text) att.append(markup(a.text));
        node.append(att);
    }
    const actions = !ephemeral && m._id && state.room ? state.buttons.filter((b) => b.context === 'messageAction' && buttonApplies(b, state.room) && (!b.when?.messageActionContext || b.when.messageActionContext.includes('message'))) : [];
    const deletable = !ephemeral && mayDelete(m);
    if (actions.length || deletable) {
        const menu = h('div', { class: 'message-menu', role: 'menu', hidden: '' });
        const toggle = h('button', { type: 'button', class: 'message-menu-toggle', title: 'Message actions', 'aria-haspopup': 'menu' }, '⋯');
        toggle.addEventListener('click', () => {
            menu.hidden = !menu.hidden;
        });
        for (const b of actions) {
            const item = h('button', { type: 'button', role: 'menuitem', 'data-action-id': b.actionId, 'data-app-id': b.appId }, buttonLabel(b));
            item.addEventListener('click', () => {
                menu.hidden = true;
                void actionButton(b, { rid: m.rid ?? state.roomId, mid: m._id });
            });
            menu.append(item);
        }
        if (deletable) {
            const item = h('button', { type: 'button', role: 'menuitem', class: 'danger', 'data-qa': 'delete-message' }, 'Delete');
            item.addEventListener('click', () => {
                menu.hidden = true;
                void deleteMessage(m);
            });
            menu.append(item);
        }
        node.append(h('div', { class: 'message-actions' }, toggle, menu));
    }
    return node;
}

/**
 * Whether the menu offers Delete, as Rocket.Chat's client decides it with the server's default permission roles:
 * `force-delete-message` / `delete-message` (admins, the room's owners and moderators) for any message,
 * `delete-own-message` (users) for one's own. The server checks again (chat.delete).
 */
function mayDelete(m: Message): boolean {
    const me = state.me;
    if (!me || !m._id || !m.rid) return false;
    const roomRoles = state.room?.members?.find((member) => member.username === me.username)?.roles ?? [];
    const roles = [...(me.roles ?? []), ...roomRoles];
    if (roles.some((r) => r === 'admin' || r === 'owner' || r === 'moderator')) return true;
    return (m.u?._id === me.userId || m.u?.username === me.username) && roles.includes('user');
}

/** The menu's Delete: Rocket.Chat's confirmation, then chat.delete; the room's messages are read again. */
async function deleteMessage(m: Message): Promise<void> {
    const sure = await confirmDialog(
        {
            title: { type: 'plain_text', text: 'Are you sure?' },
            text: { type: 'plain_text', text: 'You will not be able to recover this message!' },
            confirm: { type: 'plain_text', text: 'Yes, delete it!' },
            deny: { type: 'plain_text', text: 'Cancel' },
            style: 'danger',
        },
        '',
    );
    if (!sure) return;
    try {
        await api.post('/api/v1/chat.delete', { roomId: m.rid, msgId: m._id });
        await loadMessages();
    } catch (err) {
        toast((err as Error).message, 'error');
    }
}

function messageKey(m: Message, ephemeral: boolean): string {
    return ephemeral ? `e:${m._id}:${m.ts ?? ''}` : `m:${m._id}:${m._updatedAt ?? ''}:${mayDelete(m) ? 'd' : ''}`;
}

/** Makes `parent`'s children exactly `nodes`, moving and removing as little as possible (kept nodes keep their state). */
function patchChildren(parent: HTMLElement, nodes: HTMLElement[]): void {
    const keep = new Set<Element>(nodes);
    for (const child of Array.from(parent.children)) if (!keep.has(child)) child.remove();
    nodes.forEach((node, i) => {
        if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] ?? null);
    });
}

function renderMessages(force = false): void {
    const list = $('#messages');
    if (!list) return;
    const atBottom = force || list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    const roomId = state.roomId;
    const items: Array<{ ts: number; m: Message; ephemeral: boolean }> = [];
    for (const m of state.messages) items.push({ ts: Date.parse(m.ts ?? '') || 0, m, ephemeral: false });
    for (const m of (roomId && state.ephemeral.get(roomId)) || []) items.push({ ts: Date.parse(m.ts ?? '') || 0, m, ephemeral: true });
    items.sort((a, b) => a.ts - b.ts);
    const nodes: HTMLElement[] = [];
    if (!roomId) nodes.push(h('p', { class: 'empty' }, 'Pick a room on the left.'));
    else if (state.roomError) nodes.push(h('div', { class: 'room-error', role: 'alert' }, state.roomError));
    else if (!items.length) nodes.push(h('p', { class: 'empty' }, 'No messages yet.'));
    // an unchanged message keeps its node; a changed one (edited: new text, blocks, `editedAt`) is rendered anew
    const kept = new Map<string, HTMLElement>();
    for (const { m, ephemeral } of items) {
        const key = messageKey(m, ephemeral);
        // a second message with the same key (an app's ephemeral messages may repeat an id) gets a node of its own
        const node = (!kept.has(key) && messageNodes.get(key)) || messageNode(m, ephemeral);
        if (!kept.has(key)) kept.set(key, node);
        nodes.push(node);
    }
    messageNodes = kept;
    patchChildren(list, nodes);
    if (atBottom) list.scrollTop = list.scrollHeight;
}

async function loadCommands(): Promise<void> {
    try {
        const res = await api.get<{ commands: Array<{ command: string; appId?: string }> }>('/api/v1/commands.list');
        state.commands = new Map(res.commands.map((c) => [c.command, { appId: c.appId }]));
    } catch {
        // commands.run still works; slash commands just carry no triggerId
    }
}

function localNotice(text: string): void {
    if (!state.roomId) return;
    const list = state.ephemeral.get(state.roomId) ?? [];
    list.push({ _id: `local-${Date.now()}`, rid: state.roomId, msg: text, ts: new Date().toISOString(), u: { username: 'rocket.cat' } });
    state.ephemeral.set(state.roomId, list);
    renderMessages(true);
}

async function send(): Promise<void> {
    const composer = $('#composer') as HTMLTextAreaElement;
    const text = composer.value;
    if (!text.trim() || !state.roomId) return;
    const roomId = state.roomId;
    const slash = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text.trim());
    composer.value = '';
    try {
        if (slash) {
            const command = slash[1].toLowerCase();
            if (!state.commands.has(command)) await loadCommands();
            const known = state.commands.get(command);
            if (!known) {
                localNotice(`No such command: \`/${command}\``);
                return;
            }
            await api.post('/api/v1/commands.run', {
                command,
                params: slash[2] ?? '',
                roomId,
                ...(known.appId && { triggerId: newTriggerId(known.appId) }),
            });
        } else {
            await api.post('/api/v1/chat.postMessage', { roomId, text });
            await loadMessages();
        }
    } catch (err) {
        toast((err as Error).message, 'error');
        localNotice(`Failed: ${(err as Error).message}`);
    }
}

// --- realtime: the host's notification long-poll, the room's messages --------------------------------------------

function onNotification(n: NotificationRecord): void {
    if (n.kind === 'uiInteraction') {
        handleServerInteraction(n.message as ServerInteraction);
        return;
    }
    const m = n.message as Message;
    const roomId = n.roomId ?? m.rid ?? undefined;
    const message: Message = { ...m, ts: m.ts ?? n.ts, _id: m._id ?? `n-${n.seq}` };
    if (!roomId) {
        toast(plain(message.msg ?? ''));
        return;
    }
    const list = state.ephemeral.get(roomId) ?? [];
    list.push(message);
    state.ephemeral.set(roomId, list.slice(-200));
    if (roomId === state.roomId) renderMessages();
    else {
        state.unread.add(roomId);
        renderRooms();
    }
}

async function pollNotifications(generation: number): Promise<void> {
    // catch up without showing what came before this page: ephemeral messages are gone after a reload, as on a server
    for (;;) {
        const res = await api.get<{ notifications: NotificationRecord[]; last: number }>('/api/v1/host.notifications', { since: state.since });
        if (!res.notifications.length) break;
        state.since = res.last;
    }
    while (generation === state.generation) {
        try {
            const res = await api.get<{ notifications: NotificationRecord[]; last: number }>('/api/v1/host.notifications', { since: state.since, wait: 25_000 });
            if (generation !== state.generation) return;
            for (const n of res.notifications) onNotification(n);
            state.since = res.last;
        } catch (err) {
            if (err instanceof ApiError && err.status === 401) return void signOut();
            await new Promise((r) => setTimeout(r, 2000));
        }
    }
}

async function pollMessages(generation: number): Promise<void> {
    let tick = 0;
    while (generation === state.generation) {
        await new Promise((r) => setTimeout(r, MESSAGE_POLL_MS));
        if (generation !== state.generation) return;
        tick++;
        try {
            await loadMessages();
            // rooms, action buttons and expired triggers, now and then
            if (tick % 12 === 0) {
                await loadRooms();
                await loadButtons();
                const now = Date.now();
                for (const [id, t] of state.triggers) if (t.expires < now) state.triggers.delete(id);
            }
        } catch {
            // the host restarting: try again
        }
    }
}

function roomFromHash(): string | undefined {
    const m = /^#\/room\/(.+)$/.exec(location.hash);
    return m ? decodeURIComponent(m[1]) : undefined;
}

async function start(): Promise<void> {
    const session = api.session ?? loadSession();
    if (!session) return renderLogin();
    api.session = session;
    try {
        const me = await api.get<{ username: string; name?: string; roles?: string[] }>('/api/v1/me');
        state.me = { ...session, username: me.username, name: me.name, roles: me.roles };
    } catch {
        api.session = undefined;
        saveSession(undefined);
        return renderLogin();
    }
    const generation = ++state.generation;
    state.since = 0;
    state.ephemeral.clear();
    renderShell();
    await Promise.all([loadRooms(), loadButtons().catch(() => undefined), loadCommands()]);
    void pollNotifications(generation);
    void pollMessages(generation);
    const wanted = roomFromHash();
    if (wanted) await openRoom(wanted);
    else if (state.rooms[0]) location.hash = `#/room/${encodeURIComponent(state.rooms[0]._id)}`;
    document.body.dataset.ready = 'true';
}

window.addEventListener('hashchange', () => {
    if (state.me) void openRoom(roomFromHash());
});

document.addEventListener('click', (e) => {
    // close open menus on a click elsewhere
    const target = e.target as HTMLElement;
    for (const menu of document.querySelectorAll<HTMLElement>('[role="menu"]:not([hidden])')) {
        if (!menu.parentElement?.contains(target)) menu.hidden = true;
    }
});

void start();

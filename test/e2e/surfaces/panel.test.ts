// SPEC §17 end to end: the panel of the packaged app in the real engine, driven as Rocket.Chat's client drives it —
// GET /api/apps/actionButtons, POST /api/apps/ui.interaction/<appId> (actionButton, blockAction, viewSubmit,
// viewClosed) — and the views the app opens through its UI controller, which reach the user as notifications of kind
// `uiInteraction`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, startHost, type Host, type HostInstance, type UserName } from '../../support/host';
import { ID, itemOf, SECRET, TEAM, type MetadataView } from './helpers';

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost();
    a = host.first;
});

afterAll(async () => {
    await host?.stop();
});

interface Element { type: string; actionId?: string; text?: { text: string }; value?: string }
interface Block { type: string; blockId?: string; text?: { text: string }; elements?: Array<Element & { text?: string | { text: string } }>; accessory?: Element; label?: { text: string }; element?: Element }
interface View { id: string; type: string; title: { text: string }; blocks: Block[]; appId: string }
interface Interaction { success?: boolean; type?: string; triggerId?: string; appId?: string; view?: View; viewId?: string; errors?: Record<string, string> }

const OPEN_ROOM = 'metadata-store.open-room';
const OPEN_MINE = 'metadata-store.open-mine';
const OPEN_SENDER = 'metadata-store.open-sender';
let triggers = 0;

function interact(user: UserName, body: Record<string, unknown>) {
    return a.rest<Interaction>(user, 'POST', `/api/apps/ui.interaction/${APP_ID}`, { triggerId: `trigger-${++triggers}`, ...body });
}

/** Every text the view shows, one line each. */
function texts(view: View | undefined): string {
    const out: string[] = [];
    for (const block of view?.blocks ?? []) {
        if (block.text) out.push(block.text.text);
        for (const element of block.elements ?? []) {
            if (typeof element.text === 'string') out.push(element.text);
            else if (element.text) out.push(element.text.text);
        }
    }
    return out.join('\n');
}

function buttons(view: View | undefined): Element[] {
    return (view?.blocks ?? []).flatMap((block) => (block.type === 'actions' ? block.elements ?? [] : [])).filter((e) => e.type === 'button');
}

function buttonOf(view: View | undefined, text: string, action?: string): Element {
    const found = buttons(view).find((b) => b.text?.text === text && (!action || b.actionId?.startsWith(action)));
    if (!found) throw new Error(`no button "${text}" in ${JSON.stringify(buttons(view).map((b) => b.text?.text))}`);
    return found;
}

async function click(user: UserName, view: View, element: Element) {
    return interact(user, { type: 'blockAction', actionId: element.actionId, payload: { blockId: 'x', value: element.value }, container: { type: 'view', id: view.id } });
}

async function openRoomBar(user: UserName, rid: string): Promise<View> {
    const res = await interact(user, { type: 'actionButton', actionId: OPEN_ROOM, rid, payload: { context: 'roomAction' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, type: 'contextual_bar.open', appId: APP_ID });
    return res.body.view as View;
}

async function get(user: UserName, path: string): Promise<MetadataView> {
    const res = await a.api<MetadataView>(user, 'GET', path);
    expect(res.status).toBe(200);
    return res.body;
}

describe('the routes, as Rocket.Chat serves them', () => {
    it('GET /api/apps/actionButtons lists the room action, the user-menu entry and the message action', async () => {
        const res = await a.rest<Array<Record<string, unknown>>>(null, 'GET', '/api/apps/actionButtons');
        expect(res.status).toBe(200);
        expect(res.body).toEqual(expect.arrayContaining([
            { actionId: OPEN_ROOM, labelI18n: 'Meta_Button_Room', context: 'roomAction', appId: APP_ID },
            { actionId: OPEN_MINE, labelI18n: 'Meta_Button_User', context: 'userDropdownAction', appId: APP_ID },
            { actionId: OPEN_SENDER, labelI18n: 'Meta_Button_Message', context: 'messageAction', appId: APP_ID },
        ]));
    });

    it('ui.interaction needs a login and a known type', async () => {
        const anonymous = await a.rest(null, 'POST', `/api/apps/ui.interaction/${APP_ID}`, { type: 'actionButton', actionId: OPEN_ROOM, rid: TEAM, payload: { context: 'roomAction' } });
        expect(anonymous.status).toBe(401);
        expect(anonymous.body).toEqual({ status: 'error', message: 'You must be logged in to do this.' });
        const unknown = await interact('alice', { type: 'somethingElse' });
        expect(unknown.status).toBe(400);
        expect(unknown.body).toEqual({ error: 'Unknown action' });
    });
});

describe('the panel', () => {
    it('the room action opens the bar of the room: items by type, visibility, revision, who; buttons only for what the caller may do', async () => {
        expect((await a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'topic', value: 'Q3 planning', visibility: 'public' }, { key: 'budget', value: 10000 }] })).status).toBe(200);
        const view = await openRoomBar('alice', TEAM);
        expect(view.id).toContain(TEAM);
        const shown = texts(view);
        expect(shown).toContain('*topic*\n`Q3 planning`');
        expect(shown).toMatch(/text · public · rev \d+ · @alice · \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
        expect(shown).toMatch(/number · private · rev \d+ · @alice/);
        expect(buttons(view).map((b) => b.text?.text)).toEqual(expect.arrayContaining(['Add item', 'Edit', 'Remove', 'Subscribe', 'Refresh']));

        // carol is a member, neither owner nor moderator: she reads everything and may change nothing but her state
        const carols = await openRoomBar('carol', TEAM);
        expect(texts(carols)).toContain('`Q3 planning`');
        expect(texts(carols)).toContain('You may read this metadata, not change it.');
        expect(buttons(carols).map((b) => b.text?.text)).not.toContain('Edit');
        expect(buttons(carols).map((b) => b.text?.text)).not.toContain('Add item');
    });

    it('edits an item in a modal: the write goes through, and the bar behind it is refreshed through the UI controller', async () => {
        const bar = await openRoomBar('alice', TEAM);
        const opened = await click('alice', bar, buttonOf(bar, 'Edit'));
        expect(opened.body).toMatchObject({ success: true, type: 'modal.open' });
        const modal = opened.body.view as View;
        expect(modal.title.text).toBe('Edit budget');
        const before = await get('alice', `metadata/room/${TEAM}`);
        const since = (await a.notifications('alice')).at(-1)?.seq ?? 0;
        const submitted = await interact('alice', {
            type: 'viewSubmit',
            actionId: 'edit-submit',
            payload: { view: { ...modal, state: { value: { value: '12000' }, format: { format: 'json' }, visibility: { visibility: 'private' } } } },
        });
        expect(submitted.status).toBe(200);
        expect(submitted.body).toEqual({ success: true });
        const after = await get('alice', `metadata/room/${TEAM}`);
        expect(itemOf(after, 'budget')).toMatchObject({ value: 12000, visibility: 'private', revision: before.majorRevision + 1 });
        const pushed = (await a.notifications('alice', { since, wait: 5000 })).filter((n) => n.kind === 'uiInteraction');
        expect(pushed.map((n) => n.message.type)).toContain('contextual_bar.update');
        const refreshed = pushed.find((n) => n.message.type === 'contextual_bar.update')?.message.view as View;
        expect(refreshed.id).toBe(bar.id);
        expect(texts(refreshed)).toContain('`12000`');
    });

    it('a conflict: someone changed the item meanwhile — the modal says who changed it to what, and nothing is written', async () => {
        const bar = await openRoomBar('alice', TEAM);
        const modal = (await click('alice', bar, buttonOf(bar, 'Edit', 'metadata-store.edit'))).body.view as View;
        expect(modal.title.text).toBe('Edit budget');
        // bob, a moderator, changes it elsewhere
        expect((await a.api('bob', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'budget', value: 15000 }] })).status).toBe(200);
        const before = await get('alice', `metadata/room/${TEAM}`);
        const answer = await interact('alice', {
            type: 'viewSubmit',
            actionId: 'edit-submit',
            payload: { view: { ...modal, state: { value: { value: '9000' }, format: { format: 'json' }, visibility: { visibility: 'private' } } } },
        });
        expect(answer.status).toBe(200);
        // an update of the open modal: the same view id (a client drops an update for a view that is not open)
        expect(answer.body).toMatchObject({ success: true, type: 'modal.update', view: { id: modal.id } });
        const shown = texts(answer.body.view);
        expect(shown).toContain('*@bob* changed *budget* meanwhile');
        expect(shown).toContain('it is now `15000`');
        expect(shown).toContain('Nothing was written');
        const after = await get('alice', `metadata/room/${TEAM}`);
        expect(after.majorRevision).toBe(before.majorRevision);
        expect(itemOf(after, 'budget')?.value).toBe(15000);

        // saving again is a deliberate overwrite of what the modal now shows
        const again = await interact('alice', {
            type: 'viewSubmit',
            actionId: 'edit-submit',
            payload: { view: { ...(answer.body.view as View), state: { value: { value: '9000' }, format: { format: 'json' }, visibility: { visibility: 'private' } } } },
        });
        expect(again.body).toEqual({ success: true });
        expect(itemOf(await get('alice', `metadata/room/${TEAM}`), 'budget')?.value).toBe(9000);
    });

    it('a vote in a set is one block action, and so is taking it back', async () => {
        expect((await a.api('carol', 'POST', `metadata/room/${TEAM}/state`, { key: 'lunch', type: 'set', op: 'add', value: 'pizza' })).status).toBe(200);
        const bar = await openRoomBar('alice', TEAM);
        expect(texts(bar)).toContain('*lunch* · set · pizza ×1 (@carol)');
        const voted = await click('alice', bar, buttonOf(bar, '+ pizza'));
        expect(voted.body).toMatchObject({ success: true, type: 'contextual_bar.update' });
        expect((voted.body.view as View).id).toBe(bar.id);
        const state = (await get('alice', `metadata/room/${TEAM}`)).state.lunch;
        expect(state.summary).toEqual([{ value: 'pizza', count: 2, users: expect.arrayContaining([ID.alice, ID.carol]) }]);
        expect(texts(voted.body.view)).toContain('Your entry: ["pizza"]');

        const back = await click('alice', voted.body.view as View, buttonOf(voted.body.view, '− pizza'));
        expect(back.body.type).toBe('contextual_bar.update');
        expect((await get('alice', `metadata/room/${TEAM}`)).state.lunch.summary).toEqual([{ value: 'pizza', count: 1, users: [ID.carol] }]);
    });

    it('adds an item (create-only) and removes one after a confirmation', async () => {
        const bar = await openRoomBar('alice', TEAM);
        const add = (await click('alice', bar, buttonOf(bar, 'Add item'))).body.view as View;
        const added = await interact('alice', { type: 'viewSubmit', actionId: 'add-submit', payload: { view: { ...add, state: { key: { key: 'room.motto' }, value: { value: 'ship it' }, format: { format: 'text' }, visibility: { visibility: 'public' } } } } });
        expect(added.body).toEqual({ success: true });
        expect(itemOf(await get('carol', `metadata/room/${TEAM}`), 'room.motto')).toMatchObject({ value: 'ship it', visibility: 'public' });

        const fresh = await openRoomBar('alice', TEAM);
        const removeButton = buttons(fresh).find((b) => b.actionId === 'metadata-store.remove' && b.value?.includes('room.motto')) as Element;
        const confirm = (await click('alice', fresh, removeButton)).body.view as View;
        expect(confirm.title.text).toBe('Remove room.motto?');
        expect(itemOf(await get('alice', `metadata/room/${TEAM}`), 'room.motto')).toBeDefined();
        const removed = await interact('alice', { type: 'viewSubmit', actionId: 'remove-submit', payload: { view: { ...confirm, state: {} } } });
        expect(removed.body).toEqual({ success: true });
        expect(itemOf(await get('alice', `metadata/room/${TEAM}`), 'room.motto')).toBeUndefined();
        const closed = await interact('alice', { type: 'viewClosed', payload: { view: confirm, isCleared: false } });
        expect(closed.body).toEqual({ success: true });
    });

    it('subscribe and unsubscribe from the bar: events go to the room the bar was opened in', async () => {
        const bar = await openRoomBar('carol', TEAM);
        const subscribed = await click('carol', bar, buttonOf(bar, 'Subscribe'));
        expect(texts(subscribed.body.view)).toContain('You are subscribed');
        const list = await a.api<{ subscriptions: Array<{ subject: { id: string }; roomId: string }> }>('carol', 'GET', 'subscriptions');
        expect(list.body.subscriptions).toEqual(expect.arrayContaining([expect.objectContaining({ subject: expect.objectContaining({ id: TEAM }), roomId: TEAM })]));
        const unsubscribed = await click('carol', subscribed.body.view as View, buttonOf(subscribed.body.view, 'Unsubscribe'));
        expect(buttons(unsubscribed.body.view).map((b) => b.text?.text)).toContain('Subscribe');
    });

    it('lists the room\'s locks once there are any', async () => {
        expect(texts(await openRoomBar('alice', TEAM))).not.toContain('*Locks*');
        expect((await a.api('bob', 'POST', `metadata/room/${TEAM}/locks`, { name: 'release', ttl: 60 })).status).toBe(200);
        const shown = texts(await openRoomBar('carol', TEAM));
        expect(shown).toContain('*Locks* (1)');
        expect(shown).toMatch(/\*release\* · held by @bob until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    });

    it('a private room\'s panel is refused to a non-member, and shows nothing of it', async () => {
        expect((await a.api('alice', 'PUT', `metadata/room/${SECRET}`, { items: [{ key: 'code', value: 'swordfish' }, { key: 'motto', value: 'hush', visibility: 'public' }] })).status).toBe(200);
        const view = await openRoomBar('bob', SECRET);
        const shown = texts(view);
        expect(shown).toContain('⚠');
        expect(shown).not.toContain('swordfish');
        expect(shown).not.toContain('hush');
        expect(buttons(view)).toEqual([]);
        // the member sees it
        expect(texts(await openRoomBar('carol', SECRET))).toContain('swordfish');
    });

    it('/meta without arguments opens the bar of the room through the UI controller', async () => {
        const since = (await a.notifications('alice')).at(-1)?.seq ?? 0;
        const res = await a.rest('alice', 'POST', '/api/v1/commands.run', { command: 'meta', params: '', roomId: TEAM, triggerId: 'from-the-composer' });
        expect(res.status).toBe(200);
        const pushed = (await a.notifications('alice', { since, wait: 5000 })).filter((n) => n.kind === 'uiInteraction');
        expect(pushed).toHaveLength(1);
        expect(pushed[0].message).toMatchObject({ type: 'contextual_bar.open', triggerId: 'from-the-composer', appId: APP_ID });
        expect(texts(pushed[0].message.view as View)).toContain('*#team* · majorRevision');
    });

    it('the message action opens the sender\'s metadata, the user-menu entry the caller\'s own', async () => {
        expect((await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'status', value: 'on call', visibility: 'public' }, { key: 'phone', value: '555' }] })).status).toBe(200);
        const posted = await a.postMessage('carol', 'team', 'hello');
        const mid = String(posted._id);
        const sender = await interact('alice', { type: 'actionButton', actionId: OPEN_SENDER, rid: TEAM, mid, payload: { context: 'messageAction' } });
        expect(sender.body.type).toBe('contextual_bar.open');
        const shown = texts(sender.body.view);
        expect(shown).toContain('*@carol*');
        expect(shown).toContain('`on call`');
        expect(shown).not.toContain('555');
        expect(buttons(sender.body.view).map((b) => b.text?.text)).not.toContain('Edit');

        const mine = await interact('carol', { type: 'actionButton', actionId: OPEN_MINE, payload: { context: 'userDropdownAction' } });
        expect(mine.body.type).toBe('contextual_bar.open');
        expect(texts(mine.body.view)).toContain('`555`');
        expect(buttons(mine.body.view).map((b) => b.text?.text)).toContain('Edit');
    });
});

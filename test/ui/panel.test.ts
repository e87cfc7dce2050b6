// SPEC §17, the panel without the engine: the interactions (src/surfaces/ui/interactions.ts) over the real service,
// core and store (in-memory persistence, fake engine), and the bar and modal builders.
import { describe, expect, it } from 'vitest';

import { t, translator } from '../../src/i18n/catalog';
import { PanelView } from '../../src/service/types';
import { actionButton, blockAction, PanelDeps, Reply, viewSubmit } from '../../src/surfaces/ui/interactions';
import {
    ACTION, CHOICE_ACTION, itemValue, modalViewId, OPEN, panelViewId, parseItemValue, parseModalViewId, parsePanelViewId, parseStateOpValue, stateOpValue,
} from '../../src/surfaces/ui/ids';
import { casRevisionOf } from '../../src/surfaces/ui/modals';
import { panelBar } from '../../src/surfaces/ui/panelView';
import { harness, Harness } from '../service/harness';

type View = { id?: string; title: { text: string }; blocks: Array<Record<string, unknown>> };
type Button = { actionId: string; text: { text: string }; value: string };

function deps(h: Harness, username: string, language = 'en'): PanelDeps {
    const names = new Map([...h.engine.users.values()].map((u) => [u.id, u.username]));
    return {
        appId: 'app-1',
        service: h.service,
        caller: h.caller(username),
        tr: (key, params) => t(key, params, language),
        userNames: async (ids) => new Map(ids.filter((id) => names.has(id)).map((id) => [id, names.get(id) as string])),
    };
}

function viewOf(reply: Reply): View {
    if ('view' in reply) return reply.view as unknown as View;
    if (reply.kind === 'close' && reply.bar) return reply.bar as unknown as View;
    throw new Error(`no view in ${JSON.stringify(reply)}`);
}

function texts(view: View): string {
    return view.blocks.flatMap((block) => [
        (block.text as { text: string } | undefined)?.text,
        ...((block.elements as Array<{ text: string | { text: string } }> | undefined) ?? []).map((e) => (typeof e.text === 'string' ? e.text : e.text?.text)),
    ]).filter(Boolean).join('\n');
}

function buttons(view: View): Button[] {
    return view.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements as Button[]);
}

function button(view: View, text: string): Button {
    const found = buttons(view).find((b) => b.text.text === text);
    if (!found) throw new Error(`no button ${text}: ${buttons(view).map((b) => b.text.text).join(', ')}`);
    return found;
}

const submitted = (view: View, state: Record<string, string>) => ({
    id: view.id,
    blocks: view.blocks,
    state: Object.fromEntries(Object.entries(state).map(([id, value]) => [id, { [id]: value }])),
});

describe('opening the panel', () => {
    it('the room action shows the room as the caller may read it, with edit buttons for an owner only', async () => {
        const h = harness();
        await h.service.set(h.caller('alice'), { namespace: 'room', ref: 'r-general' }, { items: [{ key: 'topic', value: 'Q3', visibility: 'public' }, { key: 'n', value: 5 }] });
        const alice = viewOf(await actionButton(deps(h, 'alice'), { actionId: OPEN.room, roomId: 'r-general' }));
        expect(alice.id).toBe(panelViewId({ namespace: 'room', id: 'r-general', roomId: 'r-general' }));
        expect(texts(alice)).toContain('*topic*\n`Q3`');
        expect(texts(alice)).toMatch(/number · private · rev 1 · @alice · 2024-05-01 12:00 UTC/);
        expect(buttons(alice).map((b) => b.text.text)).toEqual(['Add item', 'New state key', 'Subscribe', 'Refresh', 'Edit', 'Remove', 'Edit', 'Remove']);
        const bob = viewOf(await actionButton(deps(h, 'bob'), { actionId: OPEN.room, roomId: 'r-general' }));
        expect(texts(bob)).toContain('You may read this metadata, not change it.');
        expect(buttons(bob).map((b) => b.text.text)).toEqual(['New state key', 'Subscribe', 'Refresh']);
    });

    it('a private room is refused to a non-member: the bar says why and shows nothing of it', async () => {
        const h = harness();
        await h.service.set(h.caller('alice'), { namespace: 'room', ref: 'r-secret' }, { items: [{ key: 'code', value: 'swordfish', visibility: 'public' }] });
        const view = viewOf(await actionButton(deps(h, 'bob'), { actionId: OPEN.room, roomId: 'r-secret' }));
        expect(texts(view)).toMatch(/^⚠ /);
        expect(texts(view)).not.toContain('swordfish');
        expect(buttons(view)).toEqual([]);
    });

    it('the message action opens the sender, the user menu the caller; texts in the caller\'s language', async () => {
        const h = harness();
        const sender = viewOf(await actionButton(deps(h, 'alice', 'de'), { actionId: OPEN.sender, message: { senderId: 'u-bob', roomId: 'r-general' } }));
        expect(texts(sender)).toContain('*@bob* · majorRevision 0');
        expect(texts(sender)).toContain('Noch keine Einträge.');
        expect(buttons(sender).map((b) => b.text.text)).not.toContain('Eintrag hinzufügen');
        const mine = viewOf(await actionButton(deps(h, 'alice'), { actionId: OPEN.user }));
        expect(texts(mine)).toContain('*@alice*');
        expect(buttons(mine).map((b) => b.text.text)).toContain('Add item');
        expect(await actionButton(deps(h, 'alice'), { actionId: 'someone-else' })).toEqual({ kind: 'none' });
    });
});

describe('a message with choices (SPEC §19)', () => {
    it('the message action opens the message\'s own panel: its picks, a one-click button per choice, no item buttons', async () => {
        const h = harness();
        const { subject } = await h.service.choose(h.caller('alice'), { namespace: 'room', ref: 'general' }, { question: 'Lunch?', choices: ['pizza', 'sushi'] });
        await h.service.pick(h.caller('bob'), { namespace: 'message', ref: subject.id }, 'pizza');
        const carols = viewOf(await actionButton(deps(h, 'carol'), { actionId: OPEN.message, message: { id: subject.id, roomId: 'r-general' } }));
        const bar = viewOf(await actionButton(deps(h, 'bob'), { actionId: OPEN.message, message: { id: subject.id, roomId: 'r-general' } }));
        expect(bar.id).toBe(panelViewId({ namespace: 'message', id: subject.id, roomId: 'r-general' }));
        expect(texts(bar)).toContain(`*#general › ${subject.id}*`);
        expect(texts(bar)).toMatch(/pizza.*@bob/);
        expect(buttons(bar).map((b) => b.text.text)).toEqual(['New state key', 'Subscribe', 'Refresh', '− pizza', '+ sushi']);
        expect(buttons(carols).map((b) => b.text.text)).toEqual(['Subscribe', 'Refresh']);
        const unpick = await blockAction(deps(h, 'bob'), { actionId: ACTION.stateOp, value: button(bar, '− pizza').value });
        expect(texts(viewOf(unpick))).not.toMatch(/pizza.*@bob/);
    });

    it('a click on a message\'s button picks; a refused one is told to the clicker in the message\'s room', async () => {
        const h = harness();
        const { subject } = await h.service.choose(h.caller('alice'), { namespace: 'room', ref: 'general' }, { question: 'Who?', choices: ['me', 'you'], type: 'fww' });
        const message = { id: subject.id, roomId: 'r-general' };
        expect(await blockAction(deps(h, 'bob'), { actionId: CHOICE_ACTION, value: 'me', message })).toEqual({ kind: 'none' });
        const refused = await blockAction(deps(h, 'bob'), { actionId: CHOICE_ACTION, value: 'you', message });
        expect(refused).toMatchObject({ kind: 'tell', roomId: 'r-general' });
        expect((refused as { text: string }).text).toMatch(/first-writer-wins/);
        expect((await h.service.get(h.caller('bob'), { namespace: 'message', ref: subject.id })).state.choice.byUser).toEqual({ 'u-bob': 'me' });
    });
});

describe('editing with compare-and-set', () => {
    async function editModal(h: Harness, username: string): Promise<View> {
        const bar = viewOf(await actionButton(deps(h, username), { actionId: OPEN.user }));
        const reply = await blockAction(deps(h, username), { actionId: ACTION.edit, value: button(bar, 'Edit').value });
        expect(reply.kind).toBe('openModal');
        return viewOf(reply);
    }

    it('saves through the service, and the bar behind the modal is shown anew', async () => {
        const h = harness();
        await h.service.set(h.caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'theme', value: 'dark' }] });
        const modal = await editModal(h, 'alice');
        expect(parseModalViewId(modal.id)).toMatchObject({ kind: 'edit', key: 'theme', revision: 1, namespace: 'user', id: 'u-alice' });
        const reply = await viewSubmit(deps(h, 'alice'), submitted(modal, { value: '{"mode":"dark"}', format: 'json', visibility: 'public' }));
        expect(reply.kind).toBe('close');
        expect(texts(viewOf(reply))).toContain('"mode": "dark"');
        const after = await h.service.get(h.caller('alice'), { namespace: 'user', ref: 'me' });
        expect(after.items).toEqual([expect.objectContaining({ key: 'theme', value: { mode: 'dark' }, visibility: 'public', revision: 2 })]);
    });

    it('an input nobody touched counts with the value it was shown with', async () => {
        const h = harness();
        await h.service.set(h.caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'n', value: 5, visibility: 'public' }] });
        const modal = await editModal(h, 'alice');
        // the client sent only the value it changed: the format (JSON) and visibility are the modal's own
        expect((await viewSubmit(deps(h, 'alice'), { ...modal, state: { value: { value: '6' } } })).kind).toBe('close');
        expect((await h.service.get(h.caller('alice'), { namespace: 'user', ref: 'me' })).items[0]).toMatchObject({ value: 6, visibility: 'public' });
    });

    it('a conflict: the modal says who changed it to what, nothing is written, and saving again overwrites', async () => {
        const h = harness();
        await h.service.set(h.caller('root'), { namespace: 'user', ref: 'u-alice' }, { items: [{ key: 'theme', value: 'dark' }] });
        const modal = await editModal(h, 'alice');
        await h.service.set(h.caller('root'), { namespace: 'user', ref: 'u-alice' }, { items: [{ key: 'theme', value: 'light' }] });
        const reply = await viewSubmit(deps(h, 'alice'), submitted(modal, { value: 'blue', format: 'text', visibility: 'private' }));
        expect(reply.kind).toBe('updateModal');
        const shown = texts(viewOf(reply));
        expect(shown).toContain('*@root* changed *theme* meanwhile (2024-05-01 12:00 UTC): it is now `light` (revision 2). Nothing was written.');
        expect((await h.service.get(h.caller('alice'), { namespace: 'user', ref: 'me' })).items[0]).toMatchObject({ value: 'light', revision: 2 });
        // the same modal (a client updates the open view of that id), what was typed stays, and it now compares
        // against revision 2
        expect(viewOf(reply).id).toBe(modal.id);
        expect(JSON.stringify(viewOf(reply).blocks)).toContain('"initialValue":"blue"');
        expect(casRevisionOf(viewOf(reply).blocks)).toBe(2);
        expect((await viewSubmit(deps(h, 'alice'), submitted(viewOf(reply), { value: 'blue', format: 'text' }))).kind).toBe('close');
        expect((await h.service.get(h.caller('alice'), { namespace: 'user', ref: 'me' })).items[0]).toMatchObject({ value: 'blue', revision: 3 });
    });

    it('an item removed while it was edited: the modal names who removed it, and saving again creates it', async () => {
        const h = harness();
        await h.service.set(h.caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'theme', value: 'dark' }] });
        const modal = await editModal(h, 'alice');
        await h.service.remove(h.caller('root'), { namespace: 'user', ref: 'u-alice' }, { items: [{ key: 'theme' }] });
        const reply = await viewSubmit(deps(h, 'alice'), submitted(modal, { value: 'blue', format: 'text' }));
        expect(texts(viewOf(reply))).toContain('*@root* removed *theme* meanwhile. Nothing was written.');
        expect((await h.service.get(h.caller('alice'), { namespace: 'user', ref: 'me' })).items).toEqual([]);
        expect((await viewSubmit(deps(h, 'alice'), submitted(viewOf(reply), { value: 'blue', format: 'text' }))).kind).toBe('close');
        expect((await h.service.get(h.caller('alice'), { namespace: 'user', ref: 'me' })).items[0]).toMatchObject({ key: 'theme', value: 'blue' });
    });

    it('adding is create-only: a key that exists meanwhile is a conflict naming its writer', async () => {
        const h = harness();
        const bar = viewOf(await actionButton(deps(h, 'alice'), { actionId: OPEN.user }));
        const add = viewOf(await blockAction(deps(h, 'alice'), { actionId: ACTION.addItem, value: button(bar, 'Add item').value }));
        await h.service.set(h.caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'city', value: 'Oslo' }] });
        const reply = await viewSubmit(deps(h, 'alice'), submitted(add, { key: 'city', value: 'Bergen', format: 'text', visibility: 'default' }));
        expect(texts(viewOf(reply))).toContain('*@alice* changed *city* meanwhile');
        expect(viewOf(reply).id).toBe(add.id);
        expect(casRevisionOf(viewOf(reply).blocks)).toBe(1);
        expect((await viewSubmit(deps(h, 'alice'), submitted(viewOf(reply), { key: 'city', value: 'Bergen', format: 'text' }))).kind).toBe('close');
        expect((await h.service.get(h.caller('alice'), { namespace: 'user', ref: 'me' })).items[0]).toMatchObject({ key: 'city', value: 'Bergen', revision: 2 });
    });

    it('what the service refuses comes back at the input; bad JSON is caught before', async () => {
        const h = harness();
        await h.service.set(h.caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'theme', value: 'dark' }] });
        const modal = await editModal(h, 'alice');
        const bad = await viewSubmit(deps(h, 'alice'), submitted(modal, { value: '{oops', format: 'json' }));
        expect(bad).toMatchObject({ kind: 'errors', viewId: modal.id, errors: { value: expect.stringContaining('This is not JSON') } });
        const badKey = modalViewId({ namespace: 'user', id: 'u-alice', kind: 'add' });
        const refused = await viewSubmit(deps(h, 'alice'), { id: badKey, state: { key: { key: 'a..b' }, value: { value: 'x' }, format: { format: 'text' } } });
        expect(refused).toMatchObject({ kind: 'errors', errors: { key: expect.any(String) } });
        // bob may not write alice's metadata, whatever a forged view says
        const forged = await viewSubmit(deps(h, 'bob'), submitted(modal, { value: 'x', format: 'text' }));
        expect(forged).toMatchObject({ kind: 'errors', errors: { value: expect.any(String) } });
        expect((await h.service.get(h.caller('alice'), { namespace: 'user', ref: 'me' })).items[0].value).toBe('dark');
    });

    it('removes after a confirmation, on the revision the confirmation showed', async () => {
        const h = harness();
        await h.service.set(h.caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'theme', value: 'dark' }] });
        const bar = viewOf(await actionButton(deps(h, 'alice'), { actionId: OPEN.user }));
        const confirm = viewOf(await blockAction(deps(h, 'alice'), { actionId: ACTION.remove, value: button(bar, 'Remove').value }));
        expect(confirm.title.text).toBe('Remove theme?');
        expect(texts(confirm)).toContain('It is now `dark` (revision 1)');
        expect((await viewSubmit(deps(h, 'alice'), { id: confirm.id, state: {} })).kind).toBe('close');
        expect((await h.service.get(h.caller('alice'), { namespace: 'user', ref: 'me' })).items).toEqual([]);
    });
});

describe('state: one click', () => {
    it('a vote in a set adds the caller\'s value, the next click takes it back', async () => {
        const h = harness();
        await h.service.state(h.caller('bob'), { namespace: 'room', ref: 'r-general' }, { key: 'lunch', type: 'set', op: 'add', value: 'pizza' });
        const bar = viewOf(await actionButton(deps(h, 'alice'), { actionId: OPEN.room, roomId: 'r-general' }));
        expect(texts(bar)).toContain('*lunch* · set · pizza ×1 (@bob)');
        const voted = viewOf(await blockAction(deps(h, 'alice'), { actionId: `${ACTION.stateOp}#0`, value: button(bar, '+ pizza').value }));
        expect(texts(voted)).toContain('pizza ×2 (@alice, @bob)');
        expect(texts(voted)).toContain('Your entry: ["pizza"]');
        const back = viewOf(await blockAction(deps(h, 'alice'), { actionId: `${ACTION.stateOp}#0`, value: button(voted, '− pizza').value }));
        expect(texts(back)).toContain('pizza ×1 (@bob)');
    });

    it('offers only what the type allows: fww once, lww no take-back, nothing to a non-member', async () => {
        const h = harness();
        const room = { namespace: 'room' as const, ref: 'r-general' };
        await h.service.state(h.caller('bob'), room, { key: 'first', type: 'fww', op: 'add', value: 'a' });
        await h.service.state(h.caller('bob'), room, { key: 'last', type: 'lww', op: 'add', value: 'x' });
        await h.service.state(h.caller('alice'), room, { key: 'first', op: 'add', value: 'b' });
        await h.service.state(h.caller('alice'), room, { key: 'last', op: 'add', value: 'x' });
        const panel = await h.service.panel(h.caller('alice'), room);
        expect(panel.stateOffers.first).toEqual({ values: [undefined, undefined] });
        expect(panel.stateOffers.last).toEqual({ values: [undefined], newValue: 'add' });
        const carol = await h.service.panel(h.caller('carol'), room);
        expect(carol.may).toEqual({ write: false, changeState: false });
        expect(carol.stateOffers).toEqual({});
    });

    it('a refused click shows the service\'s reason on the bar', async () => {
        const h = harness();
        const context = { namespace: 'room' as const, id: 'r-general', roomId: 'r-general' };
        const reply = await blockAction(deps(h, 'carol'), { actionId: ACTION.stateOp, value: stateOpValue({ ...context, key: 'lunch', op: 'add', value: 'pizza' }) });
        expect(reply.kind).toBe('updateBar');
        expect(texts(viewOf(reply))).toMatch(/^⚠ /);
    });
});

describe('locks on the bar', () => {
    it('lists the subject\'s live locks with their holders', async () => {
        const h = harness();
        await h.service.acquireLock(h.caller('alice'), { namespace: 'user', ref: 'me' }, { name: 'deploy', ttl: 60, wait: 0 });
        const bar = viewOf(await actionButton(deps(h, 'alice'), { actionId: OPEN.user }));
        expect(texts(bar)).toContain('*Locks* (1)');
        expect(texts(bar)).toContain('*deploy* · held by @alice until 2024-05-01 12:01 UTC');
    });
});

describe('the bar builder', () => {
    const panel: PanelView = {
        view: { subject: { namespace: 'room', id: 'r1', name: 'team' }, majorRevision: 3, items: [], document: {}, state: {} },
        may: { write: false, changeState: false },
        subscribed: true,
        stateOffers: {},
        locks: [],
    };
    const input = { appId: 'app-1', panel, context: { namespace: 'room' as const, id: 'r1' }, callerId: 'u1', tr: translator('en'), names: new Map<string, string>(), subjectLabel: '#team' };

    it('lists locks once there are any, in their own place', () => {
        expect(texts(panelBar(input) as unknown as View)).not.toContain('Locks');
        const view = panelBar({ ...input, locks: [{ name: 'deploy', holder: 'u1', expiresAt: '2024-05-01T12:00:10.000Z' }] }) as unknown as View;
        expect(texts(view)).toContain('*Locks* (1)');
        expect(texts(view)).toContain('*deploy* · held by u1 until 2024-05-01 12:00 UTC');
    });

    it('names the first ten holders of a state value and counts the rest', () => {
        const users = Array.from({ length: 12 }, (_, i) => `u${i}`);
        const crowded: PanelView = { ...panel, view: { ...panel.view, state: { lunch: { type: 'set', byUser: {}, summary: [{ value: 'pizza', count: 12, users }] } } } };
        const shown = texts(panelBar({ ...input, panel: crowded }) as unknown as View);
        expect(shown).toContain('pizza ×12 (u0, u1, u2, u3, u4, u5, u6, u7, u8, u9, +2 more)');
        expect(shown).toContain('You have no entry yet.');
    });

    it('marks the actions with the app id, and offers unsubscribe to a subscriber', () => {
        const view = panelBar(input) as unknown as View;
        expect(view.blocks.filter((b) => b.type === 'actions').every((b) => b.appId === 'app-1')).toBe(true);
        expect(buttons(view).map((b) => b.text.text)).toEqual(['Unsubscribe', 'Refresh']);
    });
});

describe('what views and buttons carry', () => {
    it('reads back what it wrote, and nothing else', () => {
        const context = { namespace: 'room' as const, id: 'r1', roomId: 'r2' };
        expect(parsePanelViewId(panelViewId(context))).toEqual(context);
        expect(parseItemValue(itemValue(context, 'a.b', 4))).toEqual({ context, key: 'a.b', revision: 4 });
        expect(parseModalViewId(modalViewId({ ...context, kind: 'edit', key: 'k', revision: 0 }))).toEqual({ ...context, kind: 'edit', key: 'k', revision: 0 });
        expect(parseStateOpValue(stateOpValue({ ...context, key: 'v', op: 'remove', value: { a: [1] } }))).toEqual({ ...context, key: 'v', op: 'remove', value: { a: [1] } });
        for (const garbage of [undefined, '', 'x', '[]', '["team","r1",""]', '{"a":1}', 'metadata-store:edit:[1]', 'metadata-store:panel:["user","",""]']) {
            expect(parseItemValue(garbage)).toBeUndefined();
            expect(parseModalViewId(garbage)).toBeUndefined();
            expect(parsePanelViewId(garbage)).toBeUndefined();
            expect(parseStateOpValue(garbage)).toBeUndefined();
        }
    });

    it('an unknown view or a garbled button does nothing', async () => {
        const h = harness();
        expect(await viewSubmit(deps(h, 'alice'), { id: 'another-app-view', state: {} })).toEqual({ kind: 'none' });
        expect(await blockAction(deps(h, 'alice'), { actionId: ACTION.edit, value: 'nonsense' })).toEqual({ kind: 'none' });
    });
});

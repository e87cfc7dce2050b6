// SPEC §19 — state on messages, against the packaged app in the real engine on two host instances over one store:
// `/meta choose` posts a message with one button per choice; clicks come through Rocket.Chat's interaction endpoint
// (POST /api/apps/ui.interaction/<appId>, blockAction on the message) on either instance, several at once; the
// message's summary is updated in place and, once the clicks are over, matches the stored state on both instances;
// a refused click is told to the clicker alone; deleting the message purges its state (IPostMessageDeleted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, startHost, type Host, type HostInstance, type UserName } from '../../support/host';
import { BOT, GENERAL, ID, mark, SECRET, waitForEvent, type ErrorBody, type MetadataView } from './helpers';

let host: Host;
let one: HostInstance;
let two: HostInstance;

beforeAll(async () => {
    host = await startHost({ instances: 2 });
    [one, two] = host.instances;
});

afterAll(async () => {
    await host?.stop();
});

interface Button { actionId: string; value: string; text: { text: string } }
interface Block { type: string; text?: { text: string }; accessory?: Button }
interface Message { _id: string; rid: string; msg?: string; blocks?: Block[]; u?: { username?: string } }
interface StateKey { type: string; byUser: Record<string, unknown>; summary: Array<{ value: string; count: number; users: string[] }> }
type View = MetadataView & { subject: { id: string; roomId?: string }; state: Record<string, StateKey> };

let triggers = 0;

/** A click on a message's button, as Rocket.Chat's client sends it. */
function click(instance: HostInstance, user: UserName, message: Message, choice: string) {
    const button = buttonsOf(message).find((b) => b.value === choice);
    if (!button) throw new Error(`no button ${choice} on ${JSON.stringify(message.blocks)}`);
    return instance.rest(user, 'POST', `/api/apps/ui.interaction/${APP_ID}`, {
        type: 'blockAction',
        actionId: button.actionId,
        triggerId: `trigger-${++triggers}`,
        payload: { blockId: 'x', value: button.value },
        container: { type: 'message', id: message._id },
        mid: message._id,
        rid: message.rid,
    });
}

function buttonsOf(message: Message): Button[] {
    return (message.blocks ?? []).flatMap((block) => (block.accessory ? [block.accessory] : []));
}

/** The choice lines as the message shows them. */
function linesOf(message: Message): string[] {
    return (message.blocks ?? []).filter((block) => block.accessory).map((block) => block.text?.text ?? '');
}

/** The lines the message must show for the stored state, worked out here from the state as the API answers it. */
function expectedLines(view: View, usernames: Record<string, string>): string[] {
    const definition = view.document.choice as { choices: string[] };
    const summary = view.state.choice?.summary ?? [];
    return definition.choices.map((choice) => {
        const held = summary.find((entry) => entry.value === choice);
        if (!held) return `*${choice}* — no one yet`;
        return `*${choice}* — ${held.count}: ${held.users.map((id) => `@${usernames[id]}`).join(', ')}`;
    });
}

const USERNAMES = Object.fromEntries(Object.entries(ID).map(([name, id]) => [id, name]));

async function messageOn(instance: HostInstance, room: string, id: string): Promise<Message> {
    const found = (await instance.messages(room) as unknown as Message[]).find((m) => m._id === id);
    if (!found) throw new Error(`no message ${id} in ${room}`);
    return found;
}

async function post(instance: HostInstance, user: UserName, room: string, params: string): Promise<Message> {
    const before = new Set((await instance.messages(room)).map((m) => m._id as string));
    const run = await instance.command(user, room, `choose ${params}`);
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    let posted: Message | undefined;
    await expect.poll(async () => {
        posted = (await instance.messages(room) as unknown as Message[]).find((m) => !before.has(m._id) && m.u?.username === BOT && m.blocks);
        return posted !== undefined;
    }, { timeout: 10_000 }).toBe(true);
    return posted as Message;
}

/** Waits until the message on both instances shows what the stored state says; answers the state. */
async function summarySettles(room: string, id: string): Promise<View> {
    let view: View | undefined;
    await expect.poll(async () => {
        view = (await one.api<View>('admin', 'GET', `metadata/message/${id}`)).body;
        const want = expectedLines(view, USERNAMES);
        const [a, b] = await Promise.all([messageOn(one, room, id), messageOn(two, room, id)]);
        return JSON.stringify([linesOf(a), linesOf(b)]) === JSON.stringify([want, want]);
    }, { timeout: 15_000, interval: 200 }).toBe(true);
    return view as View;
}

describe('messages with choices on two instances (SPEC §19)', () => {
    it('/meta choose posts a message from the bot with one button per choice, and the message is a subject', async () => {
        const message = await post(one, 'alice', 'general', '"Lunch today?" pizza sushi "green salad" --type set');
        expect(buttonsOf(message).map((b) => [b.text.text, b.value])).toEqual([['pizza', 'pizza'], ['sushi', 'sushi'], ['green salad', 'green salad']]);
        const view = await two.api<View>('bob', 'GET', `metadata/message/${message._id}`);
        expect(view.status).toBe(200);
        expect(view.body.subject).toMatchObject({ namespace: 'message', id: message._id, roomId: GENERAL });
        expect(view.body.document.choice).toEqual({ question: 'Lunch today?', choices: ['pizza', 'sushi', 'green salad'], type: 'set' });
    });

    it('clicks by several users on two instances at once all count, and the summary matches the state on both', async () => {
        const message = await post(one, 'alice', 'general', 'Lunch? pizza sushi salad');
        const clicks = await Promise.all([
            click(one, 'alice', message, 'pizza'),
            click(two, 'bob', message, 'pizza'),
            click(one, 'carol', message, 'sushi'),
            click(two, 'admin', message, 'salad'),
            click(two, 'alice', message, 'salad'),
            click(one, 'bob', message, 'sushi'),
        ]);
        expect(clicks.map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
        const view = await summarySettles(GENERAL, message._id);
        expect(view.state.choice.byUser).toEqual({
            [ID.alice]: ['pizza', 'salad'],
            [ID.bob]: ['pizza', 'sushi'],
            [ID.carol]: ['sushi'],
            [ID.admin]: ['salad'],
        });
    });

    it('a second click on a set choice takes it back, and the summary follows on both instances', async () => {
        const message = await post(two, 'bob', 'general', 'Coffee? yes no');
        await click(one, 'carol', message, 'yes');
        await click(two, 'carol', message, 'yes');
        const view = await summarySettles(GENERAL, message._id);
        expect(view.state.choice?.byUser ?? {}).toEqual({});
    });

    it('first writer wins: concurrent first clicks all stick, a later click is refused and told to the clicker alone', async () => {
        const message = await post(one, 'alice', 'general', '"Who takes the ticket?" me you --type fww');
        await Promise.all([click(one, 'alice', message, 'me'), click(two, 'bob', message, 'you')]);
        const since = await mark(two, 'alice');
        const again = await click(two, 'alice', message, 'you');
        expect(again.status).toBe(200);
        await expect.poll(async () => (await two.notifications('alice', { since })).map((n) => String((n.message as { msg?: string }).msg ?? '')).join('\n'), { timeout: 10_000 })
            .toMatch(/first-writer-wins/);
        const view = await summarySettles(GENERAL, message._id);
        expect(view.state.choice.byUser).toEqual({ [ID.alice]: 'me', [ID.bob]: 'you' });
    });

    it('lww switches a pick and lwwn clears it, through the HTTP API as through the buttons', async () => {
        const lww = await post(one, 'alice', 'general', '"Standup time?" 9:00 9:30 --type lww');
        await click(one, 'bob', lww, '9:00');
        const switched = await two.api<View>('bob', 'POST', `metadata/message/${lww._id}/pick`, { choice: '9:30' });
        expect([switched.status, switched.body.state?.choice?.byUser]).toEqual([200, { [ID.bob]: '9:30' }]);
        await summarySettles(GENERAL, lww._id);
        const lwwn = await post(two, 'alice', 'general', '"Remote today?" yes no --type lwwn');
        await click(two, 'carol', lwwn, 'yes');
        await click(one, 'carol', lwwn, 'yes');
        expect((await summarySettles(GENERAL, lwwn._id)).state.choice?.byUser ?? {}).toEqual({});
    });

    it('the bot\'s message mentions no one a member typed into the question or a choice', async () => {
        const message = await post(one, 'bob', 'general', '"Ping @all and @alice?" @here yes');
        const stored = await messageOn(two, GENERAL, message._id) as Message & { mentions?: unknown[] };
        expect(stored.mentions ?? []).toEqual([]);
        expect(stored.msg?.replace(/\u2060/g, '')).toBe('Ping @all and @alice? (@here: 0 · yes: 0)');
    });

    it('the picks take only the message\'s choices, and a message holds no items', async () => {
        const message = await post(one, 'alice', 'general', 'Tea? green black');
        const odd = await one.api<ErrorBody>('bob', 'POST', `metadata/message/${message._id}/state`, { key: 'choice', op: 'add', value: 'rooibos' });
        expect([odd.status, odd.body.error.code]).toEqual([400, 'invalid_value']);
        const item = await two.api<ErrorBody>('admin', 'PUT', `metadata/message/${message._id}`, { items: [{ key: 'note', value: 'x' }] });
        expect([item.status, item.body.error.code]).toEqual([400, 'operation_not_allowed']);
    });

    it('POST …/choices posts one in a room over HTTP; in a private room only its members see and click it', async () => {
        const posted = await two.api<View>('alice', 'POST', `metadata/room/${SECRET}/choices`, { question: 'Offsite?', choices: ['May', 'June'], type: 'lww' });
        expect(posted.status, JSON.stringify(posted.body)).toBe(200);
        const message = await messageOn(one, 'secret', posted.body.subject.id);
        const outsider = await one.rest('bob', 'POST', `/api/apps/ui.interaction/${APP_ID}`, {
            type: 'blockAction', actionId: buttonsOf(message)[0].actionId, triggerId: 't-outsider', payload: { blockId: 'x', value: 'May' },
            container: { type: 'message', id: message._id }, mid: message._id, rid: message.rid,
        });
        expect(outsider.status).toBe(200);
        expect((await one.api<ErrorBody>('bob', 'GET', `metadata/message/${message._id}`)).status).toBe(403);
        await click(two, 'carol', message, 'June');
        expect((await summarySettles(SECRET, message._id)).state.choice.byUser).toEqual({ [ID.carol]: 'June' });
    });

    it('a subscriber of the message gets an UPDATE per click', async () => {
        const message = await post(one, 'alice', 'general', 'Snack? chips fruit');
        expect((await two.api('carol', 'POST', 'subscriptions', { subject: `message:${message._id}` })).status).toBe(200);
        const since = await mark(one, 'carol');
        await click(two, 'bob', message, 'fruit');
        const event = await waitForEvent(one, 'carol', since, (e) => e.type === 'UPDATE' && (e as { stateChanged?: string[] }).stateChanged?.includes('choice') === true);
        expect(event).toBeDefined();
    });

    it('deleting the message deletes its choices and picks', async () => {
        const message = await post(one, 'alice', 'general', 'Gone soon? yes no');
        await click(two, 'bob', message, 'yes');
        await summarySettles(GENERAL, message._id);
        const deleted = await two.rest('admin', 'POST', '/api/v1/chat.delete', { roomId: GENERAL, msgId: message._id });
        expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
        await expect.poll(async () => (await one.persistenceRecords(message._id)).length, { timeout: 10_000 }).toBe(0);
        expect((await one.api<ErrorBody>('bob', 'GET', `metadata/message/${message._id}`)).status).toBe(404);
    });
});

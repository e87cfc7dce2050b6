import { describe, expect, it } from 'vitest';

import { failure, harness } from './harness';

/** SPEC §19: a message with choices, posted by the app's bot, whose buttons people click. */

const LUNCH = { question: 'Lunch?', choices: ['pizza', 'sushi', 'salad'] };
const general = { namespace: 'room', ref: 'general' } as const;
const message = (id: string) => ({ namespace: 'message', ref: id } as const);

/** The lines of the message's blocks that name a choice, as people read them. */
function summaryLines(blocks: unknown): string[] {
    return (blocks as Array<{ text?: { text: string }; accessory?: unknown }>)
        .filter((block) => block.accessory !== undefined)
        .map((block) => block.text?.text ?? '');
}

describe('messages with choices', () => {
    it('posting choices puts one message from the bot in the room, with one button per choice', async () => {
        const { service, caller, engine } = harness();
        const view = await service.choose(caller('bob'), general, { ...LUNCH, type: 'lww' });
        const posted = engine.messages.get(view.subject.id);
        expect(posted?.room.id).toBe('r-general');
        expect(posted?.sender.id).toBe('bot');
        const buttons = (posted?.blocks as Array<{ accessory?: { value: string } }>).flatMap((block) => (block.accessory ? [block.accessory.value] : []));
        expect(buttons).toEqual(['pizza', 'sushi', 'salad']);
    });

    it('the message is a subject of its own, named after its room, holding the choices as its definition', async () => {
        const { service, caller } = harness();
        const view = await service.choose(caller('bob'), general, LUNCH);
        expect(view.subject).toMatchObject({ namespace: 'message', name: 'general', roomId: 'r-general' });
        expect(view.document).toEqual({ choice: { question: 'Lunch?', choices: ['pizza', 'sushi', 'salad'], type: 'set' } });
    });

    it('a click on a choice of a set adds it to the clicker\'s picks, and a second click takes it back', async () => {
        const { service, caller } = harness();
        const { subject } = await service.choose(caller('bob'), general, LUNCH);
        const added = await service.pick(caller('alice'), message(subject.id), 'sushi');
        expect(added.state.choice.byUser).toEqual({ 'u-alice': ['sushi'] });
        const removed = await service.pick(caller('alice'), message(subject.id), 'sushi');
        expect(removed.state.choice?.byUser ?? {}).toEqual({});
    });

    it('first writer wins: a second click is refused with the reason, and the first pick stays', async () => {
        const { service, caller } = harness();
        const { subject } = await service.choose(caller('bob'), general, { ...LUNCH, type: 'fww' });
        await service.pick(caller('alice'), message(subject.id), 'pizza');
        const error = await failure(service.pick(caller('alice'), message(subject.id), 'salad'));
        expect(error.code).toBe('operation_not_allowed');
        expect(error.message).toMatch(/first writer wins/);
        expect((await service.get(caller('alice'), message(subject.id))).state.choice.byUser).toEqual({ 'u-alice': 'pizza' });
    });

    it('last writer wins: a click on another choice switches the pick', async () => {
        const { service, caller } = harness();
        const { subject } = await service.choose(caller('bob'), general, { ...LUNCH, type: 'lww' });
        await service.pick(caller('alice'), message(subject.id), 'pizza');
        const view = await service.pick(caller('alice'), message(subject.id), 'salad');
        expect(view.state.choice.byUser).toEqual({ 'u-alice': 'salad' });
    });

    it('lwwn: a click on one\'s own pick clears it', async () => {
        const { service, caller } = harness();
        const { subject } = await service.choose(caller('bob'), general, { ...LUNCH, type: 'lwwn' });
        await service.pick(caller('alice'), message(subject.id), 'pizza');
        const view = await service.pick(caller('alice'), message(subject.id), 'pizza');
        expect(view.state.choice?.byUser ?? {}).toEqual({});
    });

    it('after every click the message shows each choice with its count and who picked it', async () => {
        const { service, caller, engine } = harness();
        const { subject } = await service.choose(caller('bob'), general, LUNCH);
        await service.pick(caller('alice'), message(subject.id), 'pizza');
        await service.pick(caller('bob'), message(subject.id), 'pizza');
        await service.pick(caller('bob'), message(subject.id), 'salad');
        expect(summaryLines(engine.messages.get(subject.id)?.blocks)).toEqual([
            '*pizza* — 2: @alice, @bob',
            '*sushi* — no one yet',
            '*salad* — 1: @bob',
        ]);
        expect(engine.messages.get(subject.id)?.text).toBe('Lunch? (pizza: 2 · sushi: 0 · salad: 1)');
    });

    it('the message\'s text mentions no one, whatever the question or choices say', async () => {
        const { service, caller, engine } = harness();
        const { subject } = await service.choose(caller('bob'), general, { question: 'Ping @all?', choices: ['@here', 'alice@bob'] });
        const text = engine.messages.get(subject.id)?.text ?? '';
        expect(text.replace(/\u2060/g, '')).toBe('Ping @all? (@here: 0 · alice@bob: 0)');
        expect(text).not.toMatch(/(^|\s|>|<)@[\w.-]/);
    });

    it('the picks take only the message\'s choices, whichever way they are written', async () => {
        const { service, caller } = harness();
        const { subject } = await service.choose(caller('bob'), general, LUNCH);
        const click = await failure(service.pick(caller('alice'), message(subject.id), 'pineapple'));
        const state = await failure(service.state(caller('alice'), message(subject.id), { key: 'choice', op: 'add', value: 'pineapple' }));
        expect([click.code, state.code]).toEqual(['invalid_value', 'invalid_value']);
    });

    it('the picks keep the message\'s type: a state write of another type is 400 type_mismatch', async () => {
        const { service, caller } = harness();
        const { subject } = await service.choose(caller('bob'), general, { ...LUNCH, type: 'fww' });
        const error = await failure(service.state(caller('alice'), message(subject.id), { key: 'choice', type: 'set', op: 'add', value: 'pizza' }));
        expect(error.code).toBe('type_mismatch');
    });

    it('a message holds state only: an item write on it is refused and nothing changes', async () => {
        const { service, caller } = harness();
        const { subject } = await service.choose(caller('bob'), general, LUNCH);
        const error = await failure(service.set(caller('root'), message(subject.id), { items: [{ key: 'choice', value: 'hijacked' }] }));
        expect(error.code).toBe('operation_not_allowed');
        expect((await service.get(caller('alice'), message(subject.id))).document.choice).toMatchObject({ question: 'Lunch?' });
    });

    it('a message in a private room is read and clicked by its members only', async () => {
        const { service, caller } = harness();
        const { subject } = await service.choose(caller('alice'), { namespace: 'room', ref: 'secret' }, LUNCH);
        const read = await failure(service.get(caller('bob'), message(subject.id)));
        const click = await failure(service.pick(caller('bob'), message(subject.id), 'pizza'));
        expect([read.code, click.code]).toEqual(['forbidden', 'forbidden']);
        expect((await service.pick(caller('carol'), message(subject.id), 'pizza')).state.choice.byUser).toEqual({ 'u-carol': ['pizza'] });
    });

    it('only members post choices in a room', async () => {
        const { service, caller, engine } = harness();
        const error = await failure(service.choose(caller('carol'), general, LUNCH));
        expect(error.code).toBe('forbidden');
        expect(engine.posted).toEqual([]);
    });

    it('choices go into rooms only', async () => {
        const { service, caller } = harness();
        const error = await failure(service.choose(caller('alice'), { namespace: 'user', ref: 'me' }, LUNCH));
        expect(error.code).toBe('invalid_request');
    });

    it('a bad definition is refused before anything is posted', async () => {
        const { service, caller, engine } = harness();
        const error = await failure(service.choose(caller('alice'), general, { question: 'Lunch?', choices: ['pizza'] }));
        expect(error.code).toBe('invalid_request');
        expect(engine.posted).toEqual([]);
    });

    it('a message that is not one with choices has none to pick: 400', async () => {
        const { service, caller, engine } = harness();
        engine.messages.set('m-plain', { id: 'm-plain', room: engine.iRoom('r-general'), sender: engine.iUser('u-bob'), text: 'hi' } as never);
        const error = await failure(service.pick(caller('alice'), message('m-plain'), 'pizza'));
        expect(error.code).toBe('operation_not_allowed');
    });

    it('an unknown message is 404 subject_not_found', async () => {
        const { service, caller } = harness();
        const error = await failure(service.get(caller('alice'), message('no-such-message')));
        expect([error.status, error.code]).toEqual([404, 'subject_not_found']);
    });
});

import { describe, expect, it } from 'vitest';

import { SETTING } from '../../src/settings';
import { harness } from '../service/harness';

const alice = { namespace: 'user', ref: 'alice' } as const;
const me = { namespace: 'user', ref: 'me' } as const;

async function bobSubscribedToAlice() {
    const h = harness({ withEvents: true });
    await h.service.subscribe(h.caller('bob'), alice, 'r-general');
    h.engine.notifications.length = 0;
    return h;
}

describe('UPDATE events', () => {
    it('a change reaches the subscriber as an ephemeral message from the app\'s bot in the delivery room', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, { items: [{ key: 'mood', value: 'happy', visibility: 'public' }] });
        expect(engine.notifications).toHaveLength(1);
        const [{ user, message }] = engine.notifications;
        expect([user.id, message.sender.id, message.room.id]).toEqual(['u-bob', 'bot', 'r-general']);
        expect(message.text).toContain('mood');
    });

    it('the event carries the whole readable set, what changed, the actor and the time', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'public' }] });
        await service.set(caller('alice'), me, { items: [{ key: 'b', value: 2, visibility: 'public' }] });
        expect(engine.eventsOf('u-bob')[1]).toMatchObject({
            type: 'UPDATE',
            subject: { namespace: 'user', id: 'u-alice', name: 'alice' },
            majorRevision: 2,
            document: { a: 1, b: 2 },
            changed: ['b'],
            removed: [],
            stateChanged: [],
            actor: { id: 'u-alice', username: 'alice' },
            at: '2024-05-01T12:00:00.000Z',
        });
    });

    it('the cause of the write is forwarded in the event', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'public' }], cause: { ticket: 42 } });
        expect(engine.eventsOf('u-bob')[0].cause).toEqual({ ticket: 42 });
    });

    it('an event of a write without a cause has no cause field', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'public' }] });
        expect('cause' in engine.eventsOf('u-bob')[0]).toBe(false);
    });

    it('a write that changes nothing sends no event', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'public' }] });
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        expect(engine.notifications).toHaveLength(1);
    });

    it('a state change is sent with the key that changed', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.state(caller('carol'), alice, { key: 'likes', op: 'add', value: 'tea' });
        expect(engine.eventsOf('u-bob')[0]).toMatchObject({ stateChanged: ['likes'], state: { likes: { type: 'set' } } });
    });

    it('every subscriber gets the change, and nobody else', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.subscribe(caller('root'), alice);
        engine.notifications.length = 0;
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'public' }] });
        expect(engine.notifications.map((n) => n.user.id).sort()).toEqual(['u-bob', 'u-root']);
    });

    it('a subscriber whose delivery fails does not keep the others from their event', async () => {
        const h = await bobSubscribedToAlice();
        await h.service.subscribe(h.caller('carol'), alice, 'r-secret');
        h.engine.notifications.length = 0;
        h.engine.rooms.delete('r-general');
        await h.service.set(h.caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'public' }] });
        expect(h.engine.notifications.map((n) => n.user.id)).toEqual(['u-carol']);
        expect(JSON.stringify(h.errors)).toContain('r-general');
    });
});

describe('events never show a subscriber what they may not read', () => {
    it('a subscriber without private access gets only the public items', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, {
            items: [{ key: 'pub', value: 1, visibility: 'public' }, { key: 'priv', value: 2, visibility: 'private' }],
        });
        const [event] = engine.eventsOf('u-bob');
        expect([event.changed, event.document, JSON.stringify(event).includes('priv')]).toEqual([['pub'], { pub: 1 }, false]);
    });

    it('a change to private items only is not sent to a subscriber without private access', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, { items: [{ key: 'priv', value: 2, visibility: 'private' }] });
        expect(engine.notifications).toHaveLength(0);
    });

    it('the user themself, subscribed to their own metadata, gets private changes', async () => {
        const h = harness({ withEvents: true });
        await h.service.subscribe(h.caller('alice'), me, 'r-general');
        await h.service.set(h.caller('alice'), me, { items: [{ key: 'priv', value: 2, visibility: 'private' }] });
        expect(h.engine.eventsOf('u-alice')[1]).toMatchObject({ changed: ['priv'], document: { priv: 2 } });
    });

    it('removing a private item is not reported to a subscriber without private access', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, {
            items: [{ key: 'pub', value: 1, visibility: 'public' }, { key: 'priv', value: 2, visibility: 'private' }],
        });
        await service.remove(caller('alice'), me, {});
        expect(engine.eventsOf('u-bob')[1]).toMatchObject({ removed: ['pub'], changed: [] });
    });

    it('an item turned private looks removed to a subscriber without private access', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'public' }] });
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'private' }] });
        expect(engine.eventsOf('u-bob')[1]).toMatchObject({ removed: ['a'], changed: [], items: [] });
    });

    it('a subscriber who left a private room gets no more of its events', async () => {
        const h = harness({ withEvents: true });
        await h.service.subscribe(h.caller('carol'), { namespace: 'room', ref: 'secret' }, 'r-secret');
        h.engine.leave('r-secret', 'u-carol');
        h.engine.notifications.length = 0;
        await h.service.set(h.caller('alice'), { namespace: 'room', ref: 'secret' }, { items: [{ key: 'a', value: 1, visibility: 'public' }] });
        expect(h.engine.notifications).toHaveLength(0);
    });

    it('a non-member subscribed to a public channel gets its public changes only', async () => {
        const h = harness({ withEvents: true });
        h.engine.addRoom({ id: 'r-carol', name: 'carol-room', type: 'p', members: ['u-carol'] });
        await h.service.subscribe(h.caller('carol'), { namespace: 'room', ref: 'general' }, 'r-carol');
        h.engine.notifications.length = 0;
        await h.service.set(h.caller('alice'), { namespace: 'room', ref: 'general' }, {
            items: [{ key: 'topic', value: 'launch', visibility: 'public' }, { key: 'budget', value: 9, visibility: 'private' }],
        });
        expect(h.engine.eventsOf('u-carol')[0]).toMatchObject({ changed: ['topic'], document: { topic: 'launch' } });
    });
});

describe('coalescing', () => {
    it('with the window off, every write is its own event', async () => {
        const { service, caller, engine } = await bobSubscribedToAlice();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'public' }] });
        await service.set(caller('alice'), me, { items: [{ key: 'b', value: 2, visibility: 'public' }] });
        expect(engine.eventsOf('u-bob').map((e) => e.changed)).toEqual([['a'], ['b']]);
    });

    it('writes within the window arrive as one event with the latest data and the keys unioned', async () => {
        const h = await bobSubscribedToAlice();
        h.engine.settings[SETTING.coalesceWindowMs] = 30;
        await h.service.set(h.caller('alice'), me, { items: [{ key: 'a', value: 1, visibility: 'public' }], cause: 'first' });
        await h.service.set(h.caller('alice'), me, { items: [{ key: 'b', value: 2, visibility: 'public' }], cause: 'second' });
        expect(h.engine.notifications).toHaveLength(0);
        await new Promise((resolve) => setTimeout(resolve, 60));
        expect(h.engine.eventsOf('u-bob')).toEqual([expect.objectContaining({
            majorRevision: 2, changed: ['a', 'b'], document: { a: 1, b: 2 }, cause: 'second',
        })]);
    });
});

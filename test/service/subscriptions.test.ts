import { describe, expect, it } from 'vitest';

import { failure, harness } from './harness';

describe('subscribing', () => {
    it('a user subscribes to a subject they may read, with events in a room they are in', async () => {
        const { service, caller } = harness();
        const subscription = await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'r-general');
        expect(subscription).toEqual({
            subject: { namespace: 'user', id: 'u-alice', name: 'alice' },
            roomId: 'r-general',
            createdAt: '2024-05-01T12:00:00.000Z',
        });
    });

    it('the delivery room may be named by its name', async () => {
        const { service, caller } = harness();
        expect((await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'general')).roomId).toBe('r-general');
    });

    it('without a room, events go to the direct room with the app\'s bot, created on first need', async () => {
        const { service, caller, engine } = harness();
        const subscription = await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' });
        const room = engine.rooms.get(subscription.roomId);
        expect([room?.type, room?.members?.sort()]).toEqual(['d', ['bot', 'u-bob']]);
    });

    it('an existing direct room with the bot is reused', async () => {
        const { service, caller, engine } = harness();
        engine.addRoom({ id: 'r-bot-bob', name: 'bot-bob', type: 'd', members: ['bot', 'u-bob'] });
        expect((await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' })).roomId).toBe('r-bot-bob');
        expect(engine.createdRooms).toHaveLength(0);
    });

    it('when no direct room can be had, the answer says to name a room', async () => {
        const { service, caller, engine } = harness();
        engine.createRoomError = new Error('no permission');
        const error = await failure(service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }));
        expect([error.status, error.code]).toEqual([400, 'operation_not_allowed']);
        expect(error.message).toContain('roomId');
    });

    it('a subject the caller may not read cannot be subscribed to: 403', async () => {
        const { service, caller } = harness();
        const error = await failure(service.subscribe(caller('bob'), { namespace: 'room', ref: 'secret' }, 'r-general'));
        expect([error.status, error.code]).toEqual([403, 'forbidden']);
    });

    it('events cannot be sent to a room the caller is not in: 403', async () => {
        const { service, caller } = harness();
        const error = await failure(service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'r-secret'));
        expect([error.status, error.code]).toEqual([403, 'forbidden']);
    });

    it('an unknown delivery room is 400 invalid_request', async () => {
        const { service, caller } = harness();
        const error = await failure(service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'nowhere'));
        expect([error.status, error.code]).toEqual([400, 'invalid_request']);
    });

    it('the new subscriber gets a SNAPSHOT of what they may read', async () => {
        const { service, caller, engine } = harness();
        await service.set(caller('alice'), { namespace: 'user', ref: 'me' }, {
            items: [{ key: 'pub', value: 1, visibility: 'public' }, { key: 'priv', value: 2, visibility: 'private' }],
        });
        await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'r-general');
        const [event] = engine.eventsOf('u-bob');
        expect(event).toMatchObject({ type: 'SNAPSHOT', majorRevision: 1, document: { pub: 1 }, changed: [], removed: [] });
    });

    it('a SNAPSHOT that cannot be delivered does not undo the subscription', async () => {
        const { service, caller, engine, errors } = harness();
        engine.notifyError = new Error('offline');
        await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'r-general');
        expect((await service.subscriptions(caller('bob'))).map((s) => s.subject.name)).toEqual(['alice']);
        expect(JSON.stringify(errors)).toContain('offline');
    });

    it('subscribing again moves the subscription to the new room', async () => {
        const { service, caller } = harness();
        await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'r-general');
        await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'r-dm');
        expect((await service.subscriptions(caller('bob'))).map((s) => s.roomId)).toEqual(['r-dm']);
    });
});

describe('listing and leaving subscriptions', () => {
    it('a user lists their own subscriptions, with subject names', async () => {
        const { service, caller, clock } = harness();
        await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'r-general');
        clock.advance(1000);
        await service.subscribe(caller('bob'), { namespace: 'room', ref: 'general' }, 'r-general');
        await service.subscribe(caller('alice'), { namespace: 'room', ref: 'general' }, 'r-general');
        const list = await service.subscriptions(caller('bob'));
        expect(list.map((s) => `${s.subject.namespace}:${s.subject.name}`)).toEqual(['user:alice', 'room:general']);
    });

    it('unsubscribing removes the subscription', async () => {
        const { service, caller } = harness();
        await service.subscribe(caller('bob'), { namespace: 'user', ref: 'alice' }, 'r-general');
        await service.unsubscribe(caller('bob'), { namespace: 'user', ref: 'alice' });
        expect(await service.subscriptions(caller('bob'))).toEqual([]);
    });

    it('unsubscribing from something not subscribed to succeeds quietly', async () => {
        const { service, caller } = harness();
        await expect(service.unsubscribe(caller('bob'), { namespace: 'user', ref: 'alice' })).resolves.toBeUndefined();
    });

    it('a subscription to a subject that no longer exists can still be left by its id', async () => {
        const { service, caller, engine } = harness();
        await service.subscribe(caller('bob'), { namespace: 'user', ref: 'carol' }, 'r-general');
        engine.users.delete('u-carol');
        await service.unsubscribe(caller('bob'), { namespace: 'user', ref: 'u-carol' });
        expect(await service.subscriptions(caller('bob'))).toEqual([]);
    });
});

import { describe, expect, it } from 'vitest';

import { failure, harness } from './harness';

describe('collaborative state', () => {
    it('any user may add to a set on another user', async () => {
        const { service, caller } = harness();
        const view = await service.state(caller('bob'), { namespace: 'user', ref: 'alice' }, { key: 'likes', op: 'add', value: 'tea' });
        expect(view.state.likes).toMatchObject({ type: 'set', byUser: { 'u-bob': ['tea'] } });
    });

    it('a state change does not touch majorRevision', async () => {
        const { service, caller } = harness();
        await service.set(caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'a', value: 1 }] });
        const view = await service.state(caller('bob'), { namespace: 'user', ref: 'alice' }, { key: 'likes', op: 'add', value: 'tea' });
        expect(view.majorRevision).toBe(1);
    });

    it('any member of a room may change their entry, even without write access to its items', async () => {
        const { service, caller } = harness();
        const view = await service.state(caller('bob'), { namespace: 'room', ref: 'general' }, { key: 'rsvp', type: 'lww', op: 'add', value: 'yes' });
        expect(view.state.rsvp.byUser).toEqual({ 'u-bob': 'yes' });
    });

    it('a non-member may not change state on a room: 403', async () => {
        const { service, caller } = harness();
        const error = await failure(service.state(caller('carol'), { namespace: 'room', ref: 'general' }, { key: 'rsvp', op: 'add', value: 'yes' }));
        expect([error.status, error.code]).toEqual([403, 'forbidden']);
    });

    it('reads show every user\'s entry and the summary', async () => {
        const { service, caller } = harness();
        const alice = { namespace: 'user', ref: 'alice' } as const;
        await service.state(caller('bob'), alice, { key: 'likes', op: 'add', value: 'tea' });
        await service.state(caller('carol'), alice, { key: 'likes', op: 'add', value: 'tea' });
        const view = await service.get(caller('root'), alice);
        expect(view.state.likes.summary).toEqual([{ value: 'tea', count: 2, users: ['u-bob', 'u-carol'] }]);
    });

    it('a type mismatch is 400 type_mismatch', async () => {
        const { service, caller } = harness();
        const alice = { namespace: 'user', ref: 'alice' } as const;
        await service.state(caller('bob'), alice, { key: 'likes', op: 'add', value: 'tea' });
        const error = await failure(service.state(caller('bob'), alice, { key: 'likes', type: 'lww', op: 'add', value: 'tea' }));
        expect([error.status, error.code]).toEqual([400, 'type_mismatch']);
    });
});

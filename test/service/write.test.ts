import { describe, expect, it } from 'vitest';

import { SETTING } from '../../src/settings';
import { failure, harness, START } from './harness';

const me = { namespace: 'user', ref: 'me' } as const;

describe('writing a user\'s metadata', () => {
    it('a user writes their own metadata and gets the set as it stands after the write', async () => {
        const { service, caller } = harness();
        const view = await service.set(caller('alice'), me, { items: [{ key: 'theme', value: 'dark' }] });
        expect(view).toMatchObject({ majorRevision: 1, document: { theme: 'dark' } });
    });

    it('an item records when (from the clock) and by whom it was written', async () => {
        const { service, caller, clock } = harness();
        clock.advance(1500);
        const view = await service.set(caller('alice'), me, { items: [{ key: 'theme', value: 'dark' }] });
        expect(view.items[0]).toMatchObject({ revision: 1, updatedAt: new Date(START + 1500).toISOString(), updatedBy: 'u-alice' });
    });

    it('another user may not write it: 403 with a message naming who may', async () => {
        const { service, caller } = harness();
        const error = await failure(service.set(caller('bob'), { namespace: 'user', ref: 'alice' }, { items: [{ key: 'a', value: 1 }] }));
        expect([error.status, error.code]).toEqual([403, 'forbidden']);
        expect(error.message).toContain('alice');
    });

    it('a denied write stores nothing', async () => {
        const { service, caller } = harness();
        await failure(service.set(caller('bob'), { namespace: 'user', ref: 'alice' }, { items: [{ key: 'a', value: 1 }] }));
        expect((await service.get(caller('alice'), me)).majorRevision).toBe(0);
    });

    it('an admin writes any user\'s metadata', async () => {
        const { service, caller } = harness();
        const view = await service.set(caller('root'), { namespace: 'user', ref: 'alice' }, { items: [{ key: 'a', value: 1 }] });
        expect(view.majorRevision).toBe(1);
    });

    it('with no admin roles configured, an admin is like anyone else', async () => {
        const h = harness();
        h.engine.settings[SETTING.adminRoles] = '';
        const error = await failure(h.service.set(h.caller('root'), { namespace: 'user', ref: 'alice' }, { items: [{ key: 'a', value: 1 }] }));
        expect(error.code).toBe('forbidden');
    });
});

describe('writing a room\'s metadata', () => {
    const general = { namespace: 'room', ref: 'general' } as const;
    const secret = { namespace: 'room', ref: 'secret' } as const;

    it('the room owner writes', async () => {
        const { service, caller } = harness();
        expect((await service.set(caller('alice'), general, { items: [{ key: 'a', value: 1 }] })).majorRevision).toBe(1);
    });

    it('a moderator writes', async () => {
        const { service, caller } = harness();
        expect((await service.set(caller('carol'), secret, { items: [{ key: 'a', value: 1 }] })).majorRevision).toBe(1);
    });

    it('a plain member may not write by default: 403', async () => {
        const { service, caller } = harness();
        const error = await failure(service.set(caller('bob'), general, { items: [{ key: 'a', value: 1 }] }));
        expect([error.status, error.code]).toEqual([403, 'forbidden']);
        expect(error.message).toContain('general');
    });

    it('a plain member writes when the admin lets members write', async () => {
        const h = harness();
        h.engine.settings[SETTING.membersMayWriteRooms] = true;
        expect((await h.service.set(h.caller('bob'), general, { items: [{ key: 'a', value: 1 }] })).majorRevision).toBe(1);
    });

    it('a non-member may not write even when members may', async () => {
        const h = harness();
        h.engine.settings[SETTING.membersMayWriteRooms] = true;
        expect((await failure(h.service.set(h.caller('carol'), general, { items: [{ key: 'a', value: 1 }] }))).code).toBe('forbidden');
    });

    it('either member of a direct room writes its metadata', async () => {
        const { service, caller } = harness();
        expect((await service.set(caller('bob'), { namespace: 'room', ref: 'r-dm' }, { items: [{ key: 'a', value: 1 }] })).majorRevision).toBe(1);
    });
});

describe('what a write does', () => {
    it('new items take the default visibility from the settings: private out of the box', async () => {
        const { service, caller } = harness();
        const view = await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        expect(view.items[0].visibility).toBe('private');
    });

    it('new items are public when the admin made public the default', async () => {
        const h = harness();
        h.engine.settings[SETTING.defaultVisibility] = 'public';
        const view = await h.service.set(h.caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        expect(view.items[0].visibility).toBe('public');
    });

    it('update, merge and remove run through the same service', async () => {
        const { service, caller } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }] });
        await service.update(caller('alice'), me, { items: [{ key: 'a', value: 10 }] });
        await service.merge(caller('alice'), me, { patch: { c: { d: 3 } } });
        const view = await service.remove(caller('alice'), me, { items: [{ key: 'b' }] });
        expect([view.majorRevision, view.document]).toEqual([4, { a: 10, c: { d: 3 } }]);
    });

    it('a revision conflict is 409 with the current revisions, and nothing is written', async () => {
        const { service, caller } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        const error = await failure(service.set(caller('alice'), me, { majorRevision: 0, items: [{ key: 'a', value: 2 }] }));
        expect([error.status, error.code, error.body.majorRevision]).toEqual([409, 'revision_conflict', 1]);
        expect((await service.get(caller('alice'), me)).document).toEqual({ a: 1 });
    });

    it('the limits come from the settings: a value over the admin\'s limit is 413', async () => {
        const h = harness();
        h.engine.settings[SETTING.valueBytes] = 10;
        const error = await failure(h.service.set(h.caller('alice'), me, { items: [{ key: 'a', value: 'x'.repeat(20) }] }));
        expect([error.status, error.code]).toEqual([413, 'too_large']);
    });

    it('a cause over the limit is 413 and nothing is written', async () => {
        const h = harness();
        h.engine.settings[SETTING.causeBytes] = 8;
        const error = await failure(h.service.set(h.caller('alice'), me, { items: [{ key: 'a', value: 1 }], cause: 'far too long a cause' }));
        expect(error.code).toBe('too_large');
        expect((await h.service.get(h.caller('alice'), me)).majorRevision).toBe(0);
    });

    it('a malformed cause is 400 and nothing is written', async () => {
        const h = harness();
        const error = await failure(h.service.set(h.caller('alice'), me, { items: [{ key: 'a', value: 1 }], cause: 7 as unknown as string }));
        expect([error.status, error.code]).toEqual([400, 'invalid_request']);
        expect((await h.service.get(h.caller('alice'), me)).majorRevision).toBe(0);
    });

    it('a state operation\'s cause is held to the same limit', async () => {
        const h = harness();
        h.engine.settings[SETTING.causeBytes] = 8;
        const error = await failure(h.service.state(h.caller('alice'), me, { key: 'votes', op: 'add', value: 'x', cause: 'far too long a cause' }));
        expect(error.code).toBe('too_large');
        expect((await h.service.get(h.caller('alice'), me)).state).toEqual({});
    });

    it('the cause is never in the answer nor stored', async () => {
        const { service, caller, db } = harness();
        const view = await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }], cause: 'import-42' });
        expect(JSON.stringify(view)).not.toContain('import-42');
        expect(JSON.stringify(db.records)).not.toContain('import-42');
    });
});

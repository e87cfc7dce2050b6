import { describe, expect, it } from 'vitest';

import { SETTING } from '../../src/settings';
import { failure, harness } from './harness';

async function aliceWithPublicAndPrivate() {
    const h = harness();
    await h.service.set(h.caller('alice'), { namespace: 'user', ref: 'me' }, {
        items: [
            { key: 'contact.first_name', value: 'Grace', visibility: 'public' },
            { key: 'contact.phone', value: '555-0100', visibility: 'private' },
            { key: 'state', value: 'open', visibility: 'public' },
        ],
    });
    return h;
}

describe('reading a user\'s metadata', () => {
    it('a subject never written reads as revision 0 with nothing in it', async () => {
        const { service, caller } = harness();
        expect(await service.get(caller('bob'), { namespace: 'user', ref: 'alice' })).toEqual({
            subject: { namespace: 'user', id: 'u-alice', name: 'alice' },
            majorRevision: 0,
            items: [],
            document: {},
            state: {},
        });
    });

    it('the user themself reads every item', async () => {
        const { service, caller } = await aliceWithPublicAndPrivate();
        const view = await service.get(caller('alice'), { namespace: 'user', ref: 'me' });
        expect(view.items.map((i) => i.key)).toEqual(['contact.first_name', 'contact.phone', 'state']);
    });

    it('another user reads only the public items', async () => {
        const { service, caller } = await aliceWithPublicAndPrivate();
        const view = await service.get(caller('bob'), { namespace: 'user', ref: 'alice' });
        expect(view.items.map((i) => i.key)).toEqual(['contact.first_name', 'state']);
    });

    it('the document another user sees holds no private value', async () => {
        const { service, caller } = await aliceWithPublicAndPrivate();
        const view = await service.get(caller('bob'), { namespace: 'user', ref: 'alice' });
        expect(view.document).toEqual({ contact: { first_name: 'Grace' }, state: 'open' });
    });

    it('an admin reads the private items of any user', async () => {
        const { service, caller } = await aliceWithPublicAndPrivate();
        const view = await service.get(caller('root'), { namespace: 'user', ref: 'alice' });
        expect(view.document).toEqual({ contact: { first_name: 'Grace', phone: '555-0100' }, state: 'open' });
    });

    it('a role the admin configured reads private items like an admin', async () => {
        const h = await aliceWithPublicAndPrivate();
        h.engine.settings[SETTING.adminRoles] = 'admin, auditor';
        h.engine.addUser({ id: 'u-dave', username: 'dave', roles: ['user', 'auditor'] });
        const view = await h.service.get(h.caller('dave'), { namespace: 'user', ref: 'alice' });
        expect(view.items).toHaveLength(3);
    });

    it('chosen keys select those items and the items under them', async () => {
        const { service, caller } = await aliceWithPublicAndPrivate();
        const view = await service.get(caller('alice'), { namespace: 'user', ref: 'me' }, ['contact']);
        expect(view.document).toEqual({ contact: { first_name: 'Grace', phone: '555-0100' } });
    });

    it('chosen keys never reveal a private item to another user', async () => {
        const { service, caller } = await aliceWithPublicAndPrivate();
        const view = await service.get(caller('bob'), { namespace: 'user', ref: 'alice' }, ['contact.phone']);
        expect(view.items).toEqual([]);
    });
});

describe('reading a room\'s metadata', () => {
    async function roomsWithItems() {
        const h = harness();
        for (const ref of ['general', 'secret']) {
            await h.service.set(h.caller('alice'), { namespace: 'room', ref }, {
                items: [{ key: 'topic', value: 'launch', visibility: 'public' }, { key: 'budget', value: 100, visibility: 'private' }],
            });
        }
        return h;
    }

    it('a non-member reads the public items of a public channel', async () => {
        const { service, caller } = await roomsWithItems();
        const view = await service.get(caller('carol'), { namespace: 'room', ref: 'general' });
        expect(view.document).toEqual({ topic: 'launch' });
    });

    it('a member reads the private items of their room', async () => {
        const { service, caller } = await roomsWithItems();
        const view = await service.get(caller('bob'), { namespace: 'room', ref: 'general' });
        expect(view.document).toEqual({ budget: 100, topic: 'launch' });
    });

    it('a non-member may not read a private group at all: 403', async () => {
        const { service, caller } = await roomsWithItems();
        const error = await failure(service.get(caller('bob'), { namespace: 'room', ref: 'secret' }));
        expect([error.status, error.code]).toEqual([403, 'forbidden']);
        expect(error.message).toContain('secret');
    });

    it('an admin reads a private group without being a member', async () => {
        const { service, caller } = await roomsWithItems();
        expect((await service.get(caller('root'), { namespace: 'room', ref: 'secret' })).items).toHaveLength(2);
    });

    it('a non-member may not read a direct room', async () => {
        const { service, caller } = harness();
        expect((await failure(service.get(caller('carol'), { namespace: 'room', ref: 'r-dm' }))).code).toBe('forbidden');
    });
});

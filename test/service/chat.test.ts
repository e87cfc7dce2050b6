import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { describe, expect, it } from 'vitest';

import { createChat } from '../../src/engine/chat';
import { FakeEngine } from '../support/fakeEngine';
import { world } from './harness';

/** The engine's reader, counting the lookups the chat port makes. */
function counted(engine: FakeEngine) {
    const counts = { room: 0, bot: 0, user: 0 };
    const base = engine.read;
    const read = {
        ...base,
        getRoomReader: () => {
            const rooms = base.getRoomReader();
            return { ...rooms, getById: (id: string) => (counts.room++, rooms.getById(id)) };
        },
        getUserReader: () => {
            const users = base.getUserReader();
            return { ...users, getById: (id: string) => (counts.user++, users.getById(id)), getAppUser: () => (counts.bot++, users.getAppUser()) };
        },
    } as unknown as IRead;
    return { chat: createChat(read, engine.modify), counts };
}

const room = { namespace: 'room' as const, id: 'r-general' };

describe('the chat port over the engine', () => {
    it('the effects of one write share one lookup of the room and of the bot (the mirror and the status message)', async () => {
        const engine = world();
        engine.rooms.get('r-general')!.creator = 'u-alice';
        const { chat, counts } = counted(engine);
        const [update, posted] = await Promise.all([
            chat.updateCustomFields(room, () => ({ metadata: { topic: 'Q3' } })),
            chat.post('r-general', 'alice changed metadata: `topic` = `Q3`'),
        ]);
        expect([update.status, posted]).toEqual(['written', true]);
        expect(counts).toEqual({ room: 1, bot: 1, user: 0 });
        expect(engine.rooms.get('r-general')!.customFields).toEqual({ metadata: { topic: 'Q3' } });
    });

    it('keeps no room it read once the lookup is done: the next write reads the customFields the server holds then', async () => {
        const engine = world();
        engine.rooms.get('r-general')!.creator = 'u-alice';
        const { chat, counts } = counted(engine);
        await chat.updateCustomFields(room, () => ({ metadata: { a: 1 } }));
        engine.rooms.get('r-general')!.customFields = { metadata: { a: 1 }, department: 'ops' };
        const seen: unknown[] = [];
        await chat.updateCustomFields(room, (existing) => (seen.push(existing), undefined));
        expect(seen).toEqual([{ metadata: { a: 1 }, department: 'ops' }]);
        expect(counts).toMatchObject({ room: 2, bot: 1 });
    });

    it('a room that is gone: nothing posted, nothing written, and a notification fails', async () => {
        const engine = world();
        const { chat } = counted(engine);
        expect(await chat.post('r-gone', 'hello')).toBe(false);
        expect(await chat.updateCustomFields({ namespace: 'room', id: 'r-gone' }, () => ({ a: 1 }))).toEqual({ status: 'missing' });
        await expect(chat.notify('u-alice', 'r-gone', () => 'hello')).rejects.toThrow(/r-gone/);
        expect([engine.posted, engine.roomUpdates, engine.notifications]).toEqual([[], [], []]);
    });

    it('a notification is written in the language of the user it is for', async () => {
        const engine = world();
        engine.users.get('u-bob')!.language = 'de';
        const { chat } = counted(engine);
        await chat.notify('u-bob', 'r-general', (language) => `in ${language}`, { metadataEvent: { type: 'SNAPSHOT' } });
        expect(engine.notifications[0].message).toMatchObject({ text: 'in de', customFields: { metadataEvent: { type: 'SNAPSHOT' } }, sender: { username: 'metadata-store.bot' } });
    });
});

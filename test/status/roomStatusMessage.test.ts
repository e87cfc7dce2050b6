import { describe, expect, it } from 'vitest';
import { createChat } from '../../src/engine/chat';
import { createRoomStatusMessage } from '../../src/surfaces/status/roomStatusMessage';
import { item, notice, settings } from '../support/changes';
import { FakeEngine } from '../support/fakeEngine';

const change = notice({ changed: ['theme'], set: { majorRevision: 3, items: [item('theme', 'dark', 'public')] } });

/** The status message over the app's chat port (src/engine/chat.ts) over the fake engine. */
function setup(server: Partial<Pick<FakeEngine, 'refuseMessageCustomFields' | 'refuseAllMessages'>> = {}, statusMessages = true) {
    const engine = Object.assign(new FakeEngine({ rooms: [{ id: 'r-1', name: 'planning', type: 'c', creator: 'u-owner' }] }), server);
    const effect = createRoomStatusMessage({ chat: createChat(engine.read, engine.modify), logger: engine.logger, settings: settings({ roomStatusMessages: statusMessages }) });
    return { engine, effect };
}

describe('room status messages', () => {
    it('posts who changed what in the room, from the app bot', async () => {
        const { engine, effect } = setup();
        await effect(change);
        expect(engine.posted).toHaveLength(1);
        expect(engine.posted[0]).toMatchObject({ room: { id: 'r-1' }, sender: { username: 'metadata-store.bot' }, text: 'alice changed metadata: `theme` = `dark`' });
    });

    it('describes the change in the message customFields', async () => {
        const { engine, effect } = setup();
        await effect(change);
        expect(engine.posted[0].customFields).toEqual({
            priority: 'low',
            metadataChange: {
                subject: { namespace: 'room', id: 'r-1', name: 'planning' },
                majorRevision: 3,
                changed: ['theme'],
                removed: [],
                stateChanged: [],
                actor: { id: 'u-alice', username: 'alice' },
                at: '2024-05-01T10:00:00.000Z',
            },
        });
    });

    it('tells nothing of private items in the message customFields, not even a count', async () => {
        const { engine, effect } = setup();
        await effect(
            notice({
                changed: ['secret', 'theme'],
                removed: ['hidden'],
                set: { majorRevision: 4, items: [item('secret', 'x'), item('theme', 'dark', 'public')] },
                before: { majorRevision: 3, items: [item('hidden', 1)] },
            }),
        );
        expect(engine.posted[0].customFields!.metadataChange).toMatchObject({ changed: ['theme'], removed: [], stateChanged: [] });
        expect(JSON.stringify(engine.posted[0])).not.toMatch(/secret|hidden|private/i);
    });

    it('is sent without customFields where the server refuses them', async () => {
        const { engine, effect } = setup({ refuseMessageCustomFields: true });
        await effect(change);
        expect(engine.posted).toHaveLength(1);
        expect(engine.posted[0].customFields).toBeUndefined();
        expect(engine.posted[0].text).toContain('theme');
    });

    it('is not posted for user metadata', async () => {
        const { engine, effect } = setup();
        await effect({ ...change, subject: { namespace: 'user', id: 'u-alice', name: 'alice' } });
        expect(engine.posted).toEqual([]);
    });

    it('is not posted when the admin turned status messages off', async () => {
        const { engine, effect } = setup({}, false);
        await effect(change);
        expect(engine.posted).toEqual([]);
    });

    it('is not posted for a write that changed nothing visible', async () => {
        const { engine, effect } = setup();
        await effect(notice());
        expect(engine.posted).toEqual([]);
    });

    it('never fails the write when the room refuses the message; it logs', async () => {
        const { engine, effect } = setup({ refuseAllMessages: true });
        await expect(effect(change)).resolves.toBeUndefined();
        expect(engine.logs.some((entry) => entry.level === 'error')).toBe(true);
    });

    it('never fails the write when the room is gone; it logs', async () => {
        const { engine, effect } = setup();
        await expect(effect({ ...change, subject: { namespace: 'room', id: 'gone', name: 'gone' } })).resolves.toBeUndefined();
        expect(engine.posted).toEqual([]);
        expect(engine.logs.some((entry) => entry.level === 'warn')).toBe(true);
    });
});

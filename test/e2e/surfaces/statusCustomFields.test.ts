// SPEC §10 — where the server allows message custom fields (Message_CustomFields_Enabled, and an admin schema
// that admits the app's field), a room status message carries customFields describing the change, naming public keys
// only; where the schema refuses them (the server's default schema admits `priority` and nothing else), the message
// goes without.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHost, type Host, type HostInstance } from '../../support/host';
import { botMessages, ID, TEAM, waitForBotMessages } from './helpers';

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost({ messageCustomFields: true });
    a = host.first;
});

afterAll(async () => {
    await host?.stop();
});

async function statusAfter(write: () => Promise<{ status: number }>): Promise<Record<string, unknown>> {
    const count = (await botMessages(a, TEAM)).length;
    expect((await write()).status).toBe(200);
    const fresh = await waitForBotMessages(a, TEAM, count);
    expect(fresh).toHaveLength(1);
    return fresh[0];
}

/** The server's default schema plus the app's own field, as an admin would write it. */
const SCHEMA_WITH_METADATA_CHANGE = JSON.stringify({
    properties: {
        priority: { type: 'string', nullable: false, enum: ['low', 'medium', 'high'] },
        metadataChange: { type: 'object' },
    },
    required: ['priority'],
});

describe('status messages with message custom fields enabled', () => {
    it('are posted without fields under the server\'s default schema, which admits `priority` only', async () => {
        const message = await statusAfter(() => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'opening', value: 'default schema', visibility: 'public' }] }));
        expect(message.msg).toBe('alice changed metadata: `opening` = `default schema`');
        expect(message.customFields).toBeUndefined();
    });

    it('carry customFields.metadataChange: subject, majorRevision, changed, removed, stateChanged, actor and at; nothing of private items', async () => {
        await a.setServerSetting('Message_CustomFields', SCHEMA_WITH_METADATA_CHANGE);
        const message = await statusAfter(() => a.api('alice', 'PUT', `metadata/room/${TEAM}`, {
            items: [{ key: 'topic', value: 'launch', visibility: 'public' }, { key: 'budget', value: 5, visibility: 'private' }],
        }));
        expect(message.msg).toBe('alice changed metadata: `topic` = `launch`');
        expect(message.customFields).toEqual({
            priority: 'low',
            metadataChange: {
                subject: { namespace: 'room', id: TEAM, name: 'team' },
                majorRevision: 2,
                changed: ['topic'],
                removed: [],
                stateChanged: [],
                actor: { id: ID.alice, username: 'alice' },
                at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
            },
        });
        expect(JSON.stringify(message.customFields)).not.toMatch(/budget|private/i);
    });

    it('describe removals and state changes too', async () => {
        const removed = await statusAfter(() => a.api('alice', 'DELETE', `metadata/room/${TEAM}`, { items: ['topic', 'budget'] }));
        expect(removed.customFields).toMatchObject({ metadataChange: { majorRevision: 3, changed: [], removed: ['topic'] } });
        expect(JSON.stringify(removed.customFields)).not.toContain('budget');
        // State operations post a status message only when the admin asks for them.
        await a.setAppSetting('state_status_messages', true);
        try {
            const state = await statusAfter(() => a.api('carol', 'POST', `metadata/room/${TEAM}/state`, { key: 'votes', type: 'set', op: 'add', value: 'x' }));
            expect(state.customFields).toMatchObject({ metadataChange: { majorRevision: 3, stateChanged: ['votes'], actor: { username: 'carol' } } });
        } finally {
            await a.setAppSetting('state_status_messages', false);
        }
    });

    it('are still posted, without the fields, when the admin\'s schema refuses them', async () => {
        await a.setServerSetting('Message_CustomFields', JSON.stringify({ properties: { priority: { type: 'string', enum: ['high'] } }, required: ['priority'] }));
        const message = await statusAfter(() => a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'topic', value: 'schema', visibility: 'public' }] }));
        expect(message.msg).toBe('alice changed metadata: `topic` = `schema`');
        expect(message.customFields).toBeUndefined();
    });
});

// The host's chat.delete against Rocket.Chat's (apps/meteor/app/api/server/v1/chat.ts, deleteMessage.ts,
// canDeleteMessage.ts), with the test probe app (test/support/probe-app) in the real engine: who may delete which
// message, the server's refusals, and the apps' message-delete events — IPreMessageDeletePrevent may refuse,
// IPostMessageDeleted gets the message and the user who deleted it, also when an app deletes through its deleter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PROBE_APP_ID, probeAppZip } from '../support/probeApp';
import { SEED_ROOMS, SEED_USERS, startHost, type Host, type HostInstance, type UserName } from '../support/host';

const TEAM = SEED_ROOMS.team.id;

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost({ appZip: probeAppZip() });
    a = host.first;
    expect((await a.rest('admin', 'GET', `/api/apps/${PROBE_APP_ID}`)).body.app).toMatchObject({ enabled: true });
});

afterAll(async () => {
    await host?.stop();
});

const remove = (as: UserName, msgId: string, extra: Record<string, unknown> = {}) => a.rest(as, 'POST', '/api/v1/chat.delete', { roomId: TEAM, msgId, ...extra });
const inTeam = async (id: string) => (await a.messages('team')).some((m) => m._id === id);

interface DeletedRecord {
    messageId: string;
    roomId: string;
    text: string;
    sender: string;
    context: { messageId: string; userId: string; username: string };
    accessors: Record<string, boolean>;
}

/** What the probe app's IPostMessageDeleted recorded about message `id` (waits for it: the event is fire-and-forget). */
async function deletedEvent(id: string): Promise<DeletedRecord> {
    let found: DeletedRecord | undefined;
    await expect
        .poll(async () => {
            found = (await a.persistenceRecords('probe:deleted')).map((r) => r.data as unknown as DeletedRecord).find((r) => r.messageId === id);
            return found;
        }, { timeout: 10_000 })
        .toBeDefined();
    return found as DeletedRecord;
}

describe('chat.delete', () => {
    it("deletes the caller's own message and answers as the server does", async () => {
        const message = await a.postMessage('carol', 'team', 'typo');
        const res = await remove('carol', message._id as string);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toEqual({
            _id: message._id,
            ts: expect.stringMatching(/^\d{13}$/),
            message: { _id: message._id, rid: TEAM, u: { _id: SEED_USERS.carol.id, username: 'carol', name: 'Carol' } },
            success: true,
        });
        expect(await inTeam(message._id as string)).toBe(false);
    });

    it("refuses someone else's message to a user who is neither admin nor the room's owner or moderator", async () => {
        const message = await a.postMessage('alice', 'team', 'mine');
        const res = await remove('carol', message._id as string);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ success: false, error: 'Not allowed [error-action-not-allowed]', errorType: 'error-action-not-allowed' });
        expect(await inTeam(message._id as string)).toBe(true);
    });

    it("lets an admin and the room's moderator delete anyone's message", async () => {
        const first = await a.postMessage('carol', 'team', 'one');
        const second = await a.postMessage('carol', 'team', 'two');
        expect((await remove('admin', first._id as string)).status).toBe(200);
        expect((await remove('bob', second._id as string)).status).toBe(200); // bob moderates #team
        expect(await inTeam(first._id as string)).toBe(false);
        expect(await inTeam(second._id as string)).toBe(false);
    });

    it('refuses an unknown message, a message of another room and a body the server would not accept', async () => {
        const message = await a.postMessage('carol', 'team', 'here');
        expect((await remove('carol', 'no-such-id')).body).toEqual({ success: false, error: 'No message found with the id of "no-such-id".' });
        expect((await a.rest('carol', 'POST', '/api/v1/chat.delete', { roomId: 'GENERAL', msgId: message._id })).body).toEqual({
            success: false,
            error: 'The room id provided does not match where the message is from.',
        });
        expect((await a.rest('carol', 'POST', '/api/v1/chat.delete', { msgId: message._id })).body).toEqual({
            success: false,
            error: "must have required property 'roomId'\n must have required property 'fileId'\n must match a schema in anyOf [invalid-params]",
            errorType: 'invalid-params',
        });
        expect(await inTeam(message._id as string)).toBe(true);
    });

    it('refuses asUser on another user’s message without force-delete-message', async () => {
        const message = await a.postMessage('alice', 'team', 'as me');
        const res = await remove('carol', message._id as string, { asUser: true });
        expect(res.body).toEqual({ success: false, error: 'Unauthorized. You must have the permission "force-delete-message" to delete other\'s message as them.' });
        expect(await inTeam(message._id as string)).toBe(true);
    });
});

describe('the apps hear of it', () => {
    it('an app implementing IPostMessageDeleted gets the deleted message and the user who deleted it', async () => {
        const message = await a.postMessage('carol', 'team', 'gone soon');
        expect((await remove('admin', message._id as string)).status).toBe(200);
        expect(await deletedEvent(message._id as string)).toEqual({
            messageId: message._id,
            roomId: TEAM,
            text: 'gone soon',
            sender: 'carol',
            // the context (IMessageDeleteContext) after the four accessors: the same message, and the admin who deleted it
            context: { messageId: message._id, userId: SEED_USERS.admin.id, username: 'admin' },
            accessors: { read: true, http: true, persistence: true, modify: true },
        });
    });

    it('an app implementing IPreMessageDeletePrevent stops the deletion, and the server says so', async () => {
        const message = await a.postMessage('carol', 'team', 'please #keep this');
        const res = await remove('carol', message._id as string);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            success: false,
            error: 'A Rocket.Chat App prevented the message deleting. [error-app-prevented-deleting]',
            errorType: 'error-app-prevented-deleting',
        });
        expect(await inTeam(message._id as string)).toBe(true);
    });

    it("an app deleting a message through its deleter fires IPostMessageDeleted too, with the app's user", async () => {
        const message = await a.postMessage('carol', 'team', 'the bot removes this');
        const res = await a.command('carol', 'team', `delete ${message._id}`, 'probe');
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(await inTeam(message._id as string)).toBe(false);
        expect((await deletedEvent(message._id as string)).context).toMatchObject({ messageId: message._id, username: 'host-probe.bot' });
    });
});

// The host's REST answers as Rocket.Chat's: a bot driving the host with @rocket.chat/api-client only (log in, find
// its rooms, run /meta, post and read its direct room, delete its message), and contract checks of the answers
// against the JSON schemas Rocket.Chat ships (@rocket.chat/core-typings' `schemas`: IUser, IMeApiUser, IRoom,
// ISubscription, IMessage; and @rocket.chat/rest-typings' error and `/v1/me` response schemas). Where no schema
// ships, the answer is assigned to the endpoint's TypeScript type from rest-typings, which `npm run typecheck` checks.
import { RestClient } from '@rocket.chat/api-client';
import { schemas } from '@rocket.chat/core-typings';
import type { IMessage, IRoom, ISubscription } from '@rocket.chat/core-typings';
import type { OperationResult } from '@rocket.chat/rest-typings';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, SEED_ROOMS, SEED_USERS, startHost, type Host } from '../support/host';

// --- the shipped schemas -------------------------------------------------------------------------------------

// rest-typings' own ajv (8.x; the top-level one is 6.x) with the formats its schemas use.
const restTypingsDir = path.dirname(require.resolve('@rocket.chat/rest-typings/package.json'));
const requireFromRestTypings = createRequire(path.join(restTypingsDir, 'package.json'));
type Validate = ((value: unknown) => boolean) & { errors?: unknown };
const Ajv2020 = requireFromRestTypings('ajv/dist/2020').default as new (options: object) => { compile(schema: object): Validate };
const addFormats = requireFromRestTypings('ajv-formats').default as (ajv: unknown) => void;
const ajv = new Ajv2020({ allowUnionTypes: true, strict: false, discriminator: true });
addFormats(ajv);

/**
 * rest-typings' dist is ES module syntax in a package without `"type": "module"`, and imports `ajv/dist/2020`
 * without its extension: Node cannot load it (ERR_MODULE_NOT_FOUND). Its schemas are plain object literals, so this
 * evaluates a dist file with `ajv.compile` returning the schema, and hands back what the file exports.
 */
function restTypingsSchemas(file: string): Record<string, object> {
    const source = fs
        .readFileSync(path.join(restTypingsDir, 'dist', file), 'utf8')
        .replace(/^import .*$/gm, '')
        .replace(/^export \{[^}]*\};?$/gm, '')
        .replace(/^\/\/# sourceMappingURL.*$/gm, '')
        .replace(/^export const (\w+)/gm, 'exports.$1');
    const exports: Record<string, object> = {};
    const fakeAjv = { compile: (schema: object) => schema, addFormat: () => undefined, addKeyword: () => undefined };
    new Function('exports', 'Ajv', 'addFormats', source)(exports, function Ajv() {
        return fakeAjv;
    }, () => undefined);
    return exports;
}

const components = schemas.components;
const errorSchemas = restTypingsSchemas('v1/Ajv.js');
const { meSuccessResponseSchema } = restTypingsSchemas('v1/me/meSuccessResponse.js');

function validator(schema: object) {
    return ajv.compile({ ...schema, components });
}
const core = (name: string) => validator({ $ref: `#/components/schemas/${name}` });

/** Direct rooms: IDirectMessageRoom is IRoom without `u`, `name`, `default`, `featured` (core-typings). */
const roomSchema = components.schemas?.IRoom as { required: string[] };
const directRoom = validator({ ...roomSchema, required: roomSchema.required.filter((k) => k !== 'u') });

const validate = {
    user: core('IUser'),
    directRoom,
    me: validator(meSuccessResponseSchema),
    meUser: core('IMeApiUser'),
    room: core('IRoom'),
    subscription: core('ISubscription'),
    slashCommand: core('SlashCommand'),
    message: core('IMessage'),
    badRequest: validator(errorSchemas.validateBadRequestErrorResponse),
    unauthorized: validator(errorSchemas.validateUnauthorizedErrorResponse),
    forbidden: validator(errorSchemas.validateForbiddenErrorResponse),
    notFound: validator(errorSchemas.validateNotFoundErrorResponse),
};

function expectValid(check: Validate, value: unknown, what: string): void {
    const ok = check(value);
    expect(ok, `${what} does not match the schema: ${JSON.stringify(check.errors, null, 1)}\n${JSON.stringify(value).slice(0, 1500)}`).toBe(true);
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** A rejected api-client call: the Response, read. */
async function rejection(promise: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(error, 'the call should have been refused').toBeInstanceOf(Response);
    const res = error as Response;
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

// --- the run -------------------------------------------------------------------------------------------------

let host: Host;
let url: string;

beforeAll(async () => {
    host = await startHost();
    url = host.first.url;
});

afterAll(async () => {
    await host?.stop();
});

describe('a bot drives the host with @rocket.chat/api-client only', () => {
    // bob plays the bot: moderator of #team, in a direct room with alice, not a member of #secret
    const bot = SEED_USERS.bob;
    let client: RestClient;

    it('logs in by e-mail with a hashed password', async () => {
        client = new RestClient({ baseUrl: url });
        const login = (await client.post('/v1/login', { user: { email: `${bot.username}@example.invalid` }, password: { hashed: sha256(bot.password) } })) as {
            status: string;
            data: { userId: string; authToken: string; me: Record<string, unknown> };
        };
        expect(login.status).toBe('success');
        expect(login.data.userId).toBe(bot.id);
        expectValid(validate.meUser, login.data.me, 'login data.me');
        client.setCredentials({ 'X-User-Id': login.data.userId, 'X-Auth-Token': login.data.authToken });
        const me = await client.get('/v1/me');
        expect(me.username).toBe(bot.username);
        expectValid(validate.me, me, 'GET /v1/me');
    });

    it('finds its rooms: subscriptions.get, channels.info, im.create', async () => {
        const subs = await client.get('/v1/subscriptions.get', {});
        const rids = subs.update.map((s) => s.rid);
        expect(rids).toEqual(expect.arrayContaining([SEED_ROOMS.team.id, SEED_ROOMS.dmAliceBob.id]));
        expect(rids).not.toContain(SEED_ROOMS.secret.id);
        const dmSub = subs.update.find((s) => s.rid === SEED_ROOMS.dmAliceBob.id);
        expect(dmSub).toMatchObject({ t: 'd', name: 'alice' });

        const team = await client.get('/v1/channels.info', { roomName: 'team' });
        expect(team.channel._id).toBe(SEED_ROOMS.team.id);

        const dm = await client.post('/v1/im.create', { username: 'alice' });
        expect(dm.room.rid).toBe(SEED_ROOMS.dmAliceBob.id);
        expect(dm.room.t).toBe('d');
    });

    it('runs /meta set via commands.run, and reads the status message the app posted', async () => {
        await client.post('/v1/commands.run', { command: 'meta', params: 'set here topic="set by the bot" --public', roomId: SEED_ROOMS.team.id });
        const stored = await host.first.api('alice', 'GET', 'metadata/room/team?keys=topic');
        expect((stored.body.document as Record<string, unknown>).topic).toBe('set by the bot');
        const history = await client.get('/v1/channels.messages', { roomId: SEED_ROOMS.team.id });
        expect(history.messages.map((m) => m.msg)).toEqual(expect.arrayContaining([expect.stringContaining('bob changed metadata: `topic` = `set by the bot`')]));
    });

    it('posts to @alice and reads its direct room with im.messages?username=', async () => {
        const posted = await client.post('/v1/chat.postMessage', { channel: '@alice', text: 'topic set', alias: 'Meta bot', emoji: ':robot:', attachments: [{ text: 'details' }] });
        expect(posted.message).toMatchObject({ rid: SEED_ROOMS.dmAliceBob.id, msg: 'topic set', alias: 'Meta bot', emoji: ':robot:', attachments: [{ text: 'details' }] });
        expect(posted.channel).toBe('@alice'); // the target as given, as the server answers (rest-typings says IRoom)
        const sent = await client.post('/v1/chat.sendMessage', { message: { rid: SEED_ROOMS.dmAliceBob.id, msg: 'and a second one' } });
        const dm = await client.get('/v1/im.messages', { username: 'alice' });
        expect(dm.messages.slice(0, 2).map((m) => m.msg)).toEqual(['and a second one', 'topic set']);
        expect(dm.messages[0]._id).toBe(sent.message._id);
    });

    it('is refused like by the server: commands.run in a room it cannot access is 403 unauthorized', async () => {
        const refused = await rejection(client.post('/v1/commands.run', { command: 'meta', params: 'get here', roomId: SEED_ROOMS.secret.id }));
        expect(refused).toEqual({ status: 403, body: { success: false, error: 'unauthorized' } });
        expectValid(validate.forbidden, refused.body, 'commands.run 403');
    });

    it("deletes its own message with chat.delete, and is refused alice's in their direct room as the server refuses it", async () => {
        const dm = SEED_ROOMS.dmAliceBob.id;
        const posted = await client.post('/v1/chat.postMessage', { roomId: dm, text: 'oops' });
        const deleted = await client.post('/v1/chat.delete', { roomId: dm, msgId: posted.message._id });
        expect(deleted).toMatchObject({ _id: posted.message._id, ts: expect.any(String), message: { _id: posted.message._id, rid: dm, u: { _id: bot.id, username: bot.username } } });
        const hers = await host.first.postMessage('alice', 'dmAliceBob', 'keep this');
        const refused = await rejection(client.post('/v1/chat.delete', { roomId: dm, msgId: hers._id as string }));
        expect(refused).toEqual({ status: 400, body: { success: false, error: 'Not allowed [error-action-not-allowed]', errorType: 'error-action-not-allowed' } });
        expectValid(validate.badRequest, refused.body, 'chat.delete refused');
    });
});

describe('REST answers validate against Rocket.Chat’s shipped schemas', () => {
    const rest = <T = Record<string, unknown>>(as: Parameters<Host['first']['rest']>[0], method: string, p: string, body?: unknown, headers?: Record<string, string>) =>
        host.first.rest<T>(as, method, p, body, headers);

    it('GET /api/info: a semver for clients, the full version for admins', async () => {
        const anonymous = await rest(null, 'GET', '/api/info');
        expect(anonymous.body).toMatchObject({ version: '7.0', success: true });
        const admin = await rest('admin', 'GET', '/api/info');
        expect(admin.body).toMatchObject({ version: '7.0.0', info: { version: '7.0.0' }, success: true });
        const typed: Partial<OperationResult<'GET', '/info'>> = { version: admin.body.version as string };
        expect(typed.version).toMatch(/^\d+\.\d+\.\d+$/);
    });

    it('login: by username, by e-mail, form-encoded, hashed; a wrong password is 401', async () => {
        const byName = await rest(null, 'POST', '/api/v1/login', { username: 'carol', password: SEED_USERS.carol.password });
        expect(byName.status).toBe(200);
        expectValid(validate.meUser, (byName.body.data as Record<string, unknown>).me, 'login me');
        const byEmail = await rest(null, 'POST', '/api/v1/login', { user: 'carol@example.invalid', password: SEED_USERS.carol.password });
        expect(byEmail.status).toBe(200);
        const form = await rest(null, 'POST', '/api/v1/login', `user=carol&password=${encodeURIComponent(SEED_USERS.carol.password)}`, { 'Content-Type': 'application/x-www-form-urlencoded' });
        expect(form.status).toBe(200);
        const digest = await rest(null, 'POST', '/api/v1/login', { user: { username: 'carol' }, password: { digest: sha256(SEED_USERS.carol.password), algorithm: 'sha-256' } });
        expect(digest.status).toBe(200);
        const me = (digest.body.data as { me: Record<string, unknown> }).me;
        expect(me).toMatchObject({ emails: [{ address: 'carol@example.invalid', verified: true }], isOAuthUser: false, settings: { profile: {}, calendar: {}, preferences: {} } });
        expect(me.avatarUrl).toMatch(/\/avatar\/carol$/);
        const wrong = await rest(null, 'POST', '/api/v1/login', { user: 'carol', password: 'nope' });
        expect(wrong.status).toBe(401);
        expect(wrong.body).toEqual({ status: 'error', error: 'Unauthorized', message: 'Unauthorized' });
    });

    it('401 without a login: success false, error, and the old API’s status and message', async () => {
        const res = await rest(null, 'GET', '/api/v1/me');
        expect(res.status).toBe(401);
        expectValid(validate.unauthorized, res.body, 'GET /me without login');
        expect(res.body).toMatchObject({ success: false, error: 'You must be logged in to do this.' });
    });

    it('users.info, rooms.info, channels.info, im.create, subscriptions.get and the messages validate', async () => {
        const user = await rest('alice', 'GET', '/api/v1/users.info?username=bob');
        expectValid(validate.user, user.body.user, 'users.info user');
        for (const room of ['team', 'secret', 'dmAliceBob'] as const) {
            const info = await rest('alice', 'GET', `/api/v1/rooms.info?roomId=${SEED_ROOMS[room].id}`);
            expectValid(room === 'dmAliceBob' ? validate.directRoom : validate.room, info.body.room, `rooms.info ${room}`);
        }
        const channel = await rest<{ channel: IRoom }>('carol', 'GET', '/api/v1/channels.info?roomId=rid-team');
        expectValid(validate.room, channel.body.channel, 'channels.info');
        const group = await rest<{ group: IRoom }>('carol', 'GET', '/api/v1/groups.info?roomName=secret');
        expectValid(validate.room, group.body.group, 'groups.info');
        const dm = await rest('carol', 'POST', '/api/v1/im.create', { username: 'bob' });
        expect(dm.status).toBe(200);
        expectValid(validate.directRoom, dm.body.room, 'im.create room');
        const subs = await rest<{ update: ISubscription[]; remove: unknown[] }>('carol', 'GET', '/api/v1/subscriptions.get');
        expect(subs.body.update.length).toBeGreaterThanOrEqual(4);
        for (const sub of subs.body.update) expectValid(validate.subscription, sub, `subscription ${sub.rid}`);
        const posted = await rest<{ message: IMessage }>('carol', 'POST', '/api/v1/chat.postMessage', { roomId: dm.body.room && (dm.body.room as { _id: string })._id, text: 'hi bob' });
        expectValid(validate.message, posted.body.message, 'chat.postMessage message');
        const listed = await rest<{ messages: IMessage[] }>('carol', 'GET', '/api/v1/im.messages?username=bob');
        for (const m of listed.body.messages) expectValid(validate.message, m, 'im.messages message');
    });

    it('commands.list, a room’s messages (the app bot’s too), users.setPreferences and channels.invite validate', async () => {
        const commands = await rest<{ commands: unknown[] }>('alice', 'GET', '/api/v1/commands.list');
        expect(commands.body.commands.length).toBeGreaterThan(0);
        for (const c of commands.body.commands) expectValid(validate.slashCommand, c, 'commands.list command');
        const one = await rest<{ command: unknown }>('alice', 'GET', '/api/v1/commands.get?command=meta');
        expectValid(validate.slashCommand, one.body.command, 'commands.get');

        await host.first.command('alice', 'team', 'set here contract=yes --public');
        const messages = await rest<{ messages: IMessage[]; count: number; offset: number; total: number }>('alice', 'GET', '/api/v1/channels.messages?roomId=rid-team');
        expect(messages.body.messages.some((m) => m.u.username === 'metadata-store.bot')).toBe(true);
        for (const m of messages.body.messages) expectValid(validate.message, m, 'channels.messages message');
        const paginated: Omit<OperationResult<'GET', '/v1/channels.messages'>, 'messages'> = messages.body;
        expect(paginated.total).toBeGreaterThanOrEqual(paginated.count);

        const updated = await rest('admin', 'POST', '/api/v1/users.setPreferences', { userId: SEED_USERS.carol.id, data: { language: 'de' } });
        expect(updated.status).toBe(200);
        // the server answers its projection {_id, settings} (rest-typings says IUser, whose schema requires more)
        expect(updated.body.user).toEqual({ _id: SEED_USERS.carol.id, settings: { preferences: { language: 'de' } } });
        const invited = await rest('alice', 'POST', '/api/v1/channels.invite', { roomId: 'rid-team', userId: SEED_USERS.admin.id });
        expect(invited.status).toBe(200);
        expectValid(validate.room, invited.body.channel, 'channels.invite channel');
    });

    it('errors: 400 {success:false, error, errorType} for bad requests; 403 and 404 in the server’s shapes', async () => {
        const noRoom = await rest('carol', 'GET', '/api/v1/channels.info?roomName=nope');
        expect(noRoom.status).toBe(400);
        expectValid(validate.badRequest, noRoom.body, 'channels.info unknown');
        expect(noRoom.body).toMatchObject({ errorType: 'error-room-not-found' });
        const hidden = await rest('bob', 'GET', '/api/v1/groups.info?roomId=rid-secret');
        expect(hidden.status).toBe(400);
        const badChannel = await rest('carol', 'POST', '/api/v1/chat.postMessage', { channel: '@nobody', text: 'x' });
        expect(badChannel.status).toBe(400);
        expect(badChannel.body).toEqual({ success: false, error: '[invalid-channel]', errorType: 'invalid-channel' });
        const noUser = await rest('carol', 'POST', '/api/v1/im.create', { username: 'nobody' });
        expect(noUser.status).toBe(400);
        expectValid(validate.badRequest, noUser.body, 'im.create unknown user');
        const notMember = await rest('bob', 'POST', '/api/v1/chat.sendMessage', { message: { rid: 'rid-secret', msg: 'x' } });
        expect(notMember.status).toBe(400);
        expect(notMember.body).toMatchObject({ success: false, errorType: 'error-not-allowed' });
        const forbidden = await rest('alice', 'GET', '/api/apps');
        expect(forbidden.status).toBe(403);
        expectValid(validate.forbidden, forbidden.body, 'GET /api/apps as a user');
        const missing = await rest('admin', 'GET', '/api/apps/no-such-app');
        expect(missing.status).toBe(404);
        expectValid(validate.notFound, missing.body, 'GET /api/apps/:id unknown');
    });

    it('a failed app upload is 400 {success:false, error}, never 500', async () => {
        const notZip = new FormData();
        notZip.append('app', new Blob([Buffer.from('not a zip')]), 'x.zip');
        const install = await rest('admin', 'POST', '/api/apps', notZip);
        expect(install.status).toBe(400);
        expectValid(validate.badRequest, install.body, 'POST /api/apps not a zip');
        const update = await rest('admin', 'POST', `/api/apps/${APP_ID}`, notZip);
        expect(update.status).toBe(400);
        expectValid(validate.badRequest, update.body, 'POST /api/apps/:id not a zip');
        const noFile = await rest('admin', 'POST', '/api/apps', { url: 'x' });
        expect(noFile.status).toBe(400);
        expect(noFile.body).toMatchObject({ success: false, error: 'app_file_error' });
    });
});

// The Rocket.Chat REST subset the host serves under /api/v1 (same paths, bodies and answers as the server where
// the server has the endpoint), plus a few `host.*` endpoints for what a server only shows in its UI
// (ephemeral notifications, the engine's complaints, instance info).
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Instance } from '../instance';
import { parseParameters } from '../lib/parseParameters';
import type { RoomDoc, UserDoc } from '../store/docs';
import { addBotRoutes, directWith } from './botRest';
import { failure, forbidden, HttpError, notFound, Router, unauthorized, type RequestContext } from './router';

export function requireUser(rc: RequestContext): UserDoc {
    if (!rc.user) {
        throw unauthorized();
    }
    return rc.user;
}

export function requireAdmin(rc: RequestContext): UserDoc {
    const user = requireUser(rc);
    if (!user.roles.includes('admin')) {
        throw forbidden();
    }
    return user;
}

function str(value: unknown): string | undefined {
    return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A hashed password as Meteor clients send it: `{digest: <sha-256 hex>, algorithm: 'sha-256'}`. */
function digestOf(value: unknown): { digest: string; algorithm: string } | undefined {
    if (!value || typeof value !== 'object') return undefined;
    // Meteor's {digest, algorithm: 'sha-256'}, or rest-typings' {hashed} (the server's loginCompatibility reads both)
    const { digest, algorithm, hashed } = value as Record<string, unknown>;
    if (typeof hashed === 'string' && /^[0-9a-f]{64}$/i.test(hashed)) return { digest: hashed, algorithm: 'sha-256' };
    return typeof digest === 'string' && /^[0-9a-f]{64}$/i.test(digest) && algorithm === 'sha-256' ? { digest, algorithm } : undefined;
}

/**
 * The Rocket.Chat version the host answers with (`/api/info`): a semver the clients' version checks accept
 * (rc-apps takes its ≥ 3.8 path, api-client and the SDKs their current one). The host is not that server; it
 * answers like one of that line for the endpoints it has.
 */
export const SERVER_VERSION = '7.0.0';

/** GET /api/info (getServerInfo): the version without its patch for anybody, all of it for admins. */
function serverInfo(user: UserDoc | undefined) {
    const admin = user?.roles.includes('admin');
    return {
        version: admin ? SERVER_VERSION : SERVER_VERSION.replace(/(\d+\.\d+).*/, '$1'),
        ...(admin && { info: { version: SERVER_VERSION, build: { platform: process.platform, arch: process.arch, nodeVersion: process.version }, marketplaceApiVersion: '1.62.0' } }),
        minimumClientVersions: { desktop: '3.9.6', mobile: '4.39.0' },
        success: true,
    };
}

/** A request body: JSON, or form-encoded (`application/x-www-form-urlencoded`), as the server's body parser reads both. */
export async function bodyOf(rc: RequestContext): Promise<Record<string, unknown>> {
    const type = String(rc.req.headers['content-type'] ?? '');
    if (type.startsWith('application/x-www-form-urlencoded')) {
        const form: Record<string, unknown> = {};
        for (const [key, value] of new URLSearchParams((await rc.rawBody()).toString('utf8'))) {
            if (key !== '__proto__' && key !== 'constructor' && key !== 'prototype') form[key] = value;
        }
        return form;
    }
    return rc.json();
}

/**
 * The logged-in user as `login` (`data.me`) and `GET /me` show it (the server's getUserInfo): the stored fields
 * plus `email` (the first verified address), `settings.preferences`, `isOAuthUser` and `avatarUrl`.
 */
export function meUser(instance: Instance, user: UserDoc): Record<string, unknown> {
    const siteUrl = String(instance.ctx.settings.value<string>('Site_Url') ?? '').replace(/\/$/, '');
    const verified = user.emails?.find((e) => e.verified);
    // the server's fields for `me` (getBaseUserFields): no `type`, no `appId`
    const { _id, username, name, active, roles, status, statusText, utcOffset, customFields, createdAt, _updatedAt, bio } = user;
    return {
        _id,
        username,
        ...(name && { name }),
        active,
        roles,
        ...(status && { status }),
        ...(statusText && { statusText }),
        ...(utcOffset !== undefined && { utcOffset }),
        ...(customFields && { customFields }),
        ...(bio && { bio }),
        createdAt,
        _updatedAt,
        ...(user.emails && { emails: user.emails }),
        ...(verified && { email: verified.address }),
        ...(user.statusConnection && { statusConnection: user.statusConnection }),
        ...(user.language && { language: user.language }),
        ...(user.lastLogin && { lastLogin: user.lastLogin }),
        settings: { profile: {}, calendar: {}, ...user.settings, preferences: { ...user.settings?.preferences } },
        isOAuthUser: false,
        avatarUrl: `${siteUrl}/avatar/${encodeURIComponent(user.username)}`,
    };
}

/** What users.info shows of a user (no credentials). */
export function publicUser(user: UserDoc): Record<string, unknown> {
    const { _id, username, name, type, active, roles, status, statusText, utcOffset, customFields, createdAt, _updatedAt, appId } = user;
    return { _id, username, name, type, active, roles, status, statusText, utcOffset, customFields, createdAt, _updatedAt, ...(appId && { appId }) };
}

function findRoomFor(instance: Instance, rc: RequestContext, source: Record<string, unknown>): RoomDoc {
    const user = requireUser(rc);
    const roomId = str(source.roomId);
    const roomName = str(source.roomName) ?? str(source.channel)?.replace(/^#/, '');
    const room = roomId ? instance.ctx.rooms.findById(roomId) : roomName ? instance.ctx.rooms.findByName(roomName) : undefined;
    if (!roomId && !roomName) {
        throw failure('The parameter "roomId" or "roomName" is required [error-room-param-not-provided]', { errorType: 'error-room-param-not-provided' });
    }
    if (!room) {
        throw failure('The required "roomId" or "roomName" param provided does not match any room [error-room-not-found]', { errorType: 'error-room-not-found' });
    }
    if (!user.roles.includes('admin') && !instance.ctx.rooms.canAccess(room, user)) {
        throw failure('Not allowed [error-not-allowed]', { errorType: 'error-not-allowed' });
    }
    return room;
}

function listMessages(instance: Instance, rc: RequestContext, types?: RoomDoc['t'][]) {
    const room = findRoomFor(instance, rc, rc.query);
    if (types && !types.includes(room.t)) {
        throw failure(`The room is not of type ${types.join('/')} [error-room-not-found]`, { errorType: 'error-room-not-found' });
    }
    const count = Math.min(Number(rc.query.count ?? 50) || 50, 1000);
    const offset = Number(rc.query.offset ?? 0) || 0;
    const messages = instance.ctx.messages.listByRoom(room._id, { order: 'desc', limit: count, offset });
    return { messages, count: messages.length, offset, total: instance.ctx.messages.countByRoom(room._id), success: true };
}

export function restRoutes(instance: Instance): Router {
    const { ctx } = instance;
    const router = new Router();

    router.get('/api/info', async (rc) => serverInfo(rc.user));
    // the host's older path for it, kept with the same answer
    router.get('/api/v1/info', async (rc) => serverInfo(rc.user));

    // --- authentication ------------------------------------------------------------------------------------
    // The server's login: `user` (a username, or an e-mail when it has an @), `username`, `email`, or `resume`
    // (a token); `password` in the clear or as `{digest, algorithm: 'sha-256'}`; JSON or form-encoded.
    router.post('/api/v1/login', async (rc) => {
        const body = await bodyOf(rc);
        const password = str(body.password) ?? digestOf(body.password);
        const userField = body.user && typeof body.user === 'object' ? (body.user as Record<string, unknown>) : undefined;
        const byUser = str(body.user);
        const email = str(userField?.email) ?? str(body.email) ?? (byUser?.includes('@') ? byUser : undefined);
        const username = str(userField?.username) ?? (byUser && !byUser.includes('@') ? byUser : undefined) ?? str(body.username);
        let user: UserDoc | undefined;
        if ((email || username) && password) {
            const candidate = username ? (ctx.users.findByUsername(username) ?? ctx.users.findById(username)) : ctx.users.findByEmail(email as string);
            user = candidate && candidate.type === 'user' && candidate.active && ctx.users.checkPassword(candidate._id, password) ? candidate : undefined;
        } else if (str(body.resume)) {
            user = ctx.users.list().find((u) => ctx.users.authenticate(u._id, str(body.resume)));
        }
        if (!user) {
            throw new HttpError(401, { status: 'error', error: 'Unauthorized', message: 'Unauthorized' });
        }
        const authToken = ctx.users.createToken(user._id);
        ctx.users.set(user._id, { lastLogin: new Date() });
        return { status: 'success', data: { userId: user._id, authToken, me: meUser(instance, ctx.users.findById(user._id) ?? user) } };
    });

    router.post('/api/v1/logout', async (rc) => {
        requireUser(rc);
        ctx.users.deleteToken(rc.req.headers['x-auth-token'] as string);
        return { status: 'success', data: { message: "You've been logged out!" } };
    });

    router.get('/api/v1/me', async (rc) => ({ ...meUser(instance, requireUser(rc)), success: true }));

    // --- slash commands ------------------------------------------------------------------------------------
    router.get('/api/v1/commands.list', async (rc) => {
        requireUser(rc);
        const commands = Array.from(instance.engine.bridges.commands.commands.values());
        return { commands, offset: 0, count: commands.length, total: commands.length, success: true };
    });

    router.get('/api/v1/commands.get', async (rc) => {
        requireUser(rc);
        const command = str(rc.query.command);
        if (!command) {
            throw failure('The query param "command" must be provided.');
        }
        const cmd = instance.engine.bridges.commands.commands.get(command.toLowerCase());
        if (!cmd) {
            throw failure(`There is no command in the system by the name of: ${command}`);
        }
        return { command: cmd, success: true };
    });

    // Runs a slash command as the caller in a room, like the server's commands.run: the app's executor gets a
    // SlashCommandContext with the caller, the room and the parameters split by parseParameters.
    router.post('/api/v1/commands.run', async (rc) => {
        const user = requireUser(rc);
        const body = await rc.json();
        if (typeof body.command !== 'string') {
            throw failure('You must provide a command to run.');
        }
        if (body.params && typeof body.params !== 'string') {
            throw failure('The parameters for the command must be a single string.');
        }
        if (typeof body.roomId !== 'string') {
            throw failure("The room's id where to execute this command must be provided and be a string.");
        }
        if (body.tmid && typeof body.tmid !== 'string') {
            throw failure('The tmid parameter when provided must be a string.');
        }
        const cmd = body.command.toLowerCase();
        if (!instance.engine.bridges.commands.commands.has(cmd)) {
            throw failure('The command provided does not exist (or is disabled).');
        }
        const room = ctx.rooms.findById(body.roomId);
        if (!room || !ctx.rooms.canAccess(room, user)) {
            // API.v1.forbidden(): canAccessRoomIdAsync failed
            throw new HttpError(403, { success: false, error: 'unauthorized' });
        }
        const params = typeof body.params === 'string' ? body.params : '';
        const context = new SlashCommandContext(
            Object.freeze(ctx.convert.userToApp(user)) as IUser,
            Object.freeze(ctx.convert.roomToApp(room)) as IRoom,
            Object.freeze(parseParameters(params)) as string[],
            typeof body.tmid === 'string' ? body.tmid : undefined,
            typeof body.triggerId === 'string' ? body.triggerId : undefined,
        );
        try {
            await instance.engine.manager.getCommandManager().executeCommand(cmd, context);
        } catch (error) {
            ctx.log.add('error', 'command', `/${cmd} ${params}: ${(error as Error)?.stack ?? error}`);
            throw failure((error as Error)?.message ?? String(error));
        }
        return { success: true };
    });

    // --- messages ------------------------------------------------------------------------------------------
    router.get('/api/v1/channels.messages', async (rc) => listMessages(instance, rc, ['c']));
    router.get('/api/v1/groups.messages', async (rc) => listMessages(instance, rc, ['p']));
    // im.messages: roomId, or username (the caller's direct room with that user, created when missing)
    router.get('/api/v1/im.messages', async (rc) => {
        const user = requireUser(rc);
        const username = str(rc.query.username);
        if (!str(rc.query.roomId) && username) {
            const room = directWith(instance, user, username);
            if (!room) {
                throw failure('The required "roomId" or "username" param provided does not match any direct message [error-room-not-found]', { errorType: 'error-room-not-found' });
            }
            return listMessages(instance, { ...rc, query: { ...rc.query, roomId: room._id } }, ['d']);
        }
        if (!str(rc.query.roomId)) {
            throw failure('Query param "roomId" or "username" is required [error-room-param-not-provided]', { errorType: 'error-room-param-not-provided' });
        }
        return listMessages(instance, rc, ['d']);
    });
    // Any room type (newest first, like the three above).
    router.get('/api/v1/host.messages', async (rc) => listMessages(instance, rc));

    // Ephemeral messages the caller was sent (notifyUser / notifyRoom), oldest first. `since` = the last `seq` you
    // saw; `wait` (ms, ≤ 30000) long-polls until at least one arrives; `roomId` filters.
    router.get('/api/v1/host.notifications', async (rc) => {
        const user = requireUser(rc);
        const since = Number(rc.query.since ?? 0) || 0;
        const roomId = str(rc.query.roomId);
        const wait = Math.min(Number(rc.query.wait ?? 0) || 0, 30_000);
        const deadline = Date.now() + wait;
        let notifications = ctx.notifications.listForUser(user._id, { since, roomId });
        while (notifications.length === 0 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 20));
            notifications = ctx.notifications.listForUser(user._id, { since, roomId });
        }
        const last = notifications.length ? notifications[notifications.length - 1].seq : since;
        return { notifications, last, success: true };
    });

    // --- rooms and users -----------------------------------------------------------------------------------
    router.get('/api/v1/rooms.info', async (rc) => ({ room: findRoomFor(instance, rc, rc.query), success: true }));

    router.get('/api/v1/users.info', async (rc) => {
        requireUser(rc);
        const userId = str(rc.query.userId);
        const username = str(rc.query.username);
        if (!userId && !username) {
            throw failure('The required "userId" or "username" param was not provided [error-user-param-not-provided]', { errorType: 'error-user-param-not-provided' });
        }
        const user = userId ? ctx.users.findById(userId) : ctx.users.findByUsername(username as string);
        if (!user) {
            throw failure('User not found.');
        }
        return { user: publicUser(user), success: true };
    });

    // Rooms the caller can see (admins: all), with their members and roles: handy to find ids.
    router.get('/api/v1/host.rooms', async (rc) => {
        const user = requireUser(rc);
        const rooms = ctx.rooms
            .list()
            .filter((r) => user.roles.includes('admin') || ctx.rooms.canAccess(r, user))
            .map((r) => ({
                _id: r._id,
                t: r.t,
                name: r.name,
                usernames: r.usernames,
                creator: r.u?.username ?? null,
                members: ctx.rooms.memberIds(r._id).map((id) => ({ username: ctx.users.findById(id)?.username, roles: ctx.rooms.subscription(r._id, id)?.roles })),
                customFields: r.customFields,
            }));
        return { rooms, success: true };
    });

    router.get('/api/v1/host.users', async (rc) => {
        requireUser(rc);
        return { users: ctx.users.list().map(publicUser), success: true };
    });

    // --- settings (admin) ----------------------------------------------------------------------------------
    router.get('/api/v1/settings/:_id', async (rc) => {
        requireAdmin(rc);
        const setting = ctx.settings.findById(rc.params._id);
        if (!setting) {
            throw notFound(`Setting ${rc.params._id} not found`);
        }
        return { _id: setting._id, value: setting.value, success: true };
    });

    router.post('/api/v1/settings/:_id', async (rc) => {
        requireAdmin(rc);
        const body = await rc.json();
        if (!('value' in body)) {
            throw failure('The value to set must be provided.');
        }
        if (!ctx.settings.setValue(rc.params._id, body.value)) {
            throw notFound(`Setting ${rc.params._id} not found`);
        }
        return { success: true };
    });

    // --- the host itself -----------------------------------------------------------------------------------
    router.get('/api/v1/host.info', async () => ({
        instance: { id: ctx.instanceId, index: ctx.instanceIndex, pid: process.pid, port: instance.port },
        apps: await instance.engine.list(),
        switches: ctx.switches,
        success: true,
    }));

    // What the engine and apps complained about (console errors/warnings, permission denials, app log warnings
    // and errors), all instances, oldest first. `since` = last seq seen; `level` = error|warn.
    router.get('/api/v1/host.log', async (rc) => {
        requireAdmin(rc);
        const lines = ctx.log.list({ since: Number(rc.query.since ?? 0) || 0, level: str(rc.query.level) });
        return { lines, last: lines.length ? lines[lines.length - 1].seq : Number(rc.query.since ?? 0) || 0, success: true };
    });

    addBotRoutes(instance, router);
    return router;
}

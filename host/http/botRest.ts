// The REST endpoints a bot (or any client) needs to find and use its rooms, with Rocket.Chat's bodies, answers and
// errors: its subscriptions and rooms (subscriptions.get, subscriptions.getOne, rooms.get), a room by id or name
// (channels.info, groups.info), direct rooms (im.create, im.messages?username=), posting (chat.postMessage with
// `#channel` / `@username` / a room id, chat.sendMessage) and deleting (chat.delete). Registered by restRoutes.
import type { Instance } from '../instance';
import { canDeleteMessage, deleteMessage, sendMessage } from '../lib/messages';
import { hasMessagePermission } from '../lib/roomPermissions';
import { createDirect } from '../lib/rooms';
import type { MessageDoc, RoomDoc, UserDoc } from '../store/docs';
import { randomId } from '../store/ids';
import { requireUser } from './rest';
import { failure, HttpError, type RequestContext, type Router } from './router';

function str(value: unknown): string | undefined {
    return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What a Meteor.Error(code, reason) becomes in an API.v1.failure: `{success: false, error: 'reason [code]', errorType: code}`. */
function meteorError(code: string, reason: string, extra: Record<string, unknown> = {}): HttpError {
    return failure(`${reason} [${code}]`, { errorType: code, ...extra });
}

const REASONS: Record<string, string> = {
    'error-invalid-room': 'Invalid room',
    'error-invalid-user': 'Invalid user',
    'error-not-allowed': 'Not allowed',
    'error-message-size-exceeded': 'Message size exceeds Message_MaxAllowedSize',
};

/** The host's send errors (`error-…` codes, or `Reason [code]`, or plain text) as the server's API failures. */
function sendFailure(error: unknown): HttpError {
    const message = (error as Error)?.message ?? String(error);
    const bare = /^(error-[\w-]+)$/.exec(message);
    if (bare) return meteorError(bare[1], REASONS[bare[1]] ?? bare[1]);
    const coded = /^(.*) \[(error-[\w-]+)\]$/.exec(message);
    if (coded) return meteorError(coded[2], coded[1]);
    return failure(message);
}

/** A subscription document as the server keeps it (ISubscription), made from the host's membership row. */
function subscriptionOf(instance: Instance, room: RoomDoc, user: UserDoc): Record<string, unknown> {
    const { ctx } = instance;
    const sub = ctx.rooms.subscription(room._id, user._id);
    const other = room.t === 'd' ? ctx.users.findManyByIds((room.uids ?? []).filter((id) => id !== user._id))[0] : undefined;
    const ts = sub?.ts ?? room.ts;
    return {
        _id: `${room._id}-${user._id}`,
        rid: room._id,
        u: { _id: user._id, username: user.username, ...(user.name && { name: user.name }) },
        t: room.t,
        name: room.t === 'd' ? (other?.username ?? user.username) : (room.name ?? room._id),
        fname: room.t === 'd' ? (other?.name ?? other?.username ?? user.username) : (room.fname ?? room.name ?? room._id),
        ts,
        ls: ts,
        _updatedAt: room._updatedAt > ts ? room._updatedAt : ts,
        open: true,
        alert: false,
        unread: 0,
        userMentions: 0,
        groupMentions: 0,
        ...(sub?.roles.length && { roles: sub.roles }),
    };
}

/** Rooms the user is subscribed to, oldest membership first. */
function roomsOf(instance: Instance, user: UserDoc): RoomDoc[] {
    return instance.ctx.rooms.roomIdsOf(user._id).map((rid) => instance.ctx.rooms.findById(rid)).filter((r): r is RoomDoc => Boolean(r));
}

/** `?updatedSince=` (an ISO date): only what changed after it; the server answers 400 for a date it cannot read. */
function updatedSince(rc: RequestContext): Date | undefined {
    const value = str(rc.query.updatedSince);
    if (!value) return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
        throw meteorError('error-roomId-param-invalid', 'The "lastUpdate" query parameter must be a valid date.');
    }
    return date;
}

/** channels.info / groups.info: the room by roomId or roomName, of that type and visible to the caller. */
function roomInfo(instance: Instance, rc: RequestContext, type: 'c' | 'p'): RoomDoc {
    const user = requireUser(rc);
    const roomId = str(rc.query.roomId);
    const roomName = str(rc.query.roomName);
    if (!roomId && !roomName) {
        throw meteorError('error-room-param-not-provided', 'The parameter "roomId" or "roomName" is required');
    }
    const room = roomId ? instance.ctx.rooms.findById(roomId) : instance.ctx.rooms.findByName(roomName as string);
    const visible = room && room.t === type && (type === 'c' || instance.ctx.rooms.isMember(room._id, user._id));
    if (!room || !visible) {
        throw meteorError('error-room-not-found', `The required "roomId" or "roomName" param provided does not match any ${type === 'c' ? 'channel' : 'group'}`);
    }
    return room;
}

/** The direct room between the caller and `username`, created when there is none (as the server's createDirectMessage). */
function directWith(instance: Instance, user: UserDoc, username: string): RoomDoc | undefined {
    const other = instance.ctx.users.findByUsername(username);
    if (!other) return undefined;
    return createDirect(instance.ctx, user._id, other._id === user._id ? [] : [other.username]);
}

/**
 * chat.postMessage's target, as processWebhookMessage reads `channel` (or `roomId`): `#name` a channel or group,
 * `@username` the direct room with that user (created when missing), anything else a room id, then a room name.
 */
function postTarget(instance: Instance, user: UserDoc, target: string): RoomDoc {
    const { ctx } = instance;
    let room: RoomDoc | undefined;
    if (target.startsWith('#')) {
        room = ctx.rooms.findByName(target.slice(1)) ?? ctx.rooms.findById(target.slice(1));
    } else if (target.startsWith('@')) {
        room = directWith(instance, user, target.slice(1));
    } else {
        room = ctx.rooms.findById(target) ?? ctx.rooms.findByName(target);
    }
    if (!room) {
        throw failure('[invalid-channel]', { errorType: 'invalid-channel' });
    }
    return room;
}

/** The message fields chat.postMessage and chat.sendMessage keep (the server's message object from a client). */
function messageFields(source: Record<string, unknown>): Partial<MessageDoc> {
    const out: Partial<MessageDoc> = {};
    if (typeof source.alias === 'string') out.alias = source.alias;
    if (typeof source.emoji === 'string' && source.emoji) out.emoji = source.emoji;
    if (typeof source.avatar === 'string' && source.avatar) out.avatar = source.avatar;
    if (Array.isArray(source.attachments)) out.attachments = source.attachments.filter((a) => a && typeof a === 'object');
    if (typeof source.tmid === 'string' && source.tmid) out.tmid = source.tmid;
    if (typeof source.parseUrls === 'boolean') out.parseUrls = source.parseUrls;
    if (typeof source.groupable === 'boolean') out.groupable = source.groupable;
    if (source.customFields !== undefined) out.customFields = source.customFields as Record<string, unknown>;
    return out;
}

/**
 * chat.delete's body as the server's `validateParams: isChatDeleteProps` (@rocket.chat/rest-typings, ajv with
 * coerceTypes) reads it: `{msgId, roomId}` or `{fileId}`, optional `asUser` (boolean), nothing else; scalars are
 * coerced (`1` → `'1'`, `'true'` → `true`). A refusal is the API's `invalid-params` error with ajv's first messages,
 * e.g. `must have required property 'msgId'\n must have required property 'fileId'\n must match a schema in anyOf
 * [invalid-params]`.
 */
function chatDeleteParams(body: Record<string, unknown>): { msgId?: string; roomId?: string; asUser: boolean } {
    const invalid = (messages: string[]) => meteorError('invalid-params', messages.join('\n '));
    const missing = ['msgId', 'roomId'].find((key) => !(key in body));
    if (missing && !('fileId' in body)) {
        throw invalid([`must have required property '${missing}'`, "must have required property 'fileId'", 'must match a schema in anyOf']);
    }
    if (Object.keys(body).some((key) => !['msgId', 'roomId', 'fileId', 'asUser'].includes(key))) {
        throw invalid(['must NOT have additional properties']);
    }
    const text = (value: unknown): string | undefined => {
        if (value === undefined) return undefined;
        if (value === null) return '';
        if (typeof value === 'object') throw invalid(['must be string']);
        return String(value);
    };
    const flags: Record<string, boolean> = { true: true, false: false, 1: true, 0: false };
    const asUser = body.asUser === undefined || body.asUser === null ? false : flags[String(body.asUser)];
    if (asUser === undefined || (typeof body.asUser === 'object' && body.asUser !== null)) {
        throw invalid(['must be boolean']);
    }
    text(body.fileId);
    return { msgId: text(body.msgId), roomId: text(body.roomId), asUser };
}

export function addBotRoutes(instance: Instance, router: Router): void {
    const { ctx } = instance;

    // --- the caller's rooms --------------------------------------------------------------------------------
    router.get('/api/v1/subscriptions.get', async (rc) => {
        const user = requireUser(rc);
        const since = updatedSince(rc);
        const update = roomsOf(instance, user)
            .map((room) => subscriptionOf(instance, room, user))
            .filter((sub) => !since || (sub._updatedAt as Date) > since);
        return { update, remove: [], success: true };
    });

    router.get('/api/v1/subscriptions.getOne', async (rc) => {
        const user = requireUser(rc);
        const roomId = str(rc.query.roomId);
        if (!roomId) {
            throw failure('The \'roomId\' param is required');
        }
        const room = ctx.rooms.findById(roomId);
        const subscription = room && ctx.rooms.isMember(room._id, user._id) ? subscriptionOf(instance, room, user) : null;
        return { subscription, success: true };
    });

    router.get('/api/v1/rooms.get', async (rc) => {
        const user = requireUser(rc);
        const since = updatedSince(rc);
        const update = roomsOf(instance, user).filter((room) => !since || room._updatedAt > since);
        return { update, remove: [], success: true };
    });

    router.get('/api/v1/channels.info', async (rc) => ({ channel: roomInfo(instance, rc, 'c'), success: true }));
    router.get('/api/v1/groups.info', async (rc) => ({ group: roomInfo(instance, rc, 'p'), success: true }));

    // --- direct rooms --------------------------------------------------------------------------------------
    // im.create {username} | {usernames: 'a,b'} (a group DM), `excludeSelf`: the direct room, created when missing.
    router.post('/api/v1/im.create', async (rc) => {
        const user = requireUser(rc);
        const body = await rc.json();
        const usernames = str(body.usernames)
            ?.split(',')
            .map((u) => u.trim())
            .filter(Boolean) ?? (str(body.username) ? [str(body.username) as string] : []);
        if (usernames.length === 0) {
            throw failure('Body param "username" or "usernames" is required');
        }
        let room: RoomDoc;
        try {
            room = createDirect(ctx, user._id, usernames.filter((u) => u !== user.username || usernames.length === 1));
        } catch (error) {
            throw sendFailure(error);
        }
        return { room: { ...room, rid: room._id }, success: true };
    });

    // --- posting -------------------------------------------------------------------------------------------
    router.post('/api/v1/chat.postMessage', async (rc) => {
        const user = requireUser(rc);
        const body = await rc.json();
        const target = str(body.channel) ?? str(body.roomId);
        if (!target) {
            throw failure('[invalid-channel]', { errorType: 'invalid-channel' });
        }
        const room = postTarget(instance, user, target);
        const text = typeof body.text === 'string' ? body.text : typeof body.msg === 'string' ? body.msg : '';
        try {
            const message = sendMessage(ctx, user._id, {
                rid: room._id,
                msg: text.trim(),
                alias: '',
                groupable: false,
                parseUrls: !Array.isArray(body.attachments),
                ...messageFields(body),
                attachments: Array.isArray(body.attachments) ? (body.attachments as unknown[]).filter((a) => a && typeof a === 'object') : [],
            });
            return { ts: Date.now(), channel: target, message, success: true };
        } catch (error) {
            throw sendFailure(error);
        }
    });

    // chat.sendMessage {message: {rid, msg, _id?, tmid?, alias?, emoji?, avatar?, attachments?, customFields?}}
    router.post('/api/v1/chat.sendMessage', async (rc) => {
        const user = requireUser(rc);
        const body = await rc.json();
        const input = body.message && typeof body.message === 'object' && !Array.isArray(body.message) ? (body.message as Record<string, unknown>) : undefined;
        if (!input) {
            throw meteorError('error-invalid-params', 'The "message" parameter must be provided.');
        }
        const rid = str(input.rid);
        if (!rid) {
            throw failure("The 'rid' property on the message object is missing.");
        }
        const id = str(input._id);
        if (id && ctx.messages.findById(id)) {
            throw failure('A message with this id already exists', { errorType: 'error-duplicate-message' });
        }
        try {
            const message = sendMessage(ctx, user._id, {
                _id: id ?? randomId(),
                rid,
                msg: typeof input.msg === 'string' ? input.msg : '',
                ...messageFields(input),
            });
            return { message, success: true };
        } catch (error) {
            throw sendFailure(error);
        }
    });

    // --- deleting ------------------------------------------------------------------------------------------
    // chat.delete {roomId, msgId, asUser?} as apps/meteor/app/api/server/v1/chat.ts has it: the message must exist and
    // be in that room; `asUser` (delete as the message's author) takes `force-delete-message` unless it is one's own;
    // then deleteMessageValidatingPermission (apps/meteor/app/lib/server/functions/deleteMessage.ts): canDeleteMessage
    // or `Not allowed [error-action-not-allowed]`, then deleteMessage (apps may prevent it; IPostMessageDeleted
    // follows, fire-and-forget, on this instance). Answers `{_id, ts: '<ms>', message: {_id, rid, u}}`. The host has
    // no uploads: a `{fileId}` body finds no message, as `msgId` undefined does on the server.
    router.post('/api/v1/chat.delete', async (rc) => {
        const caller = requireUser(rc);
        const params = chatDeleteParams(await rc.json());
        const msg = params.msgId !== undefined ? ctx.messages.findById(params.msgId) : undefined;
        if (!msg) {
            throw failure(`No message found with the id of "${params.msgId}".`);
        }
        if (params.roomId !== msg.rid) {
            throw failure('The room id provided does not match where the message is from.');
        }
        if (params.asUser && msg.u._id !== caller._id && !hasMessagePermission(ctx, caller, 'force-delete-message', msg.rid)) {
            throw failure('Unauthorized. You must have the permission "force-delete-message" to delete other\'s message as them.');
        }
        const user = ctx.users.findById(params.asUser ? msg.u._id : caller._id);
        if (!user) {
            throw failure('User not found');
        }
        try {
            if (!canDeleteMessage(ctx, user, msg)) {
                throw new Error('Not allowed [error-action-not-allowed]');
            }
            await deleteMessage(ctx, msg, user);
        } catch (error) {
            throw sendFailure(error);
        }
        return { _id: msg._id, ts: Date.now().toString(), message: { _id: msg._id, rid: msg.rid, u: msg.u }, success: true };
    });
}

export { directWith };

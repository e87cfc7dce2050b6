// The REST endpoints a bot (or any client) needs to find and use its rooms, with Rocket.Chat's bodies, answers and
// errors: its subscriptions and rooms (subscriptions.get, subscriptions.getOne, rooms.get), a room by id or name
// (channels.info, groups.info), direct rooms (im.create, im.messages?username=) and posting (chat.postMessage with
// `#channel` / `@username` / a room id, chat.sendMessage). Registered by restRoutes.
import type { Instance } from '../instance';
import { sendMessage } from '../lib/messages';
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
}

export { directWith };

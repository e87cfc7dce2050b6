// The two Rocket.Chat streams a bot needs, fed from what the host records in the shared store:
//
// - `stream-notify-user`, event `<userId>/message`: the ephemeral messages a user is sent (an app's notifyUser /
//   notifyRoom: `/meta` replies, change events), shaped as the server's `notify.ephemeralMessage` handler shapes them;
//   event `<userId>/uiInteraction`: the UIKit interactions (views an app opens) for that user.
// - `stream-room-messages`, event `<roomId>`: every message inserted into or edited in the room, as stored; event
//   `__my_messages__`: the same for every room the user can access, with `{roomParticipant, roomType, roomName}`.
//
// Read rules as in Rocket.Chat's NotificationsModule. An instance delivers what ANY instance of the cluster recorded:
// it polls the store (the notifications table and message_events) while it has subscribers, the way Rocket.Chat
// instances each deliver, to their own sessions, what the cluster broadcast.
import type { HostContext } from '../engine/context';
import type { MessageDoc, NotificationRecord } from '../store/docs';
import { stringify } from './ejson';

export const STREAM_NOTIFY_USER = 'stream-notify-user';
export const STREAM_ROOM_MESSAGES = 'stream-room-messages';
export const STREAMS = [STREAM_NOTIFY_USER, STREAM_ROOM_MESSAGES] as const;
export type StreamName = (typeof STREAMS)[number];

export const MY_MESSAGES = '__my_messages__';

/** A Meteor.Error as Rocket.Chat's MeteorError serializes it into `result` and `nosub` frames. */
export class MeteorError extends Error {
    constructor(
        readonly error: string | number,
        readonly reason?: string,
        readonly details?: Record<string, unknown>,
    ) {
        super(`${reason ? `${reason} ` : ''}[${String(error)}]`);
    }

    toJSON(): Record<string, unknown> {
        return {
            isClientSafe: true,
            error: this.error,
            ...(this.reason !== undefined && { reason: this.reason }),
            message: this.message,
            ...(this.details && { details: this.details }),
            errorType: 'Meteor.Error',
        };
    }
}

/** What a stream needs of a DDP session. */
export interface StreamSession {
    readonly userId?: string;
    sendText(text: string): void;
}

export interface StreamSubscription {
    /** the DDP subscription id */
    readonly id: string;
    readonly name: StreamName;
    readonly eventName: string;
    readonly session: StreamSession;
    /** only records after these store positions (what was recorded before the subscription is not sent) */
    readonly afterNotification: number;
    readonly afterMessage: number;
}

export function isStreamName(name: unknown): name is StreamName {
    return typeof name === 'string' && (STREAMS as readonly string[]).includes(name);
}

/** Rocket.Chat's allowRead rules of the two streams. */
export function isReadAllowed(ctx: HostContext, name: StreamName, eventName: string, userId: string | undefined): boolean {
    if (name === STREAM_NOTIFY_USER) {
        const [owner, event] = eventName.split('/');
        return event === 'webrtc' || (userId !== undefined && userId === owner);
    }
    if (eventName === MY_MESSAGES) {
        return true;
    }
    const room = ctx.rooms.findById(eventName);
    // canAccessRoom, or (for a public channel) the preview-c-room permission, which every user has by default
    return Boolean(room && userId && ctx.users.findById(userId)?.active && ctx.rooms.canAccess(room, { _id: userId }));
}

/** The server's `notify.ephemeralMessage` handler: defaults first, then the message the app sent. */
export function ephemeralPayload(rec: NotificationRecord): Record<string, unknown> {
    const at = new Date(rec.ts);
    return {
        groupable: false,
        u: { _id: 'rocket.cat', username: 'rocket.cat' },
        private: true,
        _id: String(at.getTime()),
        rid: rec.roomId,
        ts: at,
        _updatedAt: at,
        ...rec.message,
    };
}

function changedFrame(name: StreamName, eventName: string, args: unknown[]): string {
    return stringify({ msg: 'changed', collection: name, id: 'id', fields: { eventName, args } });
}

/** Delivers recorded notifications and message events to the subscriptions of this instance's DDP sessions. */
export class StreamFeed {
    private readonly byEvent = new Map<string, Set<StreamSubscription>>();

    private count = 0;

    private notificationSeq = 0;

    private messageSeq = 0;

    private timer?: NodeJS.Timeout;

    private readonly pruneTimer: NodeJS.Timeout;

    constructor(
        private readonly ctx: HostContext,
        private readonly pollMs = 50,
        /** message events older than this are deleted (no subscription can still need them) */
        private readonly keepEventsMs = 5 * 60_000,
    ) {
        this.pruneTimer = setInterval(() => this.prune(), 60_000);
        this.pruneTimer.unref();
    }

    /** Registers a subscription; it gets what is recorded from now on. */
    add(sub: Omit<StreamSubscription, 'afterNotification' | 'afterMessage'>): StreamSubscription {
        const full: StreamSubscription = { ...sub, afterNotification: this.ctx.notifications.lastSeq(), afterMessage: this.ctx.messages.lastEventSeq() };
        if (this.count === 0) {
            this.notificationSeq = full.afterNotification;
            this.messageSeq = full.afterMessage;
            this.timer = setInterval(() => this.poll(), this.pollMs);
            this.timer.unref();
        }
        const key = `${sub.name}:${sub.eventName}`;
        const set = this.byEvent.get(key) ?? new Set();
        if (!set.has(full)) {
            set.add(full);
            this.count += 1;
        }
        this.byEvent.set(key, set);
        return full;
    }

    remove(sub: StreamSubscription): void {
        const key = `${sub.name}:${sub.eventName}`;
        const set = this.byEvent.get(key);
        if (set?.delete(sub)) {
            this.count -= 1;
            if (set.size === 0) {
                this.byEvent.delete(key);
            }
        }
        if (this.count === 0 && this.timer) {
            clearInterval(this.timer);
            this.timer = undefined;
        }
    }

    stop(): void {
        clearInterval(this.timer);
        clearInterval(this.pruneTimer);
        this.timer = undefined;
        this.byEvent.clear();
        this.count = 0;
    }

    private subscribers(name: StreamName, eventName: string): StreamSubscription[] {
        return Array.from(this.byEvent.get(`${name}:${eventName}`) ?? []);
    }

    private poll(): void {
        try {
            for (const rec of this.ctx.notifications.listSince(this.notificationSeq)) {
                this.notificationSeq = rec.seq;
                this.deliverNotification(rec);
            }
            for (const event of this.ctx.messages.eventsSince(this.messageSeq)) {
                this.messageSeq = event.seq;
                this.deliverMessage(event.seq, event.rid, event.message);
            }
        } catch (error) {
            // the store closes while the instance stops; anything else is worth a line in host.log
            if (this.ctx.store.db.open) {
                this.ctx.log.add('error', 'ddp', `stream delivery failed: ${(error as Error)?.stack ?? error}`);
            }
        }
    }

    private deliverNotification(rec: NotificationRecord): void {
        const eventName = `${rec.userId}/${rec.kind === 'uiInteraction' ? 'uiInteraction' : 'message'}`;
        const subs = this.subscribers(STREAM_NOTIFY_USER, eventName).filter((s) => rec.seq > s.afterNotification);
        if (subs.length === 0) {
            return;
        }
        const frame = changedFrame(STREAM_NOTIFY_USER, eventName, [rec.kind === 'uiInteraction' ? rec.message : ephemeralPayload(rec)]);
        for (const sub of subs) {
            sub.session.sendText(frame);
        }
    }

    private deliverMessage(seq: number, rid: string, message: MessageDoc): void {
        const roomSubs = this.subscribers(STREAM_ROOM_MESSAGES, rid).filter((s) => seq > s.afterMessage);
        const mine = this.subscribers(STREAM_ROOM_MESSAGES, MY_MESSAGES).filter((s) => seq > s.afterMessage && s.session.userId);
        if (roomSubs.length === 0 && mine.length === 0) {
            return;
        }
        const room = this.ctx.rooms.findById(rid);
        if (!room) {
            return;
        }
        // Rocket.Chat drops a session's room subscription when the user leaves or is removed from the room
        const mayRead = (sub: StreamSubscription) => Boolean(sub.session.userId && this.ctx.rooms.canAccess(room, { _id: sub.session.userId }));
        const frame = changedFrame(STREAM_ROOM_MESSAGES, rid, [message]);
        for (const sub of roomSubs.filter(mayRead)) {
            sub.session.sendText(frame);
        }
        for (const sub of mine.filter(mayRead)) {
            const allowed = { roomParticipant: this.ctx.rooms.isMember(rid, sub.session.userId as string), roomType: room.t, roomName: room.name };
            sub.session.sendText(changedFrame(STREAM_ROOM_MESSAGES, MY_MESSAGES, [message, allowed]));
        }
    }

    private prune(): void {
        try {
            this.ctx.messages.pruneEvents(new Date(Date.now() - this.keepEventsMs));
        } catch {
            // the store may be closing
        }
    }
}

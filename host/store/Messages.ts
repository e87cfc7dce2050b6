import type { MessageDoc, NotificationRecord } from './docs';
import { fromJson, Store, toJson } from './Store';

/** Room messages (Rocket.Chat's `rocketchat_message`). */
export class Messages {
    constructor(private readonly store: Store) {}

    insert(message: MessageDoc): void {
        this.store.tx(() => {
            this.store.db.prepare('INSERT INTO messages (_id, rid, ts, doc) VALUES (?, ?, ?, ?)').run(message._id, message.rid, message.ts.toISOString(), toJson(message));
            this.recordEvent(message);
        });
    }

    findById(id: string): MessageDoc | undefined {
        const row = this.store.db.prepare<[string], { doc: string }>('SELECT doc FROM messages WHERE _id = ?').get(id);
        return row ? fromJson<MessageDoc>(row.doc) : undefined;
    }

    replace(message: MessageDoc): void {
        this.store.tx(() => {
            if (this.store.db.prepare('UPDATE messages SET doc = ? WHERE _id = ?').run(toJson(message), message._id).changes > 0) {
                this.recordEvent(message);
            }
        });
    }

    /** What Rocket.Chat's message watcher sees (an insert or an update), kept for the realtime streams. */
    private recordEvent(message: MessageDoc): void {
        this.store.db.prepare('INSERT INTO message_events (rid, ts, doc) VALUES (?, ?, ?)').run(message.rid, new Date().toISOString(), toJson(message));
    }

    /** Messages inserted or edited after `since` (a `message_events` seq), oldest first, as they were then. */
    eventsSince(since: number, limit = 500): { seq: number; rid: string; message: MessageDoc }[] {
        return this.store.db
            .prepare<[number, number], { seq: number; rid: string; doc: string }>('SELECT seq, rid, doc FROM message_events WHERE seq > ? ORDER BY seq LIMIT ?')
            .all(since, limit)
            .map((r) => ({ seq: r.seq, rid: r.rid, message: fromJson<MessageDoc>(r.doc) }));
    }

    lastEventSeq(): number {
        return (this.store.db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM message_events').get() as { seq: number | null }).seq ?? 0;
    }

    /** Drops message events recorded before `before` (nobody subscribed then still needs them). */
    pruneEvents(before: Date): void {
        this.store.db.prepare('DELETE FROM message_events WHERE ts < ?').run(before.toISOString());
    }

    /** Deletes the message; false when there was none. */
    remove(id: string): boolean {
        return this.store.db.prepare('DELETE FROM messages WHERE _id = ?').run(id).changes > 0;
    }

    /** A room's messages, oldest first by insertion; `order: 'desc'` newest first (as channels.messages). */
    listByRoom(rid: string, opts: { order?: 'asc' | 'desc'; limit?: number; offset?: number; includeThreads?: boolean } = {}): MessageDoc[] {
        const order = opts.order === 'desc' ? 'DESC' : 'ASC';
        const limit = opts.limit ?? -1;
        const offset = opts.offset ?? 0;
        return this.store.db
            .prepare<[string, number, number], { doc: string }>(`SELECT doc FROM messages WHERE rid = ? ORDER BY seq ${order} LIMIT ? OFFSET ?`)
            .all(rid, limit, offset)
            .map((r) => fromJson<MessageDoc>(r.doc))
            .filter((m) => opts.includeThreads !== false || !m.tmid);
    }

    countByRoom(rid: string): number {
        return (this.store.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM messages WHERE rid = ?').get(rid) as { n: number }).n;
    }
}

/**
 * Ephemeral messages. On a real server `notifyUser`/`notifyRoom` broadcast to the user's open sessions and keep
 * nothing; the host records each one (per recipient) so that tests and people can read what a user was shown.
 */
type NotificationRow = { seq: number; uid: string; rid: string | null; kind: string; ts: string; instance: string | null; doc: string };

/** A stored notification with its message as `parse` reads the stored JSON. */
function notificationOf(r: NotificationRow, parse: (doc: string) => Record<string, unknown>): NotificationRecord {
    return { seq: r.seq, userId: r.uid, roomId: r.rid, kind: r.kind as NotificationRecord['kind'], ts: r.ts, instance: r.instance, message: parse(r.doc) };
}

export class Notifications {
    constructor(private readonly store: Store) {}

    insert(rec: Omit<NotificationRecord, 'seq' | 'ts'>): number {
        const result = this.store.db
            .prepare('INSERT INTO notifications (uid, rid, kind, ts, instance, doc) VALUES (?, ?, ?, ?, ?, ?)')
            .run(rec.userId, rec.roomId, rec.kind, new Date().toISOString(), rec.instance, toJson(rec.message));
        return Number(result.lastInsertRowid);
    }

    listForUser(uid: string, opts: { since?: number; roomId?: string; limit?: number } = {}): NotificationRecord[] {
        const rows = this.store.db
            .prepare<[string, number, number], NotificationRow>(
                'SELECT * FROM notifications WHERE uid = ? AND seq > ? ORDER BY seq ASC LIMIT ?',
            )
            .all(uid, opts.since ?? 0, opts.limit ?? 1000);
        return rows
            .filter((r) => !opts.roomId || r.rid === opts.roomId)
            .map((r) => notificationOf(r, (doc) => JSON.parse(doc) as Record<string, unknown>));
    }

    lastSeq(): number {
        return (this.store.db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM notifications').get() as { seq: number | null }).seq ?? 0;
    }

    /** Every user's notifications after `since`, oldest first (what the realtime streams deliver). */
    listSince(since: number, limit = 500): NotificationRecord[] {
        return this.store.db
            .prepare<[number, number], NotificationRow>(
                'SELECT * FROM notifications WHERE seq > ? ORDER BY seq ASC LIMIT ?',
            )
            .all(since, limit)
            // top-level dates (ts, _updatedAt, …) as Dates, so that the streams send them as dates
            .map((r) => notificationOf(r, (doc) => fromJson<Record<string, unknown>>(doc)));
    }
}

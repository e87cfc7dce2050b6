import type { RoomDoc, RoomRole, SubscriptionDoc, UserDoc } from './docs';
import { fromJson, Store, toJson } from './Store';

/** Rooms and subscriptions (membership with room roles), as Rocket.Chat's `rocketchat_room` and `_subscription`. */
export class Rooms {
    constructor(private readonly store: Store) {}

    findById(id: string): RoomDoc | undefined {
        const row = this.store.db.prepare<[string], { doc: string }>('SELECT doc FROM rooms WHERE _id = ?').get(id);
        return row ? fromJson<RoomDoc>(row.doc) : undefined;
    }

    findByName(name: string): RoomDoc | undefined {
        const row = this.store.db.prepare<[string], { doc: string }>('SELECT doc FROM rooms WHERE name = ?').get(name);
        return row ? fromJson<RoomDoc>(row.doc) : undefined;
    }

    /** A room by id, else by name (what `rooms.info` and the REST helpers accept). */
    findByIdOrName(idOrName: string): RoomDoc | undefined {
        return this.findById(idOrName) ?? this.findByName(idOrName.replace(/^#/, ''));
    }

    /** Rocket.Chat's findDirectRoomContainingAllUsernames. */
    findDirectContainingAllUsernames(usernames: string[]): RoomDoc | undefined {
        return this.list({ types: ['d'] }).find((r) => usernames.every((u) => r.usernames?.includes(u)));
    }

    list(filter: { types?: string[] } = {}): RoomDoc[] {
        return this.store.db
            .prepare<[], { doc: string; t: string }>('SELECT doc, t FROM rooms ORDER BY rowid')
            .all()
            .filter((r) => !filter.types || filter.types.includes(r.t))
            .map((r) => fromJson<RoomDoc>(r.doc));
    }

    insert(room: RoomDoc): void {
        this.store.db.prepare('INSERT INTO rooms (_id, name, t, doc) VALUES (?, ?, ?, ?)').run(room._id, room.name ?? null, room.t, toJson(room));
    }

    /** Mongo's `$set` of top-level fields: an object value (customFields) replaces the stored object whole. */
    set(id: string, fields: Partial<RoomDoc>): boolean {
        return this.store.tx(() => {
            const room = this.findById(id);
            if (!room) {
                return false;
            }
            const next: RoomDoc = { ...room, ...fields, _id: room._id, _updatedAt: new Date() };
            this.store.db.prepare('UPDATE rooms SET name = ?, t = ?, doc = ? WHERE _id = ?').run(next.name ?? null, next.t, toJson(next), id);
            return true;
        });
    }

    incrementMessages(id: string, at: Date): void {
        this.store.tx(() => {
            const room = this.findById(id);
            if (room) {
                this.set(id, { msgs: (room.msgs ?? 0) + 1, lm: at });
            }
        });
    }

    /** Rooms.decreaseMessageCountById: a message of the room was deleted. */
    decrementMessages(id: string): void {
        this.store.tx(() => {
            const room = this.findById(id);
            if (room) {
                this.set(id, { msgs: (room.msgs ?? 0) - 1 });
            }
        });
    }

    remove(id: string): void {
        this.store.tx(() => {
            this.store.db.prepare('DELETE FROM rooms WHERE _id = ?').run(id);
            this.store.db.prepare('DELETE FROM subscriptions WHERE rid = ?').run(id);
            this.store.db.prepare('DELETE FROM messages WHERE rid = ?').run(id);
        });
    }

    // --- subscriptions -------------------------------------------------------------------------------------

    subscription(rid: string, uid: string): SubscriptionDoc | undefined {
        const row = this.store.db
            .prepare<[string, string], { rid: string; uid: string; roles: string; ts: string }>('SELECT * FROM subscriptions WHERE rid = ? AND uid = ?')
            .get(rid, uid);
        return row ? { rid: row.rid, uid: row.uid, roles: JSON.parse(row.roles), ts: new Date(row.ts) } : undefined;
    }

    isMember(rid: string, uid: string): boolean {
        return Boolean(this.subscription(rid, uid));
    }

    /** Adds a member (idempotent; roles are merged) and keeps usersCount in step. */
    addMember(rid: string, user: Pick<UserDoc, '_id' | 'username'>, roles: RoomRole[] = []): void {
        this.store.tx(() => {
            const existing = this.subscription(rid, user._id);
            if (existing) {
                const merged = Array.from(new Set([...existing.roles, ...roles]));
                this.store.db.prepare('UPDATE subscriptions SET roles = ? WHERE rid = ? AND uid = ?').run(JSON.stringify(merged), rid, user._id);
                return;
            }
            this.store.db.prepare('INSERT INTO subscriptions (rid, uid, roles, ts) VALUES (?, ?, ?, ?)').run(rid, user._id, JSON.stringify(roles), new Date().toISOString());
            const room = this.findById(rid);
            if (room) {
                this.set(rid, { usersCount: this.memberIds(rid).length });
            }
        });
    }

    removeMember(rid: string, uid: string): void {
        this.store.tx(() => {
            this.store.db.prepare('DELETE FROM subscriptions WHERE rid = ? AND uid = ?').run(rid, uid);
            if (this.findById(rid)) {
                this.set(rid, { usersCount: this.memberIds(rid).length });
            }
        });
    }

    memberIds(rid: string): string[] {
        return this.store.db
            .prepare<[string], { uid: string }>('SELECT uid FROM subscriptions WHERE rid = ? ORDER BY rowid')
            .all(rid)
            .map((r) => r.uid);
    }

    memberIdsWithRole(rid: string, role: RoomRole): string[] {
        return this.store.db
            .prepare<[string], { uid: string; roles: string }>('SELECT uid, roles FROM subscriptions WHERE rid = ? ORDER BY rowid')
            .all(rid)
            .filter((r) => (JSON.parse(r.roles) as string[]).includes(role))
            .map((r) => r.uid);
    }

    roomIdsOf(uid: string): string[] {
        return this.store.db
            .prepare<[string], { rid: string }>('SELECT rid FROM subscriptions WHERE uid = ? ORDER BY rowid')
            .all(uid)
            .map((r) => r.rid);
    }

    /**
     * Rocket.Chat's canAccessRoom for the room types the host has: members always; anyone (logged in) for public
     * channels; nobody else.
     */
    canAccess(room: RoomDoc, user: Pick<UserDoc, '_id'>): boolean {
        return room.t === 'c' || this.isMember(room._id, user._id);
    }
}

import crypto from 'node:crypto';

import type { UserDoc } from './docs';
import { randomToken, sha256 } from './ids';
import { fromJson, Store, toJson } from './Store';

const sha256Hex = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** Users, their passwords and login tokens (Rocket.Chat's `users` collection and `services.resume`). */
export class Users {
    constructor(private readonly store: Store) {}

    findById(id: string): UserDoc | undefined {
        const row = this.store.db.prepare<[string], { doc: string }>('SELECT doc FROM users WHERE _id = ?').get(id);
        return row ? fromJson<UserDoc>(row.doc) : undefined;
    }

    findByUsername(username: string): UserDoc | undefined {
        const row = this.store.db.prepare<[string], { doc: string }>('SELECT doc FROM users WHERE username = ?').get(username);
        return row ? fromJson<UserDoc>(row.doc) : undefined;
    }

    /** Rocket.Chat's checkUsernameAvailability compares case-insensitively. */
    isUsernameTaken(username: string): boolean {
        return Boolean(this.store.db.prepare('SELECT 1 FROM users WHERE lower(username) = lower(?)').get(username));
    }

    findByAppId(appId: string): UserDoc | undefined {
        const row = this.store.db.prepare<[string], { doc: string }>('SELECT doc FROM users WHERE app_id = ? ORDER BY rowid LIMIT 1').get(appId);
        return row ? fromJson<UserDoc>(row.doc) : undefined;
    }

    findManyByIds(ids: string[]): UserDoc[] {
        return ids.map((id) => this.findById(id)).filter((u): u is UserDoc => Boolean(u));
    }

    list(): UserDoc[] {
        return this.store.db
            .prepare<[], { doc: string }>('SELECT doc FROM users ORDER BY rowid')
            .all()
            .map((r) => fromJson<UserDoc>(r.doc));
    }

    countActiveHumans(): number {
        return this.list().filter((u) => u.active && u.type === 'user').length;
    }

    insert(user: UserDoc): void {
        this.store.db.prepare('INSERT INTO users (_id, username, app_id, doc) VALUES (?, ?, ?, ?)').run(user._id, user.username, user.appId ?? null, toJson(user));
    }

    /** Mongo's `$set` on the listed top-level fields (a whole object value replaces the stored one). */
    set(id: string, fields: Partial<UserDoc>): boolean {
        return this.store.tx(() => {
            const user = this.findById(id);
            if (!user) {
                return false;
            }
            const next: UserDoc = { ...user, ...fields, _updatedAt: new Date() };
            this.store.db.prepare('UPDATE users SET username = ?, app_id = ?, doc = ? WHERE _id = ?').run(next.username, next.appId ?? null, toJson(next), id);
            return true;
        });
    }

    remove(id: string): void {
        this.store.tx(() => {
            this.store.db.prepare('DELETE FROM users WHERE _id = ?').run(id);
            this.store.db.prepare('DELETE FROM credentials WHERE user_id = ?').run(id);
            this.store.db.prepare('DELETE FROM login_tokens WHERE user_id = ?').run(id);
            this.store.db.prepare('DELETE FROM subscriptions WHERE uid = ?').run(id);
        });
    }

    /**
     * Stores the password the way the server keeps it: a hash of its SHA-256 hex digest (the server bcrypts the
     * digest), so a login may send the password or `{digest, algorithm: 'sha-256'}`, as Meteor clients do.
     */
    setPassword(userId: string, password: string): void {
        const salt = crypto.randomBytes(16);
        const hash = crypto.scryptSync(sha256Hex(password), salt, 32, { N: 1 << 12 });
        this.store.db
            .prepare('INSERT INTO credentials (user_id, password_hash) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET password_hash = excluded.password_hash')
            .run(userId, `sha256:${salt.toString('base64')}:${hash.toString('base64')}`);
    }

    /** The password in the clear, or its SHA-256 digest (`{digest, algorithm: 'sha-256'}`, hex). */
    checkPassword(userId: string, password: string | { digest: string; algorithm?: string }): boolean {
        const row = this.store.db.prepare<[string], { password_hash: string }>('SELECT password_hash FROM credentials WHERE user_id = ?').get(userId);
        if (!row) {
            return false;
        }
        const parts = row.password_hash.split(':');
        if (parts[0] === 'sha256') {
            const [salt, hash] = parts.slice(1).map((p) => Buffer.from(p, 'base64'));
            const digest = typeof password === 'string' ? sha256Hex(password) : password.digest.toLowerCase();
            return crypto.timingSafeEqual(crypto.scryptSync(digest, salt, 32, { N: 1 << 12 }), hash);
        }
        // a store written before digests were kept: the password itself was hashed; only the clear text matches,
        // and a match upgrades the record
        if (typeof password !== 'string') {
            return false;
        }
        const [salt, hash] = parts.map((p) => Buffer.from(p, 'base64'));
        const ok = crypto.timingSafeEqual(crypto.scryptSync(password, salt, 32, { N: 1 << 12 }), hash);
        if (ok) {
            this.setPassword(userId, password);
        }
        return ok;
    }

    /** A password given only as its SHA-256 digest (hex, as Meteor's clients send it over DDP). */
    checkPasswordDigest(userId: string, digest: string): boolean {
        return this.checkPassword(userId, { digest, algorithm: 'sha-256' });
    }

    /** The user with this e-mail address (case-insensitive), as the server's findOneByEmailAddress. */
    findByEmail(address: string): UserDoc | undefined {
        const wanted = address.trim().toLowerCase();
        return this.list().find((u) => u.emails?.some((e) => e.address.toLowerCase() === wanted));
    }

    /** Stores a login token (hashed, as the server does) and returns it in the clear. */
    createToken(userId: string, token: string = randomToken(), label?: string): string {
        this.store.db
            .prepare('INSERT OR REPLACE INTO login_tokens (token_hash, user_id, created_at, label) VALUES (?, ?, ?, ?)')
            .run(sha256(token), userId, new Date().toISOString(), label ?? null);
        return token;
    }

    /** X-User-Id + X-Auth-Token → the user, when the token belongs to that user and the user is active. */
    authenticate(userId: string | undefined, token: string | undefined): UserDoc | undefined {
        if (!userId || !token) {
            return undefined;
        }
        const row = this.store.db.prepare<[string], { user_id: string }>('SELECT user_id FROM login_tokens WHERE token_hash = ?').get(sha256(token));
        if (!row || row.user_id !== userId) {
            return undefined;
        }
        const user = this.findById(userId);
        return user?.active ? user : undefined;
    }

    /** The user and creation time of a login token given in the clear (any user; active or not). */
    findToken(token: string): { userId: string; createdAt: Date } | undefined {
        const row = this.store.db.prepare<[string], { user_id: string; created_at: string }>('SELECT user_id, created_at FROM login_tokens WHERE token_hash = ?').get(sha256(token));
        return row ? { userId: row.user_id, createdAt: new Date(row.created_at) } : undefined;
    }

    deleteToken(token: string): void {
        this.store.db.prepare('DELETE FROM login_tokens WHERE token_hash = ?').run(sha256(token));
    }
}

import crypto from 'node:crypto';

import type { UserDoc } from './docs';
import { randomToken, sha256 } from './ids';
import { fromJson, Store, toJson } from './Store';

const DIGEST_PREFIX = 'sha256:';

function sha256Hex(text: string): string {
    return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `salt:hash` (base64) against scrypt(secret). */
function scryptEquals(secret: string, stored: string): boolean {
    const [salt, hash] = stored.split(':').map((p) => Buffer.from(p, 'base64'));
    const candidate = crypto.scryptSync(secret, salt, 32, { N: 1 << 12 });
    return candidate.length === hash.length && crypto.timingSafeEqual(candidate, hash);
}

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
     * Stores the password the way Meteor's accounts-password does: a hash of its SHA-256 digest (hex), so that a
     * DDP `login` with `{digest, algorithm: 'sha-256'}` can be checked as well as a plain password. (Meteor uses
     * bcrypt of the digest; the host uses scrypt.)
     */
    setPassword(userId: string, password: string): void {
        const salt = crypto.randomBytes(16);
        const hash = crypto.scryptSync(sha256Hex(password), salt, 32, { N: 1 << 12 });
        this.store.db
            .prepare('INSERT INTO credentials (user_id, password_hash) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET password_hash = excluded.password_hash')
            .run(userId, `${DIGEST_PREFIX}${salt.toString('base64')}:${hash.toString('base64')}`);
    }

    checkPassword(userId: string, password: string): boolean {
        const row = this.passwordRow(userId);
        if (!row) {
            return false;
        }
        if (!row.password_hash.startsWith(DIGEST_PREFIX)) {
            // a store written before passwords were kept as digests: a hash of the plain password
            return scryptEquals(password, row.password_hash);
        }
        return scryptEquals(sha256Hex(password), row.password_hash.slice(DIGEST_PREFIX.length));
    }

    /** A password given as its SHA-256 digest (hex, as Meteor's clients send it). */
    checkPasswordDigest(userId: string, digest: string): boolean {
        const row = this.passwordRow(userId);
        if (!row?.password_hash.startsWith(DIGEST_PREFIX)) {
            return false;
        }
        return scryptEquals(digest.toLowerCase(), row.password_hash.slice(DIGEST_PREFIX.length));
    }

    private passwordRow(userId: string): { password_hash: string } | undefined {
        return this.store.db.prepare<[string], { password_hash: string }>('SELECT password_hash FROM credentials WHERE user_id = ?').get(userId);
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

// The host's durable local store: ONE SQLite file shared by every host instance of a local "cluster", the way
// every Rocket.Chat instance shares one MongoDB. It holds what Rocket.Chat keeps in Mongo (users, rooms,
// subscriptions, messages, settings, the apps' persistence, installed apps and their zips, app logs, the apps'
// scheduler jobs) plus what the host itself needs (login tokens, recorded ephemeral notifications, the cluster
// event bus, the injected persistence faults of host/engine/faults.ts).
//
// Durability: WAL journal + synchronous=FULL, so a committed write survives a crash of the process (or of the
// machine) at any point; several processes may use the file at once (busy_timeout makes writers wait instead of
// failing). Every multi-statement change runs in one transaction.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS users (
    _id TEXT PRIMARY KEY,
    username TEXT UNIQUE,
    app_id TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS users_app_id ON users(app_id);
CREATE TABLE IF NOT EXISTS credentials (user_id TEXT PRIMARY KEY, password_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    label TEXT
);

CREATE TABLE IF NOT EXISTS rooms (_id TEXT PRIMARY KEY, name TEXT UNIQUE, t TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscriptions (
    rid TEXT NOT NULL,
    uid TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT '[]',
    ts TEXT NOT NULL,
    PRIMARY KEY (rid, uid)
);
CREATE INDEX IF NOT EXISTS subscriptions_uid ON subscriptions(uid);

CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    _id TEXT NOT NULL UNIQUE,
    rid TEXT NOT NULL,
    ts TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_rid ON messages(rid, seq);
-- Every message as it was inserted or edited, in order: what stream-room-messages sends (host/ddp/). Any instance
-- reads what any other wrote; rows are pruned after a few minutes (a session only gets what follows its subscription).
CREATE TABLE IF NOT EXISTS message_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    rid TEXT NOT NULL,
    ts TEXT NOT NULL,
    doc TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS notifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL,
    rid TEXT,
    kind TEXT NOT NULL,
    ts TEXT NOT NULL,
    instance TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_uid ON notifications(uid, seq);

CREATE TABLE IF NOT EXISTS settings (_id TEXT PRIMARY KEY, doc TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS app_persistence (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    _id TEXT NOT NULL UNIQUE,
    app_id TEXT NOT NULL,
    associations TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS app_persistence_exact ON app_persistence(app_id, associations);
CREATE TABLE IF NOT EXISTS app_persistence_assoc (
    record_seq INTEGER NOT NULL REFERENCES app_persistence(seq) ON DELETE CASCADE,
    app_id TEXT NOT NULL,
    elem TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS app_persistence_assoc_elem ON app_persistence_assoc(app_id, elem);
CREATE INDEX IF NOT EXISTS app_persistence_assoc_record ON app_persistence_assoc(record_seq);

CREATE TABLE IF NOT EXISTS apps (_id TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS app_sources (app_id TEXT PRIMARY KEY, zip BLOB NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS app_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id TEXT NOT NULL,
    method TEXT,
    instance TEXT,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS app_logs_app ON app_logs(app_id, seq);

CREATE TABLE IF NOT EXISTS cluster_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    ts TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS instances (
    id TEXT PRIMARY KEY,
    idx INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    port INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    stopped_at TEXT
);
CREATE TABLE IF NOT EXISTS host_faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    instance INTEGER NOT NULL,
    state TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS host_faults_armed ON host_faults(instance, state);
-- App scheduler jobs (host/store/Jobs.ts), after Agenda's rocketchat_apps_scheduler collection.
CREATE TABLE IF NOT EXISTS scheduler_jobs (
    _id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    app_id TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    next_run_at INTEGER,
    repeat_interval TEXT,
    locked_by TEXT,
    locked_at INTEGER,
    last_run_at INTEGER,
    last_finished_at INTEGER,
    run_count INTEGER NOT NULL DEFAULT 0,
    fail_count INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scheduler_jobs_due ON scheduler_jobs(next_run_at);
CREATE INDEX IF NOT EXISTS scheduler_jobs_name ON scheduler_jobs(name);
CREATE UNIQUE INDEX IF NOT EXISTS scheduler_jobs_single ON scheduler_jobs(name) WHERE type = 'single';
CREATE TABLE IF NOT EXISTS host_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    instance TEXT,
    level TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL
);
`;

/** Fields stored as ISO strings that are Dates in Rocket.Chat's documents (and in the engine's objects). */
const DATE_FIELDS = new Set(['ts', '_updatedAt', 'createdAt', 'updatedAt', 'lastLogin', 'editedAt', 'lm', '_createdAt', 'startTime', 'endTime']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Serialises a document; Dates become ISO strings. */
export function toJson(value: unknown): string {
    return JSON.stringify(value);
}

/**
 * Parses a stored document, turning its known TOP-LEVEL date fields back into Dates. Nested values are left as
 * they were written: an app's own data (customFields, persistence) keeps its strings, as it would in Mongo.
 */
export function fromJson<T>(text: string): T {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const key of Object.keys(value)) {
            const field = value[key];
            if (DATE_FIELDS.has(key) && typeof field === 'string' && ISO_DATE.test(field)) {
                value[key] = new Date(field);
            }
        }
    }
    return value as T;
}

export class Store {
    readonly db: Database.Database;

    readonly file: string;

    constructor(dataDir: string) {
        fs.mkdirSync(dataDir, { recursive: true });
        this.file = path.join(dataDir, 'host.sqlite');
        this.db = new Database(this.file, { timeout: 10_000 });
        this.db.pragma('journal_mode = WAL');
        // FULL: the WAL is fsynced on every commit, so an acknowledged write survives power loss too.
        this.db.pragma('synchronous = FULL');
        this.db.pragma('foreign_keys = ON');
        this.db.pragma('busy_timeout = 10000');
        this.migrate();
    }

    private migrate(): void {
        // BEGIN IMMEDIATE: two instances starting at once must not both create the schema half-way.
        this.db.transaction(() => {
            this.db.exec(SCHEMA);
            const row = this.db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`).get();
            if (!row) {
                this.db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
            } else if (Number(row.value) !== SCHEMA_VERSION) {
                throw new Error(`${this.file} has schema version ${row.value}; this host expects ${SCHEMA_VERSION}. Start with a fresh --data-dir (or --fresh).`);
            }
        }).immediate();
    }

    /** Runs fn in one IMMEDIATE transaction (writers of other processes wait; nothing half-written). */
    tx<T>(fn: () => T): T {
        return this.db.transaction(fn).immediate();
    }

    getMeta(key: string): string | undefined {
        return this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
    }

    /** Sets key only when absent; returns the value that is stored afterwards (ours or the one that won). */
    initMeta(key: string, value: string): string {
        this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, value);
        return this.getMeta(key) as string;
    }

    setMeta(key: string, value: string): void {
        this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    }

    close(): void {
        if (this.db.open) {
            this.db.close();
        }
    }
}

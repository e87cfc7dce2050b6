import { Store } from './Store';

export interface ClusterEvent {
    seq: number;
    origin: string;
    type: string;
    payload: unknown;
}

/**
 * The host's stand-in for Rocket.Chat's cluster broadcast (`api.broadcast('apps.added', …)` reaching every
 * other instance): events go into the shared store and every other instance polls for them. See
 * host/engine/ClusterListener.ts for what an instance does with each one.
 */
export class ClusterEvents {
    constructor(private readonly store: Store) {}

    publish(origin: string, type: string, payload: unknown): void {
        this.store.db.prepare('INSERT INTO cluster_events (origin, type, payload, ts) VALUES (?, ?, ?, ?)').run(origin, type, JSON.stringify(payload ?? null), new Date().toISOString());
    }

    lastSeq(): number {
        return (this.store.db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM cluster_events').get() as { seq: number | null }).seq ?? 0;
    }

    /** Events after `since` that other instances published. */
    since(since: number, self: string): ClusterEvent[] {
        return this.store.db
            .prepare<[number, string], { seq: number; origin: string; type: string; payload: string }>(
                'SELECT seq, origin, type, payload FROM cluster_events WHERE seq > ? AND origin != ? ORDER BY seq',
            )
            .all(since, self)
            .map((r) => ({ seq: r.seq, origin: r.origin, type: r.type, payload: JSON.parse(r.payload) }));
    }
}

export interface HostLogLine {
    seq: number;
    ts: string;
    instance: string | null;
    level: string;
    source: string;
    text: string;
}

/**
 * What the engine and the host reported (console errors and warnings of the engine, permission denials, app
 * log lines at warn/error), kept so that tests can assert on them: the engine only console.errors a missing
 * permission and carries on.
 */
export class HostLog {
    constructor(
        private readonly store: Store,
        private readonly instance: string,
    ) {}

    add(level: string, source: string, text: string): void {
        try {
            this.store.db
                .prepare('INSERT INTO host_log (ts, instance, level, source, text) VALUES (?, ?, ?, ?, ?)')
                .run(new Date().toISOString(), this.instance, level, source, text.slice(0, 20_000));
        } catch {
            // the store may be closed while the process exits; the line was printed anyway
        }
    }

    list(opts: { since?: number; level?: string } = {}): HostLogLine[] {
        return this.store.db
            .prepare<[number], HostLogLine>('SELECT * FROM host_log WHERE seq > ? ORDER BY seq')
            .all(opts.since ?? 0)
            .filter((l) => !opts.level || l.level === opts.level);
    }
}

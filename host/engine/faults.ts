// Fault injection for the app persistence of one host instance: "a writer paused mid-write". A fault pauses this
// instance's Nth persistence write (counted from when the fault was armed) for M ms BEFORE the write takes effect:
// the caller (the app, through the engine) waits, and after M ms the write lands exactly as it would have — it is
// never cancelled, whatever happened meanwhile (a GC pause, a slow primary, a request that timed out in the engine
// but still runs). Faults live in the shared store, so any instance of a cluster can arm one for any other, and
// every instance counts only its own writes.
import type { Store } from '../store/Store';

/** The bridge's write methods (the engine's `createWithAssociation` / `updateByAssociation` / … arrive as these). */
export const WRITE_METHODS = ['create', 'createWithAssociations', 'update', 'updateByAssociations', 'remove', 'removeByAssociations'] as const;
export type WriteMethod = (typeof WRITE_METHODS)[number];
export type FaultMethod = WriteMethod | 'any-write';
export const FAULT_METHODS: readonly FaultMethod[] = [...WRITE_METHODS, 'any-write'];

/** The longest pause a fault may ask for (10 min): a fault is a test instrument, not a way to hang a host. */
export const MAX_PAUSE_MS = 600_000;

export interface PauseWriteSpec {
    /** the instance index whose writes are counted; absent = the instance that arms it */
    instance?: number;
    /** which writes count (default any-write) */
    method?: FaultMethod;
    /** the Nth counted write is paused (1 = the next one) */
    nth: number;
    pauseMs: number;
    /** only writes whose associations or data (as JSON text) contain this string count */
    match?: string;
}

/**
 * armed   counting writes (`seen` so far)
 * paused  the Nth write is being held (`pausedAt`, `call`)
 * done    it took effect after the pause (`resumedAt`, `doneAt`, `outcome`: ok, or error with the write's own error)
 * cleared disarmed before it fired (DELETE host.faults, or the instance restarted)
 */
export type FaultState = 'armed' | 'paused' | 'done' | 'cleared';

export interface WriteFault {
    id: number;
    instance: number;
    method: FaultMethod;
    nth: number;
    pauseMs: number;
    match?: string;
    state: FaultState;
    seen: number;
    armedAt: string;
    pausedAt?: string;
    resumedAt?: string;
    doneAt?: string;
    clearedAt?: string;
    /** the write that was paused */
    call?: { method: WriteMethod; appId: string; associations?: unknown; id?: string };
    outcome?: 'ok' | 'error';
    error?: string;
}

type Row = { id: number; doc: string };

/** Checks a spec (from the CLI or REST); throws an Error saying what is wrong. */
export function validatePauseSpec(spec: Record<string, unknown>): PauseWriteSpec {
    const method = (spec.method ?? 'any-write') as FaultMethod;
    if (!FAULT_METHODS.includes(method)) {
        throw new Error(`method must be one of ${FAULT_METHODS.join(', ')}, not ${JSON.stringify(spec.method)}`);
    }
    if (!Number.isInteger(spec.nth) || (spec.nth as number) < 1) {
        throw new Error(`nth must be a positive integer, not ${JSON.stringify(spec.nth)}`);
    }
    if (!Number.isInteger(spec.pauseMs) || (spec.pauseMs as number) < 0 || (spec.pauseMs as number) > MAX_PAUSE_MS) {
        throw new Error(`pauseMs must be an integer from 0 to ${MAX_PAUSE_MS}, not ${JSON.stringify(spec.pauseMs)}`);
    }
    if (spec.instance !== undefined && (!Number.isInteger(spec.instance) || (spec.instance as number) < 0)) {
        throw new Error(`instance must be an instance index (0, 1, …), not ${JSON.stringify(spec.instance)}`);
    }
    if (spec.match !== undefined && (typeof spec.match !== 'string' || spec.match === '')) {
        throw new Error(`match must be a non-empty string, not ${JSON.stringify(spec.match)}`);
    }
    return { instance: spec.instance as number | undefined, method, nth: spec.nth as number, pauseMs: spec.pauseMs as number, ...(spec.match !== undefined && { match: spec.match as string }) };
}

/**
 * `--pause-write N:M[:METHOD][@INSTANCE]`: pause the Nth write for M ms (only METHOD's writes counting; only on
 * instance INSTANCE — default every instance, each counting its own writes).
 */
export function parsePauseWrite(text: string): PauseWriteSpec {
    const m = /^(\d+):(\d+)(?::([A-Za-z-]+))?(?:@(\d+))?$/.exec(text);
    if (!m) {
        throw new Error(`--pause-write: N:M[:METHOD][@INSTANCE] (e.g. 3:12000, 1:5000:updateByAssociations@1), not ${text}`);
    }
    try {
        return validatePauseSpec({ nth: Number(m[1]), pauseMs: Number(m[2]), method: (m[3] ?? 'any-write') as FaultMethod, instance: m[4] === undefined ? undefined : Number(m[4]) });
    } catch (error) {
        throw new Error(`--pause-write ${text}: ${(error as Error).message}`);
    }
}

export function formatPauseWrite(spec: PauseWriteSpec): string {
    return `${spec.nth}:${spec.pauseMs}${spec.method && spec.method !== 'any-write' ? `:${spec.method}` : ''}${spec.instance !== undefined ? `@${spec.instance}` : ''}`;
}

export interface FaultOptions {
    sleep?: (ms: number) => Promise<void>;
    now?: () => Date;
}

/** One instance's view of the fault table: arms, lists and clears faults, and holds this instance's writes. */
export class WriteFaults {
    private readonly sleep: (ms: number) => Promise<void>;

    private readonly now: () => Date;

    constructor(
        private readonly store: Store,
        /** this instance's index: only faults armed for it hold its writes */
        readonly instanceIndex: number,
        options: FaultOptions = {},
    ) {
        this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
        this.now = options.now ?? (() => new Date());
    }

    arm(spec: PauseWriteSpec): WriteFault {
        const valid = validatePauseSpec({ ...spec });
        const fault: Omit<WriteFault, 'id'> = {
            instance: valid.instance ?? this.instanceIndex,
            method: valid.method ?? 'any-write',
            nth: valid.nth,
            pauseMs: valid.pauseMs,
            ...(valid.match !== undefined && { match: valid.match }),
            state: 'armed',
            seen: 0,
            armedAt: this.now().toISOString(),
        };
        const result = this.store.db.prepare('INSERT INTO host_faults (instance, state, doc) VALUES (?, ?, ?)').run(fault.instance, fault.state, JSON.stringify(fault));
        return { id: Number(result.lastInsertRowid), ...fault };
    }

    /** Every fault of every instance, oldest first (`instance` given: that instance's only). */
    list(instance?: number): WriteFault[] {
        const rows =
            instance === undefined
                ? this.store.db.prepare<[], Row>('SELECT id, doc FROM host_faults ORDER BY id').all()
                : this.store.db.prepare<[number], Row>('SELECT id, doc FROM host_faults WHERE instance = ? ORDER BY id').all(instance);
        return rows.map(decode);
    }

    /** Disarms the armed faults (of one instance, or all); a write already paused still lands. Returns how many. */
    clear(instance?: number): number {
        return this.store.tx(() => {
            const armed = this.list(instance).filter((f) => f.state === 'armed');
            for (const fault of armed) this.save({ ...fault, state: 'cleared', clearedAt: this.now().toISOString() });
            return armed.length;
        });
    }

    /**
     * On start: faults left armed for this index by an earlier run are disarmed, and a write that run was holding
     * never landed (its process ended) — both become `cleared`.
     */
    resetOwn(): void {
        this.store.tx(() => {
            for (const fault of this.list(this.instanceIndex)) {
                if (fault.state === 'armed' || fault.state === 'paused') {
                    this.save({ ...fault, state: 'cleared', clearedAt: this.now().toISOString(), ...(fault.state === 'paused' && { error: 'the instance stopped while holding this write' }) });
                }
            }
        });
    }

    /**
     * Runs one persistence write of this instance. When it is the Nth write an armed fault counts, it waits the
     * fault's pause first (the longest, if several fire at once), then runs exactly as it would have.
     */
    async write<T>(method: WriteMethod, appId: string, target: { associations?: unknown; id?: string; data?: unknown }, effect: () => Promise<T> | T): Promise<T> {
        const fired = this.count(method, appId, target);
        if (fired.length === 0) {
            return effect();
        }
        await this.sleep(Math.max(...fired.map((f) => f.pauseMs)));
        const resumedAt = this.now().toISOString();
        try {
            const answer = await effect();
            this.finish(fired, { resumedAt, outcome: 'ok' });
            return answer;
        } catch (error) {
            this.finish(fired, { resumedAt, outcome: 'error', error: (error as Error)?.message ?? String(error) });
            throw error;
        }
    }

    /** Counts the write against this instance's armed faults; returns those whose Nth write it is (now `paused`). */
    private count(method: WriteMethod, appId: string, target: { associations?: unknown; id?: string; data?: unknown }): WriteFault[] {
        // The common case costs one indexed read, no transaction.
        const any = this.store.db.prepare<[number], { n: number }>(`SELECT count(*) AS n FROM host_faults WHERE instance = ? AND state = 'armed'`).get(this.instanceIndex);
        if (!any?.n) {
            return [];
        }
        let text: string | undefined;
        const haystack = () => (text ??= `${JSON.stringify(target.associations ?? null)} ${JSON.stringify(target.id ?? null)} ${JSON.stringify(target.data ?? null)}`);
        return this.store.tx(() => {
            const fired: WriteFault[] = [];
            const armed = this.store.db
                .prepare<[number], Row>(`SELECT id, doc FROM host_faults WHERE instance = ? AND state = 'armed' ORDER BY id`)
                .all(this.instanceIndex)
                .map(decode);
            for (const fault of armed) {
                if (fault.method !== 'any-write' && fault.method !== method) continue;
                if (fault.match !== undefined && !haystack().includes(fault.match)) continue;
                const seen = fault.seen + 1;
                if (seen < fault.nth) {
                    this.save({ ...fault, seen });
                    continue;
                }
                const call = { method, appId, ...(target.associations !== undefined && { associations: target.associations }), ...(target.id !== undefined && { id: target.id }) };
                const paused: WriteFault = { ...fault, seen, state: 'paused', pausedAt: this.now().toISOString(), call };
                this.save(paused);
                fired.push(paused);
            }
            return fired;
        });
    }

    private finish(fired: WriteFault[], result: Pick<WriteFault, 'resumedAt' | 'outcome' | 'error'>): void {
        const doneAt = this.now().toISOString();
        try {
            this.store.tx(() => {
                for (const fault of fired) this.save({ ...fault, ...result, state: 'done', doneAt });
            });
        } catch {
            // the store closed while the write was held (the instance is stopping): nothing left to record
        }
    }

    private save(fault: WriteFault): void {
        const { id, ...doc } = fault;
        this.store.db.prepare('UPDATE host_faults SET state = ?, doc = ? WHERE id = ?').run(fault.state, JSON.stringify(doc), id);
    }
}

function decode(row: Row): WriteFault {
    return { id: row.id, ...(JSON.parse(row.doc) as Omit<WriteFault, 'id'>) };
}

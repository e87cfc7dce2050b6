import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { seededRandom } from '../support/memoryPersistence';

/*
 * A deterministic world for the store: a shared database and N instances whose persistence calls the
 * scheduler runs in an order it chooses from a seed. Every call is two events, chosen independently:
 * its EFFECT (one atomic database operation) and its ANSWER. So a call can land long after it was
 * sent, a pause can hold an instance's calls for any number of steps, an answer can be an error
 * although the effect landed (or will land later, or never), and an instance can crash with calls in
 * flight. Timers (the store's back-off) are events too: time means nothing here, only order, which is
 * the point of a protocol that must be safe under any timing.
 *
 * One step = the scheduler runs one eligible event, then lets every promise that event resolved run
 * to its next call (it drains the microtask queue with setImmediate; the store does no real I/O).
 */

export interface WorldOptions {
    seed: number;
    /** removeByAssociations deletes every match, or only the first (and answers all, as some servers do) */
    removeDeletes: 'all' | 'one';
    /** per call: the answer is an error and nothing happens */
    failBefore: number;
    /** per call: the effect lands, then the answer is an error */
    failAfter: number;
    /** per call: the answer is an error at once, and the effect lands at some later step (or never) */
    lateLanding: number;
    /** per step: an instance pauses (none of its events run) for 1..maxPauseSteps steps */
    pause: number;
    maxPauseSteps: number;
}

interface StoredRecord {
    _id: number;
    ids: string[];
    data: Record<string, unknown>;
}

interface Event {
    instance: number;
    kind: 'effect' | 'answer' | 'timer';
    run: () => void;
}

export class World {
    readonly random: () => number;
    records: StoredRecord[] = [];
    step = 0;
    private events: Event[] = [];
    private nextId = 1;
    private pausedUntil = new Map<number, number>();
    private crashed = new Set<number>();
    /** a hold that scripted tests put on one instance's events until a condition holds */
    private holds = new Map<number, () => boolean>();

    constructor(readonly options: WorldOptions) {
        this.random = seededRandom(options.seed);
    }

    /** Instance `index`'s accessors and its sleep. */
    connect(index: number): { read: IPersistenceRead; persistence: IPersistence; sleep: (ms: number) => Promise<void> } {
        const call = <T>(effect: () => T): Promise<T> => this.call(index, effect);
        const all = (associations: RocketChatAssociationRecord[]) => this.matching(associations);
        const read: IPersistenceRead = {
            read: () => call(() => undefined as unknown as object),
            readByAssociation: (a) => call(() => all([a]).map((r) => clone(r.data))),
            readByAssociations: (a) => call(() => all(a).map((r) => clone(r.data))),
        };
        const unsupported = () => call<never>(() => {
            throw new Error('not used by the store');
        });
        const persistence: IPersistence = {
            create: unsupported,
            createWithAssociation: unsupported,
            createWithAssociations: (data, associations) => call(() => this.insert(data, associations)),
            update: unsupported,
            updateByAssociation: unsupported,
            updateByAssociations: unsupported,
            remove: unsupported,
            removeByAssociation: unsupported,
            removeByAssociations: (associations) => call(() => this.remove(associations) as object[]),
        };
        const sleep = () => new Promise<void>((resolve) => this.events.push({ instance: index, kind: 'timer', run: resolve }));
        return { read, persistence, sleep };
    }

    /** Hold every event of `instance` until `until()` is true (a scripted pause). */
    hold(instance: number, until: () => boolean): void {
        this.holds.set(instance, until);
    }

    /**
     * The instance dies: its answers and timers are gone for good (its requests never answer), and each
     * effect it had in flight lands at some later step or never.
     */
    crash(instance: number): void {
        this.crashed.add(instance);
        this.events = this.events.filter((e) => e.instance !== instance || (e.kind === 'effect' && this.random() < 0.5));
        for (const e of this.events) if (e.instance === instance) e.instance = -1;
    }

    isCrashed(instance: number): boolean {
        return this.crashed.has(instance);
    }

    /** What an uninstall's purge does on current servers: one record goes. */
    purgeOne(): void {
        if (this.records.length > 0) this.records.splice(Math.floor(this.random() * this.records.length), 1);
    }

    /** Runs one eligible event; false when none is left. */
    async tick(): Promise<boolean> {
        const { pause, maxPauseSteps } = this.options;
        this.step += 1;
        if (this.random() < pause) {
            const instance = Math.floor(this.random() * 4);
            this.pausedUntil.set(instance, this.step + 1 + Math.floor(this.random() * maxPauseSteps));
        }
        let eligible = this.events.filter((e) => this.eligible(e));
        // Only paused instances have work: let time pass until a pause ends.
        if (eligible.length === 0 && this.events.some((e) => !this.heldByScript(e))) {
            this.pausedUntil.clear();
            eligible = this.events.filter((e) => this.eligible(e));
        }
        if (eligible.length === 0) return false;
        const event = eligible[Math.floor(this.random() * eligible.length)];
        this.events.splice(this.events.indexOf(event), 1);
        event.run();
        await drain();
        return true;
    }

    /** Runs events until none is left or `done()` holds. */
    async runUntil(done: () => boolean, maxSteps = 200_000): Promise<void> {
        await drain();
        for (let i = 0; i < maxSteps && !done(); i++) {
            if (!(await this.tick())) return;
        }
    }

    /** Database records whose associations hold all of these ids. */
    find(...ids: string[]): StoredRecord[] {
        return this.records.filter((r) => ids.every((id) => r.ids.includes(id)));
    }

    private eligible(event: Event): boolean {
        if (this.heldByScript(event)) return false;
        return (this.pausedUntil.get(event.instance) ?? 0) <= this.step;
    }

    private heldByScript(event: Event): boolean {
        const until = this.holds.get(event.instance);
        if (!until) return false;
        if (until()) {
            this.holds.delete(event.instance);
            return false;
        }
        return true;
    }

    private call<T>(instance: number, effect: () => T): Promise<T> {
        const { failBefore, failAfter, lateLanding } = this.options;
        return new Promise<T>((resolve, reject) => {
            if (this.crashed.has(instance)) return;
            const roll = this.random();
            const fail = () => reject(new Error('simulated persistence failure'));
            if (roll < failBefore) {
                this.events.push({ instance, kind: 'answer', run: fail });
            } else if (roll < failBefore + lateLanding) {
                this.events.push({ instance, kind: 'answer', run: fail });
                // Lands whenever the scheduler picks it, or never.
                if (this.random() < 0.7) this.events.push({ instance: -1, kind: 'effect', run: () => void attempt(effect) });
            } else {
                const answerFails = roll < failBefore + lateLanding + failAfter;
                this.events.push({
                    instance,
                    kind: 'effect',
                    run: () => {
                        const result = attempt(effect);
                        if (this.crashed.has(instance)) return;
                        this.events.push({
                            instance,
                            kind: 'answer',
                            run: () => (answerFails ? fail() : 'error' in result ? reject(result.error) : resolve(result.value as T)),
                        });
                    },
                });
            }
        });
    }

    private matching(associations: RocketChatAssociationRecord[]): StoredRecord[] {
        const ids = associations.map((a) => a.getID());
        if (ids.length === 0) return [];
        return this.records.filter((r) => ids.every((id) => r.ids.includes(id)));
    }

    private insert(data: object, associations: RocketChatAssociationRecord[]): string {
        const _id = this.nextId++;
        this.records.push({ _id, ids: associations.map((a) => a.getID()), data: clone(data) as Record<string, unknown> });
        return String(_id);
    }

    private remove(associations: RocketChatAssociationRecord[]): object[] | undefined {
        const matches = this.matching(associations);
        if (matches.length === 0) return undefined;
        const doomed = this.options.removeDeletes === 'all' ? matches : matches.slice(0, 1);
        this.records = this.records.filter((r) => !doomed.includes(r));
        return matches.map((r) => clone(r.data));
    }
}

function attempt<T>(effect: () => T): { value: T } | { error: unknown } {
    try {
        return { value: effect() };
    } catch (error) {
        return { error };
    }
}

function clone<T>(value: T): T {
    return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Lets every promise settled so far run on to its next persistence call. */
function drain(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}

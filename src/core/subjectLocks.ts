/**
 * Serialises work per key within one app process (pure, no engine: the store orders its writes with it,
 * surfaces/webhooks its sends). It orders this instance's own writes so none is
 * lost; it holds no authoritative state (a restart simply forgets the queue) and knows nothing of other
 * instances, which the revision claim handles.
 */
export class SubjectLocks {
    private readonly tails = new Map<string, Promise<void>>();

    async run<T>(key: string, work: () => Promise<T>): Promise<T> {
        const previous = this.tails.get(key) ?? Promise.resolve();
        let release!: () => void;
        const done = new Promise<void>((resolve) => (release = resolve));
        const tail = previous.then(() => done);
        this.tails.set(key, tail);
        await previous;
        try {
            return await work();
        } finally {
            release();
            // Forget idle keys so the map does not grow with every subject ever written.
            if (this.tails.get(key) === tail) this.tails.delete(key);
        }
    }

    /** keys with work queued or running (for tests) */
    get size(): number {
        return this.tails.size;
    }
}

/**
 * The engine hands the app fresh accessors on every call, so a store object lives for one request;
 * the locks must outlive it, hence one set per app process.
 */
export const processLocks = new SubjectLocks();

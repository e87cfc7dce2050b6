/*
 * THE PROTOCOL BASELINE: the persistence calls the Metadata Store makes per operation, in order, and
 * nothing else. Edit this list when the store's protocol changes (src/store/revisionLog.ts, logCleanup.ts,
 * test/store/callCounts.test.ts); the bench's "protocol baseline" column is this list run in the same
 * engine as the app.
 *
 *   read            readByAssociations of all of the subject's records ([tag, subject], as the store's load)
 *   create <entry>  createWithAssociations of one log entry of revision R (R = 1 + the newest commit the
 *                   first read saw); `accept` and `state-op` hold the request's body as the value
 *   together        the steps it holds, at once (the store's commit and history entry)
 *   read-history    readByAssociations of revision R − back's history entry (clean-up makes sure it exists)
 *   answer          the HTTP answer goes out here; the steps after it run in the background
 *   remove <entry>  removeByAssociations of the entries of revision R − back (the store's clean-up)
 *
 * In the app the PUT's first read (the load) runs alongside the access lookups; here there are none.
 */
export type Entry = 'prepare' | 'accept' | 'commit' | 'history' | 'state-op';

export type Step =
    | { call: 'read' }
    | { call: 'create'; entry: Entry }
    | { call: 'together'; steps: Step[] }
    | { call: 'read-history'; back: number }
    | { call: 'answer' }
    | { call: 'remove'; entry: Entry; back: number };

/** Commit markers the store keeps below the newest (KEPT_COMMITS in src/store/revisionLog.ts). */
const KEPT_COMMITS = 8;

export const PROTOCOL: Record<'put' | 'get' | 'state', Step[]> = {
    put: [
        { call: 'read' }, // load
        { call: 'create', entry: 'prepare' },
        { call: 'read' },
        { call: 'create', entry: 'accept' },
        { call: 'read' },
        { call: 'together', steps: [{ call: 'create', entry: 'commit' }, { call: 'create', entry: 'history' }] },
        { call: 'answer' },
        // clean-up (src/store/logCleanup.ts), oldest revision first; the previous accept goes once its history entry is sure
        { call: 'remove', entry: 'commit', back: KEPT_COMMITS + 1 },
        { call: 'remove', entry: 'prepare', back: 1 },
        { call: 'read-history', back: 1 },
        { call: 'remove', entry: 'accept', back: 1 },
    ],
    get: [{ call: 'read' }, { call: 'answer' }],
    state: [{ call: 'read' }, { call: 'create', entry: 'state-op' }, { call: 'answer' }],
};

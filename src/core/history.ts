import { MetadataError } from './errors';

/*
 * History (SPEC §14, after etcd's revision history): each subject keeps the change of each of its recent
 * revisions. What is kept is decided here, from the subject's newest revision and the time, so every
 * instance answers alike whether or not compaction has caught up.
 */

export interface HistoryRetention {
    /** the newest this many revisions of a subject are kept */
    revisions: number;
    /** and none older than this many days */
    days: number;
}

export const DEFAULT_RETENTION: HistoryRetention = { revisions: 1000, days: 30 };

/** Entries per answer at most, and by default. */
export const MAX_HISTORY_LIMIT = 100;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Is the entry of `revision`, written at `at`, still kept when the subject is at `newest`? */
export function isKept(entry: { revision: number; at: string }, newest: number, nowMs: number, retention: HistoryRetention): boolean {
    if (entry.revision <= newest - retention.revisions) return false;
    const at = Date.parse(entry.at);
    return !Number.isFinite(at) || at >= nowMs - retention.days * DAY_MS;
}

/** The lowest revision the count rule keeps (the age rule may keep fewer). */
export function lowestKeptByCount(newest: number, retention: HistoryRetention): number {
    return Math.max(1, newest - retention.revisions + 1);
}

export interface HistoryQuery {
    /** changes after this revision; 'latest': the newest `limit` changes still kept */
    since: number | 'latest';
    limit: number;
}

/** `?since=REV&limit=N` as the surfaces receive them (text, or absent). */
export function parseHistoryQuery(since: unknown, limit: unknown): HistoryQuery {
    return {
        since: since === undefined || since === '' ? 0 : count(since, 'since', 0, Number.MAX_SAFE_INTEGER),
        limit: limit === undefined || limit === '' ? MAX_HISTORY_LIMIT : count(limit, 'limit', 1, MAX_HISTORY_LIMIT),
    };
}

export function historyCompacted(since: number, oldestKept: number): MetadataError {
    return new MetadataError(
        'history_compacted',
        `History after revision ${since} is no longer kept: the oldest kept revision is ${oldestKept}. Read the metadata as it is now, then follow the history from its majorRevision.`,
        { oldestKept },
    );
}

function count(value: unknown, name: string, min: number, max: number): number {
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
        throw new MetadataError('invalid_request', `"${name}" must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`);
    }
    return number;
}

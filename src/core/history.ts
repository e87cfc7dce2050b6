import { MetadataError } from './errors';
import { JsonValue } from './json';
import { Visibility } from './types';

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

/** A key a write removed, with the visibility it had: whether a reader without private access saw it go. */
export interface RemovedItem {
    key: string;
    visibility: Visibility;
}

/**
 * One revision's change as history keeps it: the facts the audience rule (access/visibility.ts) needs
 * to show it to each reader later, when the set before the write is no longer at hand.
 */
export interface HistoryRecord {
    revision: number;
    actor: string;
    /** ISO-8601 */
    at: string;
    changed: { key: string; value: JsonValue; visibility: Visibility }[];
    removed: RemovedItem[];
    /** keys the write turned from public to private */
    hidden: string[];
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

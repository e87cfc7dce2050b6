import { MetadataError } from '../core/errors';
import { Namespace, SubjectRef } from '../core/types';

/*
 * THE WALK OVER THE SUBJECT INDEX (src/store/records.ts, "the subject index"): every subject that holds something,
 * a bounded batch per call, resumable from a cursor on any instance, after a restart or days later. The index has
 * 64 shards per namespace and the persistence API no cursor, so a shard is the unit one read loads: the walk reads
 * the room shards, then the user shards, then the message shards, one at a time, and stops once it has handed out `limit` subjects. The
 * cursor is the shard and the last subject id done in it; a subject added or purged meanwhile is simply found or
 * not. The admin's sweep (`reconcile`), the export and the list of subjects all walk it through here.
 */

// New namespaces go last, so a cursor handed out before one was added still names the same shard.
export const NAMESPACE_ORDER: Namespace[] = ['room', 'user', 'message'];

export interface IndexReader {
    /** the subjects of one shard, sorted by id, each once */
    indexedSubjects(namespace: Namespace, shard: number): Promise<SubjectRef[]>;
}

export interface WalkRequest {
    /** the `next` of an earlier call; absent: from the start */
    cursor?: unknown;
    /** subjects to hand out at most (already checked by the caller, see batchSize) */
    limit: number;
    /** only this namespace's shards */
    namespace?: Namespace;
}

/**
 * Hands `visit` the next subjects of the index, a shard's worth at a time (so it may work on them side by side),
 * `limit` in all at most; answers the cursor to go on from, null when the walk is done.
 */
export async function walkIndex(index: IndexReader, shards: number, request: WalkRequest, visit: (subjects: SubjectRef[]) => Promise<void>): Promise<string | null> {
    const range = request.namespace === undefined ? { from: 0, to: NAMESPACE_ORDER.length * shards } : namespaceRange(request.namespace, shards);
    let position = decodeCursor(request.cursor, shards);
    if (position.shard < range.from) position = { shard: range.from };
    let visited = 0;
    while (position.shard < range.to && visited < request.limit) {
        const namespace = NAMESPACE_ORDER[Math.floor(position.shard / shards)];
        const after = position.after;
        const subjects = (await index.indexedSubjects(namespace, position.shard % shards))
            .filter((s) => after === undefined || s.id > after)
            .slice(0, request.limit - visited);
        await visit(subjects);
        visited += subjects.length;
        const last = subjects[subjects.length - 1];
        // A shard is done when this batch reached its end; else the next batch starts after its last subject.
        position = visited < request.limit ? { shard: position.shard + 1 } : { shard: position.shard, after: last?.id };
    }
    return position.shard < range.to ? encodeCursor(position) : null;
}

/** A batch size from a request: `limit` absent → `fallback`; else a whole number from 1 to `max`. */
export function batchSize(limit: unknown, fallback: number, max: number): number {
    if (limit === undefined) return fallback;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
        throw new MetadataError('invalid_request', `limit must be a whole number from 1 to ${max}.`);
    }
    return limit;
}

function namespaceRange(namespace: Namespace, shards: number): { from: number; to: number } {
    const at = NAMESPACE_ORDER.indexOf(namespace);
    return { from: at * shards, to: (at + 1) * shards };
}

interface Position {
    /** 0 … 2·shards − 1: the room shards, then the user shards */
    shard: number;
    /** the last subject id done in that shard */
    after?: string;
}

/** `<shard>` or `<shard>.<id done last, URI-encoded>`: readable, and nothing the runtime may lack (no Buffer). */
function encodeCursor(position: Position): string {
    return position.after === undefined ? String(position.shard) : `${position.shard}.${encodeURIComponent(position.after)}`;
}

function decodeCursor(cursor: unknown, shards: number): Position {
    if (cursor === undefined || cursor === null || cursor === '') return { shard: 0 };
    const invalid = () => new MetadataError('invalid_request', 'cursor must be the `next` of an earlier answer; leave it out to start from the beginning.');
    const match = typeof cursor === 'string' && cursor.length <= 1024 ? /^(\d{1,4})(?:\.(.+))?$/.exec(cursor) : null;
    if (!match) throw invalid();
    const shard = Number(match[1]);
    if (shard >= NAMESPACE_ORDER.length * shards) throw invalid();
    if (match[2] === undefined) return { shard };
    try {
        return { shard, after: decodeURIComponent(match[2]) };
    } catch {
        throw invalid();
    }
}

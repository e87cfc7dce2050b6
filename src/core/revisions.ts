import { MetadataError } from './errors';
import { quoteKey } from './keys';
import { Item, MetadataSet } from './types';

const NO_CHECK = -1;
/** The revision of an item that does not exist: a create-only check names it, a conflict reports it (SPEC §3). */
const ABSENT = 0;

/** A revision check is absent or an integer >= -1; returns it, or undefined when it means "no check". */
export function checkRevisionField(value: unknown, field: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < NO_CHECK) {
        throw new MetadataError(
            'invalid_request',
            `${field} must be an integer >= -1 (-1 or absent: no check), not ${JSON.stringify(value) ?? 'undefined'}`,
        );
    }
    return value === NO_CHECK ? undefined : value;
}

/** absent/-1: anything; 0: the item must not exist; N > 0: it must exist with revision N. */
function revisionMatches(check: number | undefined, current: number | undefined): boolean {
    if (check === undefined || check === NO_CHECK) return true;
    if (check === ABSENT) return current === undefined;
    return current === check;
}

export interface RevisionConflict {
    key: string;
    /** the item's current revision, 0 where it does not exist */
    revision: number;
}

/**
 * Compare-and-set for one request: every expectation is checked before anything is written, and all
 * mismatches are reported together so a client can refresh once.
 */
export function checkRevisions(
    set: MetadataSet,
    majorRevision: number | undefined,
    itemChecks: ReadonlyArray<{ key: string; revision?: number }>,
    current: ReadonlyMap<string, Item>,
): void {
    const problems: string[] = [];
    const majorOk = revisionMatchesMajor(majorRevision, set.majorRevision);
    if (!majorOk) problems.push(`the subject is at majorRevision ${set.majorRevision}, not ${majorRevision}`);
    const items: RevisionConflict[] = [];
    for (const { key, revision } of itemChecks) {
        const actual = current.get(key)?.revision;
        if (revisionMatches(revision, actual)) continue;
        items.push({ key, revision: actual ?? ABSENT });
        if (revision === ABSENT) problems.push(`${quoteKey(key)} already exists (revision ${actual}); revision 0 means create-only`);
        else if (actual === undefined) problems.push(`${quoteKey(key)} does not exist, you expected revision ${revision}`);
        else problems.push(`${quoteKey(key)} is at revision ${actual}, not ${revision}`);
    }
    if (problems.length === 0) return;
    throw new MetadataError(
        'revision_conflict',
        `revision conflict, nothing was written: ${problems.join('; ')}. Read the current revisions and retry.`,
        { majorRevision: set.majorRevision, items },
    );
}

function revisionMatchesMajor(check: number | undefined, current: number): boolean {
    return check === undefined || check === NO_CHECK || check === current;
}

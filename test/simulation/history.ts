/*
 * What the clients of a simulated run did and saw, and the checks of SPEC §11 over it. The expected
 * answers come from the history alone, never from the store: every write appends its own unique token
 * to one list item, so the list at revision R must be exactly the tokens of the writes decided as
 * revisions 1..R, in that order.
 */

export interface Observed {
    revision: number;
    list: string[];
}

export interface Operation {
    client: number;
    kind: 'write' | 'read';
    /** writes: the token it appends */
    token?: string;
    /** writes: the majorRevision it expects (CAS), if any */
    expects?: number;
    invokedAt: number;
    endedAt?: number;
    /** what the answer showed: for a write, the set after it */
    seen?: Observed;
    error?: string;
}

/** Every violation found, in words; empty when the history is linearizable as SPEC §11 asks. */
export function violations(history: Operation[], final: Observed): string[] {
    const found: string[] = [];
    const acked = history.filter((op) => op.kind === 'write' && op.seen !== undefined);
    const byRevision = new Map<number, Operation>();
    for (const op of acked) {
        const revision = op.seen!.revision;
        const other = byRevision.get(revision);
        if (other) found.push(`two writes acknowledged as revision ${revision}: ${other.token} and ${op.token}`);
        byRevision.set(revision, op);
        if (final.list[revision - 1] !== op.token) {
            found.push(`acknowledged write ${op.token} (revision ${revision}) is not at its place in the final list [${final.list}]`);
        }
        if (op.expects !== undefined && revision !== op.expects + 1) {
            found.push(`write ${op.token} expected revision ${op.expects} and was acknowledged as ${revision}`);
        }
    }
    if (final.list.length !== final.revision) found.push(`the final list has ${final.list.length} tokens at revision ${final.revision}`);
    const counts = new Map<string, number>();
    for (const token of final.list) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [token, count] of counts) if (count > 1) found.push(`write ${token} was applied ${count} times`);
    for (const op of history) {
        if (!op.seen) continue;
        const { revision, list } = op.seen;
        if (list.length !== revision || list.some((token, i) => final.list[i] !== token)) {
            found.push(`${op.kind} by client ${op.client} saw revision ${revision} [${list}], which is not a prefix of the final [${final.list}]`);
        }
    }
    // Real time: whatever ended before another began, the later one sees at least as much.
    const done = history.filter((op) => op.seen !== undefined && op.endedAt !== undefined);
    for (const earlier of done) {
        for (const later of done) {
            if (earlier.endedAt! < later.invokedAt && later.seen!.revision < earlier.seen!.revision) {
                found.push(`${later.kind} by client ${later.client} saw revision ${later.seen!.revision} after a ${earlier.kind} had seen ${earlier.seen!.revision}`);
            }
        }
    }
    return found;
}

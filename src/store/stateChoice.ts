import { StateOp } from '../core/types';
import { Ballot, ChoiceEntry } from './codec';
import { compareBallots } from './revisionLog';

/*
 * ONE-TIME CHOICES OF COLLABORATIVE STATE. State ops are appended as records of their own, so
 * concurrent ops all survive and every instance folds them alike (SPEC §5) — with two exceptions, where
 * SPEC §5 says the FIRST op decides and the later ones must be refused:
 *   type:<key>          the first op on a key fixes the key's type;
 *   fww:<key>:<userId>  a user's first add to a first-writer-wins key is their value for good.
 * Two instances that each load, see no such op and append one would both acknowledge, and the fold
 * would silently drop one of two acknowledged ops. So an op that would make one of these choices is
 * first decided by the same single-decree Paxos as a revision (revisionLog.ts has the proof), over
 * `choice-prepare` / `choice-accept` records named by the choice, and only then appended:
 *
 *   prepare(choice, b) · read · [a choice op appended? done: plan again] [outranked? back off]
 *   accept(choice, b, op') where op' is the highest-ballot accepted op, or ours · read · [same exits]
 *   append op' as the state op record (whoever decides it appends it: same id, so one op) · acknowledge
 *   if op' is ours, else plan again on the new state (the op is then refused, or needs no choice).
 *
 * "The choice is made" is read off the ops themselves: an appended op of the key (type), or an fww
 * add of the user on the key (fww) — the appended op plays the commit of revisionLog.ts, and state op
 * garbage collection never removes a key's first op nor an fww value. Other ops need no agreement: a
 * set add or an lww write after the choice commutes with everything else.
 */

/** The choice `op` would make, given the ops already appended (`type:<key>` or `fww:<key>:<userId>`); undefined when none. */
export function choiceOf(op: StateOp, ops: readonly StateOp[]): string | undefined {
    if (!ops.some((other) => other.key === op.key)) return `type:${op.key}`;
    if (op.type === 'fww' && op.op === 'add') return `fww:${op.key}:${op.userId}`;
    return undefined;
}

/** Whether the appended ops show `choice` made. (Keys hold no ":", so the first one after the kind ends the key.) */
export function isMade(choice: string, ops: readonly StateOp[]): boolean {
    const [kind, key, ...user] = choice.split(':');
    if (kind === 'type') return ops.some((op) => op.key === key);
    const userId = user.join(':');
    return ops.some((op) => op.key === key && op.type === 'fww' && op.op === 'add' && op.userId === userId);
}

export function nextChoiceRank(entries: readonly ChoiceEntry[], choice: string): number {
    return 1 + entries.filter((e) => e.choice === choice).reduce((max, e) => Math.max(max, e.ballot.rank), 0);
}

export function choiceOutranked(entries: readonly ChoiceEntry[], choice: string, ballot: Ballot): boolean {
    return entries.some((e) => e.choice === choice && compareBallots(e.ballot, ballot) > 0);
}

/** The op of the highest-ballot accept of `choice`: the only op a new ballot may carry on with. */
export function acceptedOp(entries: readonly ChoiceEntry[], choice: string): StateOp | undefined {
    let highest: ChoiceEntry | undefined;
    for (const entry of entries) {
        if (entry.choice !== choice || entry.step !== 'accept' || !entry.op) continue;
        if (!highest || compareBallots(entry.ballot, highest.ballot) > 0) highest = entry;
    }
    return highest?.op;
}

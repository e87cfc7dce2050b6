import { StateOp, StateType } from '../types';
import { firstAdd } from './fww';
import { latestAdd } from './lww';
import { isWrite, latestWrite } from './lwwn';
import { removedIds } from './orSet';

/**
 * Which of ONE user's ops of a key can be deleted. `userOps` are all of that user's ops of the key's
 * type, in (at, id) order; `collectable` is false for the ops that must stay whatever the rule says
 * (ops younger than the grace period, and the op that fixes the key's type).
 *
 * What every rule relies on: an op that can still arrive is ordered AFTER every collectable op (it has
 * a later `at`, see garbage.ts), and ops of one user never change another user's value.
 *
 * The answer is in deletion order: deleting ANY PREFIX of it leaves the user's value as it was, so a
 * batch cut short or a failed call midway never shows a state that never existed.
 */
export type UserGarbage = (userOps: readonly StateOp[], collectable: (op: StateOp) => boolean) => StateOp[];

/**
 * lww: only the latest valued add is ever read. It stays, so every op before it stays irrelevant,
 * and an op still to come is later anyway: it either replaces that value or is ignored like these.
 * Removes and value-less adds are never read at all.
 */
const lwwGarbage: UserGarbage = (userOps, collectable) => {
    const decisive = latestAdd(userOps);
    return userOps.filter((op) => op !== decisive && collectable(op));
};

/**
 * fww: only the first valued add is ever read. It stays, and anything still to come is later, so
 * no other op can become the first one. Without a valued add, nothing here is read, and an add
 * still to come is the first either way.
 */
const fwwGarbage: UserGarbage = (userOps, collectable) => {
    const decisive = firstAdd(userOps);
    return userOps.filter((op) => op !== decisive && collectable(op));
};

/**
 * lwwn: the latest write decides, so every op before it is dead. If that write is a remove, the
 * user has no value, exactly as with no ops at all, so it can go too, LAST (deleting it before an
 * older add would bring that add back). Deleting a remove could only resurrect an older concurrent
 * add that is still on its way, and the grace period rules that out: anything still to come is
 * later than the remove and decides on its own. The remove must stay while an older write must
 * stay (the type-fixing op), because it is what silences that write.
 */
const lwwnGarbage: UserGarbage = (userOps, collectable) => {
    const decisive = latestWrite(userOps);
    const superseded = userOps.filter((op) => op !== decisive && collectable(op));
    if (!decisive || decisive.op !== 'remove' || !collectable(decisive)) return superseded;
    const silencesAKeptWrite = userOps.some((op) => op !== decisive && !collectable(op) && isWrite(op));
    return silencesAKeptWrite ? superseded : [...superseded, decisive];
};

/**
 * set (observed-remove): an add named by a remove of the same user is gone for good; it is not
 * resurrected by anything (ids are unique, and a further remove only removes). A value-less add is
 * never read. A remove only matters through the adds it names, so once all of them are deleted
 * (earlier in this same answer, or in an earlier collection: a remove names only adds that existed
 * when it was planned, so a named add that is missing now was deleted, not late) the remove can go.
 * Adds come first in the answer so that a remove is never deleted while an add it silences remains.
 */
const setGarbage: UserGarbage = (userOps, collectable) => {
    const removed = removedIds(userOps);
    const deadAdds = userOps.filter((op) => op.op === 'add' && collectable(op) && (op.value === undefined || removed.has(op.id)));
    const deleted = new Set(deadAdds);
    const keptAdds = new Set(userOps.filter((op) => op.op === 'add' && !deleted.has(op)).map((op) => op.id));
    const spentRemoves = userOps.filter(
        (op) => op.op === 'remove' && collectable(op) && !(op.removes ?? []).some((id) => keptAdds.has(id)),
    );
    return [...deadAdds, ...spentRemoves];
};

const GARBAGE_RULES: Readonly<Record<StateType, UserGarbage>> = {
    set: setGarbage,
    fww: fwwGarbage,
    lww: lwwGarbage,
    lwwn: lwwnGarbage,
};

export function garbageRulesFor(type: string): UserGarbage | undefined {
    return Object.prototype.hasOwnProperty.call(GARBAGE_RULES, type) ? GARBAGE_RULES[type as StateType] : undefined;
}

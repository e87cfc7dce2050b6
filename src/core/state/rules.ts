import { JsonValue } from '../json';
import { StateOp, StateOpKind } from '../types';

/** What one state type decides; each type lives in its own file. */
export interface StateTypeRules {
    /** A user's value from their own ops of the key, in (at, id) order; undefined when they hold none. */
    valueOf(userOps: readonly StateOp[]): JsonValue | undefined;
    /**
     * The type-specific part of a new op by this user, or a MetadataError when the op is not allowed.
     * `value()` validates and returns the request's value; it is called only where a value is needed.
     */
    plan(op: StateOpKind, key: string, userOps: readonly StateOp[], value: () => JsonValue): Pick<StateOp, 'value' | 'removes'>;
    /**
     * The one-click op a user holding `own` (their value as the fold shows it; undefined: none) would make on
     * `value`, the op `plan` accepts for it; undefined when `plan` would refuse both (or the op would change
     * nothing). `value` undefined asks about a value the user does not hold (a new one). The panel offers this.
     */
    offer(own: JsonValue | undefined, value: JsonValue | undefined): StateOpKind | undefined;
}

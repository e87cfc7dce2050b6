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
}

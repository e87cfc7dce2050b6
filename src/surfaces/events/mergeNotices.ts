import { ChangeNotice } from '../../service/types';

/**
 * Two changes to one subject as one (coalescing): the data is the later one's, the keys are unioned
 * in order (a key removed later is no longer "changed", one written again later no longer "removed"),
 * the items before are the earlier change's, and the later cause wins when there is one.
 */
export function mergeNotices(earlier: ChangeNotice, later: ChangeNotice): ChangeNotice {
    const merged: ChangeNotice = {
        ...later,
        changed: union(earlier.changed.filter((key) => !later.removed.includes(key)), later.changed),
        removed: union(earlier.removed.filter((key) => !later.changed.includes(key)), later.removed),
        stateChanged: union(earlier.stateChanged, later.stateChanged),
    };
    delete merged.before;
    delete merged.cause;
    if (earlier.before !== undefined) merged.before = earlier.before;
    const cause = later.cause ?? earlier.cause;
    if (cause !== undefined) merged.cause = cause;
    return merged;
}

function union(a: string[], b: string[]): string[] {
    return [...new Set([...a, ...b])].sort();
}

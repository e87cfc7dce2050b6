import { visibleData } from '../access/visibility';
import { MetadataSet, StateView } from '../core/types';
import { MetadataView, SubjectInfo } from './types';

/** The subject as one reader may see it (access/visibility.ts decides which items, and their document). */
export function buildView(
    subject: SubjectInfo,
    set: MetadataSet,
    state: StateView,
    mayReadPrivate: boolean,
    keys?: string[],
): MetadataView {
    const { items, document } = visibleData(set.items, mayReadPrivate, keys);
    return {
        subject: { ...subject },
        majorRevision: set.majorRevision,
        items,
        document,
        state,
    };
}

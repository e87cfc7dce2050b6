import { visibleItems } from '../access/visibility';
import { toDocument } from '../core/document';
import { selectItems } from '../core/metadataSet';
import { MetadataSet, StateView } from '../core/types';
import { MetadataView, SubjectInfo } from './types';

/**
 * The subject as one reader may see it: only the items they may read, and the document built from
 * those items alone, so a private value never shows up nested in a public parent.
 */
export function buildView(
    subject: SubjectInfo,
    set: MetadataSet,
    state: StateView,
    mayReadPrivate: boolean,
    keys?: string[],
): MetadataView {
    const visible = visibleItems(set.items, mayReadPrivate);
    const items = keys && keys.length > 0 ? selectItems(visible, keys) : visible;
    return {
        subject: { ...subject },
        majorRevision: set.majorRevision,
        items,
        document: toDocument(items),
        state,
    };
}


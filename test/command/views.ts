import { Item, StateView } from '../../src/core/types';
import { MetadataView, SubjectInfo } from '../../src/service/types';

export const alice: SubjectInfo = { namespace: 'user', id: 'u-alice', name: 'alice' };
export const planning: SubjectInfo = { namespace: 'room', id: 'r-1', name: 'planning' };

export function item(key: string, value: Item['value'], revision = 1, visibility: Item['visibility'] = 'private'): Item {
    return { key, value, revision, visibility, updatedAt: '2024-05-01T10:00:00.000Z', updatedBy: 'u-alice' };
}

export function view(items: Item[], overrides: { subject?: SubjectInfo; majorRevision?: number; state?: StateView } = {}): MetadataView {
    return {
        subject: overrides.subject ?? alice,
        majorRevision: overrides.majorRevision ?? Math.max(0, ...items.map((i) => i.revision)),
        items,
        document: {},
        state: overrides.state ?? {},
    };
}

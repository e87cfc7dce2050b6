import { describe, expect, it } from 'vitest';

import { visibleChange, visibleItems } from '../../src/access/visibility';
import { Item, MetadataSet, Visibility } from '../../src/core/types';

function item(key: string, visibility: Visibility, revision = 1): Item {
    return { key, value: key, revision, updatedAt: '2024-01-01T00:00:00.000Z', updatedBy: 'u1', visibility };
}

function set(majorRevision: number, ...items: Item[]): MetadataSet {
    return { majorRevision, items };
}

describe('visible items', () => {
    const items = [item('a', 'public'), item('b', 'private'), item('c', 'public')];

    it('a reader with private access sees every item', () => {
        expect(visibleItems(items, true).map((i) => i.key)).toEqual(['a', 'b', 'c']);
    });

    it('a reader without private access sees only public items', () => {
        expect(visibleItems(items, false).map((i) => i.key)).toEqual(['a', 'c']);
    });
});

describe('a change as a reader sees it', () => {
    const before = set(1, item('pub', 'public'), item('secret', 'private'), item('flip', 'public'));

    it('a reader with private access sees every changed and removed key', () => {
        const after = set(2, item('pub', 'public', 2));
        expect(visibleChange({ changed: ['pub'], removed: ['flip', 'secret'], before, after }, true))
            .toEqual({ changed: ['pub'], removed: ['flip', 'secret'] });
    });

    it('a reader without private access does not learn the keys of changed private items', () => {
        const after = set(2, item('pub', 'public'), item('secret', 'private', 2), item('flip', 'public'));
        expect(visibleChange({ changed: ['secret'], removed: [], before, after }, false)).toEqual({ changed: [], removed: [] });
    });

    it('a reader without private access does not learn the keys of removed private items', () => {
        const after = set(2, item('pub', 'public'), item('flip', 'public'));
        expect(visibleChange({ changed: [], removed: ['secret'], before, after }, false)).toEqual({ changed: [], removed: [] });
    });

    it('a public item turned private looks removed to a reader without private access', () => {
        const after = set(2, item('pub', 'public'), item('secret', 'private'), item('flip', 'private', 2));
        expect(visibleChange({ changed: ['flip'], removed: [], before, after }, false)).toEqual({ changed: [], removed: ['flip'] });
    });

    it('a private item turned public looks changed to a reader without private access', () => {
        const after = set(2, item('pub', 'public'), item('secret', 'public', 2), item('flip', 'public'));
        expect(visibleChange({ changed: ['secret'], removed: [], before, after }, false)).toEqual({ changed: ['secret'], removed: [] });
    });

    it('a removed public item is reported as removed to a reader without private access', () => {
        const after = set(2, item('secret', 'private'), item('flip', 'public'));
        expect(visibleChange({ changed: [], removed: ['pub'], before, after }, false)).toEqual({ changed: [], removed: ['pub'] });
    });

    it('without the earlier items no removal is reported to a reader without private access', () => {
        const after = set(2);
        expect(visibleChange({ changed: [], removed: ['pub'], before: undefined, after }, false)).toEqual({ changed: [], removed: [] });
    });
});

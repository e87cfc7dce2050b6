import { describe, expect, it } from 'vitest';

import { MetadataSet } from '../../src/core/types';
import { ChangeNotice } from '../../src/service/types';
import { mergeNotices } from '../../src/surfaces/events/mergeNotices';

function notice(part: Partial<ChangeNotice>): ChangeNotice {
    return {
        subject: { namespace: 'room', id: 'r', name: 'r' },
        actor: { id: 'u1', username: 'one', roles: [] },
        at: '2024-01-01T00:00:00.000Z',
        majorRevision: 1,
        changed: [],
        removed: [],
        stateChanged: [],
        set: { majorRevision: 1, items: [] },
        state: {},
        ...part,
    };
}

const set = (majorRevision: number): MetadataSet => ({ majorRevision, items: [] });

describe('merging two changes of one subject', () => {
    it('unions the changed, removed and state keys', () => {
        const merged = mergeNotices(
            notice({ changed: ['a'], removed: ['x'], stateChanged: ['s'] }),
            notice({ changed: ['b'], removed: ['y'], stateChanged: ['t'] }),
        );
        expect([merged.changed, merged.removed, merged.stateChanged]).toEqual([['a', 'b'], ['x', 'y'], ['s', 't']]);
    });

    it('a key removed by the later change is no longer reported as changed', () => {
        const merged = mergeNotices(notice({ changed: ['a', 'b'] }), notice({ removed: ['a'] }));
        expect([merged.changed, merged.removed]).toEqual([['b'], ['a']]);
    });

    it('a key written again by the later change is no longer reported as removed', () => {
        const merged = mergeNotices(notice({ removed: ['a'] }), notice({ changed: ['a'] }));
        expect([merged.changed, merged.removed]).toEqual([['a'], []]);
    });

    it('takes the data, revision, actor and time of the later change', () => {
        const later = notice({ majorRevision: 5, set: set(5), at: '2024-01-02T00:00:00.000Z', actor: { id: 'u2', username: 'two', roles: [] } });
        const merged = mergeNotices(notice({ majorRevision: 4, set: set(4) }), later);
        expect([merged.majorRevision, merged.set, merged.at, merged.actor.id]).toEqual([5, set(5), later.at, 'u2']);
    });

    it('keeps the items from before the earlier change', () => {
        expect(mergeNotices(notice({ before: set(3) }), notice({ before: set(4) })).before).toEqual(set(3));
    });

    it('the later cause wins', () => {
        expect(mergeNotices(notice({ cause: 'first' }), notice({ cause: 'second' })).cause).toBe('second');
    });

    it('a later change without a cause keeps the earlier cause', () => {
        expect(mergeNotices(notice({ cause: 'first' }), notice({})).cause).toBe('first');
    });

    it('no cause on either side means no cause field', () => {
        expect('cause' in mergeNotices(notice({}), notice({}))).toBe(false);
    });
});

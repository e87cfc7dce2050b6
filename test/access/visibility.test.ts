import { describe, expect, it } from 'vitest';

import { AccessFacts } from '../../src/access/facts';
import { Change, changeSeenBy, openChange, openData, visibleChange, visibleData, visibleHistoryEntry } from '../../src/access/visibility';
import { HistoryRecord } from '../../src/core/history';
import { Item, MetadataSet, Visibility } from '../../src/core/types';

// SPEC §6, the audience rule: what one reader sees of a subject's items and of a change to them. The expected
// answers are written from the rule, not taken from the code: a reader without private access learns nothing
// of private items — no value, no key, no count, not whether one was removed or turned private.

function item(key: string, visibility: Visibility, revision = 1): Item {
    return { key, value: `${key}-value`, revision, updatedAt: '2024-01-01T00:00:00.000Z', updatedBy: 'u1', visibility };
}

function set(majorRevision: number, ...items: Item[]): MetadataSet {
    return { majorRevision, items };
}

function change(fields: Partial<Change> & Pick<Change, 'set'>): Change {
    return { changed: [], removed: [], stateChanged: [], ...fields };
}

const WITH_PRIVATE = true;
const WITHOUT_PRIVATE = false;

describe('a reader without private access sees only public items, and a document built from them alone', () => {
    const items = [item('a', 'public'), item('b', 'private'), item('c.d', 'public'), item('c.secret', 'private')];

    it('a reader with private access sees every item', () => {
        expect(visibleData(items, WITH_PRIVATE).items.map((i) => i.key)).toEqual(['a', 'b', 'c.d', 'c.secret']);
    });

    it('a reader without private access sees the public items, and no private value nested in a public parent', () => {
        const seen = visibleData(items, WITHOUT_PRIVATE);
        expect(seen.items.map((i) => i.key)).toEqual(['a', 'c.d']);
        expect(seen.document).toEqual({ a: 'a-value', c: { d: 'c.d-value' } });
    });

    it('chosen keys never reveal a private item', () => {
        expect(visibleData(items, WITHOUT_PRIVATE, ['c', 'b']).items.map((i) => i.key)).toEqual(['c.d']);
        expect(visibleData(items, WITH_PRIVATE, ['c']).items.map((i) => i.key)).toEqual(['c.d', 'c.secret']);
    });

    it('what the app shows in the open (the customFields mirror) is what a reader without private access sees', () => {
        expect(openData(items)).toEqual(visibleData(items, WITHOUT_PRIVATE));
    });
});

describe('a reader without private access learns nothing of private items from a change', () => {
    const before = set(1, item('pub', 'public'), item('secret', 'private'), item('flip', 'public'));

    it('a reader with private access sees every changed and removed key', () => {
        const after = set(2, item('pub', 'public', 2), item('flip', 'private', 2));
        expect(visibleChange(change({ changed: ['flip', 'pub'], removed: ['secret'], before, set: after }), WITH_PRIVATE))
            .toEqual({ changed: ['flip', 'pub'], removed: ['secret'], stateChanged: [], mayReadPrivate: true });
    });

    it('a change to private items only is nothing to tell a reader without private access', () => {
        const after = set(2, item('pub', 'public'), item('secret', 'private', 2), item('flip', 'public'), item('new', 'private', 2));
        expect(visibleChange(change({ changed: ['new', 'secret'], before, set: after }), WITHOUT_PRIVATE)).toBeUndefined();
    });

    it('a removed private key is not named to a reader without private access, nor counted', () => {
        const after = set(2, item('flip', 'public'));
        expect(visibleChange(change({ removed: ['pub', 'secret'], before, set: after }), WITHOUT_PRIVATE))
            .toEqual({ changed: [], removed: ['pub'], stateChanged: [], mayReadPrivate: false });
    });

    it('a public key turned private reads as removed, exactly as if it had been removed', () => {
        const turned = visibleChange(change({ changed: ['flip'], before, set: set(2, item('pub', 'public'), item('secret', 'private'), item('flip', 'private', 2)) }), WITHOUT_PRIVATE);
        const removed = visibleChange(change({ removed: ['flip'], before, set: set(2, item('pub', 'public'), item('secret', 'private')) }), WITHOUT_PRIVATE);
        expect(turned).toEqual({ changed: [], removed: ['flip'], stateChanged: [], mayReadPrivate: false });
        expect(turned).toEqual(removed);
    });

    it('a private key turned public reads as changed (it appears)', () => {
        const after = set(2, item('pub', 'public'), item('secret', 'public', 2), item('flip', 'public'));
        expect(visibleChange(change({ changed: ['secret'], before, set: after }), WITHOUT_PRIVATE))
            .toEqual({ changed: ['secret'], removed: [], stateChanged: [], mayReadPrivate: false });
    });

    it('without the items before, no removal is shown to a reader without private access (none can be shown to have been visible)', () => {
        expect(visibleChange(change({ removed: ['pub'], set: set(2) }), WITHOUT_PRIVATE)).toBeUndefined();
    });

    it('state is not private: a reader without private access sees state keys change', () => {
        expect(visibleChange(change({ stateChanged: ['votes'], before, set: before }), WITHOUT_PRIVATE))
            .toEqual({ changed: [], removed: [], stateChanged: ['votes'], mayReadPrivate: false });
    });

    it('a room status message (what the app shows in the open) sees a change as a reader without private access', () => {
        const c = change({ changed: ['flip', 'secret'], before, set: set(2, item('pub', 'public'), item('secret', 'private', 2), item('flip', 'private', 2)) });
        expect(openChange(c)).toEqual(visibleChange(c, WITHOUT_PRIVATE));
    });
});

describe('a subscriber sees a change as their access stands at delivery', () => {
    const facts = (roomType: string, member: boolean): AccessFacts => ({
        callerId: 'u-carol',
        callerRoles: ['user'],
        adminRoles: ['admin'],
        subject: { namespace: 'room', roomType, callerIsMember: member, callerIsOwner: false, callerIsModerator: false, membersMayWrite: false },
    });
    const before = set(1, item('topic', 'public'));
    const c = change({ changed: ['budget', 'topic'], before, set: set(2, item('budget', 'private', 2), item('topic', 'public', 2)) });

    it('one who may not see the subject (left a private room) sees nothing of it', () => {
        expect(changeSeenBy(facts('p', false), c)).toBeUndefined();
    });

    it('a non-member of a public channel sees its public keys only', () => {
        expect(changeSeenBy(facts('c', false), c)).toEqual({ changed: ['topic'], removed: [], stateChanged: [], mayReadPrivate: false });
    });

    it('a member sees private keys too', () => {
        expect(changeSeenBy(facts('p', true), c)).toEqual({ changed: ['budget', 'topic'], removed: [], stateChanged: [], mayReadPrivate: true });
    });
});

describe('history is read by the same rule, as the reader may read it now', () => {
    const entry: HistoryRecord = {
        revision: 4,
        actor: 'u1',
        at: '2024-01-01T00:00:00.000Z',
        changed: [{ key: 'pub', value: 1, visibility: 'public' }, { key: 'secret', value: 2, visibility: 'private' }, { key: 'flip', value: 3, visibility: 'private' }],
        removed: [{ key: 'gone', visibility: 'public' }, { key: 'hush', visibility: 'private' }],
        hidden: ['flip'],
    };

    it('a reader without private access sees public changes, public removals, and a key turned private as removed', () => {
        expect(visibleHistoryEntry(entry, WITHOUT_PRIVATE)).toEqual({
            majorRevision: 4, at: entry.at, actor: 'u1', changed: [{ key: 'pub', value: 1, visibility: 'public' }], removed: ['flip', 'gone'],
        });
    });

    it('a reader with private access sees the whole entry', () => {
        expect(visibleHistoryEntry(entry, WITH_PRIVATE)).toEqual({
            majorRevision: 4, at: entry.at, actor: 'u1', changed: entry.changed, removed: ['gone', 'hush'],
        });
    });
});

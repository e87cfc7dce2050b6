import { describe, expect, it } from 'vitest';
import { toDocument } from '../../src/core/document';
import { applyMerge, applyRemove, applySet, applyUpdate, emptySet, selectItems } from '../../src/core/metadataSet';
import { ItemWrite, SetRequest } from '../../src/core/types';
import { context, expectError, setWith, valuesOf } from './helpers';

const ctx = context();
const later = context({ actorId: 'bob', at: '2024-05-02T08:00:00.000Z' });

describe('a new subject', () => {
    it('starts at majorRevision 0 with no items', () => {
        expect(emptySet()).toEqual({ majorRevision: 0, items: [] });
    });
});

describe('set', () => {
    it('creates items stamped with the new majorRevision, the time and the writer', () => {
        const outcome = applySet(emptySet(), { items: [{ key: 'state', value: 'open' }] }, ctx);
        expect(outcome).toEqual({
            set: {
                majorRevision: 1,
                items: [
                    {
                        key: 'state',
                        value: 'open',
                        revision: 1,
                        updatedAt: ctx.at,
                        updatedBy: 'alice',
                        visibility: 'private',
                    },
                ],
            },
            changed: ['state'],
            removed: [],
            wrote: true,
        });
    });

    it('raises majorRevision by one per request however many items it writes', () => {
        const items = ['a', 'b', 'c'].map((key) => ({ key, value: 1 }));
        expect(applySet(emptySet(), { items }, ctx).set.majorRevision).toBe(1);
    });

    it('overwrites an existing value and gives it the new revision', () => {
        const before = setWith({ a: 1, b: 2 });
        const after = applySet(before, { items: [{ key: 'a', value: 10 }] }, later).set;
        expect(after.majorRevision).toBe(2);
        expect(after.items.find((item) => item.key === 'a')).toMatchObject({ value: 10, revision: 2, updatedBy: 'bob' });
        expect(after.items.find((item) => item.key === 'b')).toMatchObject({ value: 2, revision: 1, updatedBy: 'alice' });
    });

    it('stores an object or array value as one item', () => {
        const after = applySet(emptySet(), { items: [{ key: 'profile', value: { tags: ['x'], age: 3 } }] }, ctx).set;
        expect(after.items.map((item) => item.key)).toEqual(['profile']);
    });

    it('keeps the items sorted by key', () => {
        const after = applySet(setWith({ m: 1 }), { items: [{ key: 'z', value: 1 }, { key: 'a', value: 1 }] }, ctx).set;
        expect(after.items.map((item) => item.key)).toEqual(['a', 'm', 'z']);
    });

    it('never changes the set it was given', () => {
        const before = setWith({ a: 1 });
        const copy = structuredClone(before);
        applySet(before, { items: [{ key: 'a', value: 2 }] }, later);
        applySet(before, { items: [{ key: 'a.b', value: 3 }] }, later);
        expect(before).toEqual(copy);
    });

    it('a write that changes nothing keeps the revision and reports wrote=false', () => {
        const before = setWith({ a: { x: 1, y: 2 } });
        const outcome = applySet(before, { items: [{ key: 'a', value: { y: 2, x: 1 } }] }, later);
        expect(outcome).toEqual({ set: before, changed: [], removed: [], wrote: false });
    });

    it('reports only the items whose value changed', () => {
        const outcome = applySet(setWith({ a: 1, b: 2 }), { items: [{ key: 'a', value: 1 }, { key: 'b', value: 3 }] }, later);
        expect(outcome.changed).toEqual(['b']);
        expect(outcome.set.items.find((item) => item.key === 'a')?.revision).toBe(1);
    });

    it('gives a new item the default visibility', () => {
        const outcome = applySet(emptySet(), { items: [{ key: 'a', value: 1 }] }, context({ defaultVisibility: 'public' }));
        expect(outcome.set.items[0].visibility).toBe('public');
    });

    it('keeps the current visibility when a write omits it', () => {
        const before = setWith({ a: 1 }, 'public');
        const after = applySet(before, { items: [{ key: 'a', value: 2 }] }, later).set;
        expect(after.items[0].visibility).toBe('public');
    });

    it('counts a visibility change alone as a change', () => {
        const before = setWith({ a: 1 }, 'private');
        const outcome = applySet(before, { items: [{ key: 'a', value: 1, visibility: 'public' }] }, later);
        expect(outcome.wrote).toBe(true);
        expect(outcome.changed).toEqual(['a']);
        expect(outcome.set.items[0]).toMatchObject({ visibility: 'public', revision: 2 });
    });

    it('writing a.b replaces an existing a and reports it removed', () => {
        const outcome = applySet(setWith({ a: { b: 1 }, c: 1 }), { items: [{ key: 'a.b', value: 2 }] }, later);
        expect(valuesOf(outcome.set)).toEqual({ 'a.b': 2, c: 1 });
        expect(outcome.changed).toEqual(['a.b']);
        expect(outcome.removed).toEqual(['a']);
    });

    it('writing a replaces existing a.b and a.c.d and reports them removed', () => {
        const outcome = applySet(setWith({ 'a.b': 1, 'a.c.d': 2, ab: 3 }), { items: [{ key: 'a', value: 0 }] }, later);
        expect(valuesOf(outcome.set)).toEqual({ a: 0, ab: 3 });
        expect(outcome.removed).toEqual(['a.b', 'a.c.d']);
    });

    it('accepts a document and stores its leaves as items', () => {
        const document = { contact: { first_name: 'Grace', last_name: 'Hopper' }, state: 'open', tags: [] };
        const outcome = applySet(emptySet(), { document }, ctx);
        expect(valuesOf(outcome.set)).toEqual({
            'contact.first_name': 'Grace',
            'contact.last_name': 'Hopper',
            state: 'open',
            tags: [],
        });
    });

    it('keeps the items a document does not mention', () => {
        const outcome = applySet(setWith({ other: 1 }), { document: { a: 1 } }, later);
        expect(valuesOf(outcome.set)).toEqual({ a: 1, other: 1 });
    });

    it('needs exactly one of items or document', () => {
        expectError(() => applySet(emptySet(), {}, ctx), 'invalid_request');
        expectError(() => applySet(emptySet(), { items: [], document: {} }, ctx), 'invalid_request');
    });

    it('refuses a document with an invalid property name', () => {
        expectError(() => applySet(emptySet(), { document: { 'a b': 1 } }, ctx), 'invalid_key');
    });

    it('refuses an invalid key', () => {
        expectError(() => applySet(emptySet(), { items: [{ key: 'a..b', value: 1 }] }, ctx), 'invalid_key');
    });

    it('refuses a null value', () => {
        const request = { items: [{ key: 'a', value: null }] } as unknown as SetRequest;
        expectError(() => applySet(emptySet(), request, ctx), 'invalid_value');
    });

    it('refuses the same key twice in one request', () => {
        const items = [{ key: 'a', value: 1 }, { key: 'a', value: 2 }];
        expectError(() => applySet(emptySet(), { items }, ctx), 'invalid_request');
    });

    it('refuses overlapping keys in one request', () => {
        const items = [{ key: 'a.b.c', value: 1 }, { key: 'a', value: 2 }];
        const error = expectError(() => applySet(emptySet(), { items }, ctx), 'invalid_request');
        expect(error.message).toContain('"a"');
        expect(error.message).toContain('"a.b.c"');
    });

    it('refuses an unknown visibility', () => {
        const items = [{ key: 'a', value: 1, visibility: 'secret' }] as unknown as ItemWrite[];
        expectError(() => applySet(emptySet(), { items }, ctx), 'invalid_request');
    });

    it('refuses more items in one request than the limit', () => {
        const items = Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: i }));
        expectError(() => applySet(emptySet(), { items }, ctx), 'too_large');
    });

    it('refuses a write that would put more items in the set than the limit', () => {
        const before = setWith({ a: 1, b: 1 });
        const error = expectError(
            () => applySet(before, { items: [{ key: 'c', value: 1 }] }, context({ limits: { itemsPerSet: 2 } })),
            'too_large',
        );
        expect(error.details).toEqual({ limit: 2, size: 3 });
    });

    it('refuses a write that would make the whole set too big', () => {
        const items = ['a', 'b', 'c', 'd', 'e'].map((key) => ({ key, value: 'x'.repeat(15000) }));
        const error = expectError(() => applySet(emptySet(), { items }, ctx), 'too_large');
        expect(error.message).toContain('whole set');
    });

    it('refuses a value over the value limit', () => {
        expectError(() => applySet(emptySet(), { items: [{ key: 'a', value: 'x'.repeat(17000) }] }, ctx), 'too_large');
    });
});

describe('compare-and-set', () => {
    const before = setWith({ a: 1, b: 2 }); // majorRevision 1, both at revision 1

    it('writes when the expected majorRevision is current', () => {
        expect(applySet(before, { majorRevision: 1, items: [{ key: 'a', value: 5 }] }, later).wrote).toBe(true);
    });

    it('skips the majorRevision check for -1', () => {
        expect(applySet(before, { majorRevision: -1, items: [{ key: 'a', value: 5 }] }, later).wrote).toBe(true);
    });

    it('refuses a stale majorRevision with the current one', () => {
        const error = expectError(
            () => applySet(before, { majorRevision: 0, items: [{ key: 'a', value: 5 }] }, later),
            'revision_conflict',
        );
        expect(error.details).toEqual({ majorRevision: 1, items: [] });
    });

    it('checks majorRevision even when the write would change nothing', () => {
        expectError(() => applySet(before, { majorRevision: 7, items: [{ key: 'a', value: 1 }] }, later), 'revision_conflict');
    });

    it('revision 0 creates an item that does not exist yet', () => {
        expect(applySet(before, { items: [{ key: 'c', value: 1, revision: 0 }] }, later).changed).toEqual(['c']);
    });

    it('revision 0 refuses to overwrite an existing item and reports its revision', () => {
        const error = expectError(
            () => applySet(before, { items: [{ key: 'a', value: 9, revision: 0 }] }, later),
            'revision_conflict',
        );
        expect(error.details).toEqual({ majorRevision: 1, items: [{ key: 'a', revision: 1 }] });
    });

    it('revision N writes when the item is at revision N', () => {
        expect(applySet(before, { items: [{ key: 'a', value: 9, revision: 1 }] }, later).wrote).toBe(true);
    });

    it('revision N refuses when the item is at another revision or missing (reported as 0)', () => {
        const items = [
            { key: 'a', value: 9, revision: 3 },
            { key: 'missing', value: 9, revision: 1 },
            { key: 'b', value: 9, revision: 1 },
        ];
        const error = expectError(() => applySet(before, { items }, later), 'revision_conflict');
        expect(error.details).toEqual({
            majorRevision: 1,
            items: [
                { key: 'a', revision: 1 },
                { key: 'missing', revision: 0 },
            ],
        });
    });

    it('writes nothing when any one check fails', () => {
        const items = [
            { key: 'a', value: 9 },
            { key: 'b', value: 9, revision: 5 },
        ];
        expectError(() => applySet(before, { items }, later), 'revision_conflict');
        expect(valuesOf(before)).toEqual({ a: 1, b: 2 });
    });

    it('refuses a revision that is not an integer >= -1', () => {
        expectError(() => applySet(before, { items: [{ key: 'a', value: 1, revision: -2 }] }, later), 'invalid_request');
        expectError(() => applySet(before, { items: [{ key: 'a', value: 1, revision: 1.5 }] }, later), 'invalid_request');
        expectError(() => applySet(before, { majorRevision: -3, items: [] }, later), 'invalid_request');
    });

    it('reports a malformed request before a conflict', () => {
        const items = [{ key: 'a', value: null, revision: 9 }] as unknown as ItemWrite[];
        expectError(() => applySet(before, { items }, later), 'invalid_value');
    });

    it('reports a conflict before a missing item', () => {
        expectError(() => applyUpdate(before, { majorRevision: 0, items: [{ key: 'missing', value: 1 }] }, later), 'revision_conflict');
    });

    it('reports a conflict before a set that would grow too big', () => {
        const tight = context({ limits: { itemsPerSet: 2 } });
        expectError(() => applySet(before, { majorRevision: 0, items: [{ key: 'c', value: 1 }] }, tight), 'revision_conflict');
    });
});

describe('update', () => {
    it('changes existing items', () => {
        const outcome = applyUpdate(setWith({ a: 1, b: 2 }), { items: [{ key: 'a', value: 3 }] }, later);
        expect(valuesOf(outcome.set)).toEqual({ a: 3, b: 2 });
        expect(outcome.set.majorRevision).toBe(2);
    });

    it('refuses a missing key, lists it and writes nothing', () => {
        const before = setWith({ a: 1 });
        const error = expectError(
            () => applyUpdate(before, { items: [{ key: 'a', value: 2 }, { key: 'x', value: 1 }, { key: 'y', value: 1 }] }, later),
            'item_not_found',
        );
        expect(error.details).toEqual({ items: ['x', 'y'] });
        expect(valuesOf(before)).toEqual({ a: 1 });
    });

    it('does not count an item under the key as the item itself', () => {
        expectError(() => applyUpdate(setWith({ 'a.b': 1 }), { items: [{ key: 'a', value: 2 }] }, later), 'item_not_found');
    });

    it('needs items', () => {
        expectError(() => applyUpdate(emptySet(), {} as never, later), 'invalid_request');
    });
});

describe('remove', () => {
    it('removes the listed items', () => {
        const outcome = applyRemove(setWith({ a: 1, b: 2, c: 3 }), { items: [{ key: 'a' }, { key: 'c' }] }, later);
        expect(valuesOf(outcome.set)).toEqual({ b: 2 });
        expect(outcome).toMatchObject({ changed: [], removed: ['a', 'c'], wrote: true });
        expect(outcome.set.majorRevision).toBe(2);
    });

    it('removing a key removes the items under it', () => {
        const outcome = applyRemove(setWith({ 'contact.first': 'G', 'contact.last': 'H', state: 1 }), { items: [{ key: 'contact' }] }, later);
        expect(outcome.removed).toEqual(['contact.first', 'contact.last']);
    });

    it('refuses a missing key, lists it and removes nothing', () => {
        const error = expectError(
            () => applyRemove(setWith({ a: 1 }), { items: [{ key: 'a' }, { key: 'nope' }] }, later),
            'item_not_found',
        );
        expect(error.details).toEqual({ items: ['nope'] });
    });

    it('removes the whole set when no items are listed, and keeps counting revisions', () => {
        const before = setWith({ a: 1, b: 2 });
        for (const request of [{}, { items: [] }]) {
            const outcome = applyRemove(before, request, later);
            expect(outcome.set).toEqual({ majorRevision: 2, items: [] });
            expect(outcome.removed).toEqual(['a', 'b']);
        }
    });

    it('removing the whole of an empty set changes nothing', () => {
        expect(applyRemove(emptySet(), {}, later)).toEqual({ set: emptySet(), changed: [], removed: [], wrote: false });
    });

    it('checks item revisions before removing', () => {
        const error = expectError(
            () => applyRemove(setWith({ a: 1 }), { items: [{ key: 'a', revision: 4 }] }, later),
            'revision_conflict',
        );
        expect(error.details).toEqual({ majorRevision: 1, items: [{ key: 'a', revision: 1 }] });
    });

    it('checks majorRevision before removing the whole set', () => {
        expectError(() => applyRemove(setWith({ a: 1 }), { majorRevision: 3 }, later), 'revision_conflict');
    });

    it('refuses overlapping keys in one request', () => {
        expectError(() => applyRemove(setWith({ 'a.b': 1 }), { items: [{ key: 'a' }, { key: 'a.b' }] }, later), 'invalid_request');
    });

    it('refuses an invalid key', () => {
        expectError(() => applyRemove(setWith({ a: 1 }), { items: [{ key: 'a/b' }] }, later), 'invalid_key');
    });
});

describe('merge', () => {
    it('sets, replaces and removes as RFC 7396 does on the document', () => {
        const before = setWith({ 'contact.first_name': 'Grace', 'contact.last_name': 'Hopper', state: 'open' });
        const outcome = applyMerge(before, { patch: { contact: { last_name: null, title: 'RADM' }, state: 'closed' } as never }, later);
        expect(valuesOf(outcome.set)).toEqual({ 'contact.first_name': 'Grace', 'contact.title': 'RADM', state: 'closed' });
        expect(outcome.changed).toEqual(['contact.title', 'state']);
        expect(outcome.removed).toEqual(['contact.last_name']);
    });

    it('null removes an item and every item under it', () => {
        const outcome = applyMerge(setWith({ 'a.b': 1, 'a.c.d': 2, ab: 3 }), { patch: { a: null } as never }, later);
        expect(valuesOf(outcome.set)).toEqual({ ab: 3 });
    });

    it('null for something that does not exist changes nothing', () => {
        expect(applyMerge(setWith({ a: 1 }), { patch: { b: null } as never }, later).wrote).toBe(false);
    });

    it('merges into an object-valued item and keeps it one item', () => {
        const outcome = applyMerge(setWith({ profile: { name: 'G', age: 85 } }), { patch: { profile: { age: null, rank: 'RADM' } } as never }, later);
        expect(valuesOf(outcome.set)).toEqual({ profile: { name: 'G', rank: 'RADM' } });
        expect(outcome.changed).toEqual(['profile']);
    });

    it('a scalar replaces the items under its key', () => {
        const outcome = applyMerge(setWith({ 'a.b': 1, 'a.c': 2 }), { patch: { a: 'flat' } }, later);
        expect(valuesOf(outcome.set)).toEqual({ a: 'flat' });
        expect(outcome.removed).toEqual(['a.b', 'a.c']);
    });

    it('an object over a scalar item replaces it with the object as one item', () => {
        const outcome = applyMerge(setWith({ a: 1 }), { patch: { a: { b: 2 } } }, later);
        expect(valuesOf(outcome.set)).toEqual({ a: { b: 2 } });
    });

    it('an empty object over existing items changes nothing', () => {
        expect(applyMerge(setWith({ 'a.b': 1 }), { patch: { a: {} } }, later).wrote).toBe(false);
    });

    it('an empty object where nothing exists is stored as an empty object', () => {
        expect(valuesOf(applyMerge(emptySet(), { patch: { a: {} } }, ctx).set)).toEqual({ a: {} });
    });

    describe('an object in the patch leaves an object in the document, an empty one when nothing is left in it (RFC 7396)', () => {
        it('{"a":{"bb":{"ccc":null}}} on {} gives {"a":{"bb":{}}}: the empty object is stored as the item a.bb', () => {
            const outcome = applyMerge(emptySet(), { patch: { a: { bb: { ccc: null } } } as never }, ctx);
            expect(valuesOf(outcome.set)).toEqual({ 'a.bb': {} });
            expect(toDocument(outcome.set.items)).toEqual({ a: { bb: {} } });
            expect(outcome.changed).toEqual(['a.bb']);
        });

        it('removing the last item under a patch object keeps that object, empty', () => {
            const outcome = applyMerge(setWith({ 'a.b': 1, c: 2 }), { patch: { a: { b: null } } as never }, later);
            expect(toDocument(outcome.set.items)).toEqual({ a: {}, c: 2 });
            expect(outcome.changed).toEqual(['a']);
            expect(outcome.removed).toEqual(['a.b']);
        });

        it('adds no empty object where something is left', () => {
            const outcome = applyMerge(setWith({ 'a.b': 1, 'a.c': 2 }), { patch: { a: { b: null, d: { e: null } } } as never }, later);
            expect(valuesOf(outcome.set)).toEqual({ 'a.c': 2, 'a.d': {} });
        });

        it('a second application of the same patch changes nothing', () => {
            const once = applyMerge(emptySet(), { patch: { a: { bb: { ccc: null } } } as never }, ctx);
            expect(applyMerge(once.set, { patch: { a: { bb: { ccc: null } } } as never }, later).wrote).toBe(false);
        });
    });

    it('a nested object where nothing exists creates leaf items', () => {
        expect(valuesOf(applyMerge(emptySet(), { patch: { a: { b: 1, c: [2] } } }, ctx).set)).toEqual({ 'a.b': 1, 'a.c': [2] });
    });

    it('gives new items the default visibility and keeps existing items their own', () => {
        const before = setWith({ a: 1 }, 'public');
        const after = applyMerge(before, { patch: { a: 2, b: 3 } }, later).set;
        expect(after.items.map((item) => [item.key, item.visibility])).toEqual([
            ['a', 'public'],
            ['b', 'private'],
        ]);
    });

    it('refuses a patch that is not an object', () => {
        expectError(() => applyMerge(emptySet(), { patch: [1] as never }, ctx), 'invalid_request');
        expectError(() => applyMerge(emptySet(), { patch: null as never }, ctx), 'invalid_request');
    });

    it('refuses a patch member that is not a valid key segment', () => {
        expectError(() => applyMerge(emptySet(), { patch: { 'a.b': 1 } }, ctx), 'invalid_key');
        expectError(() => applyMerge(emptySet(), { patch: { a: JSON.parse('{"__proto__":1}') } }, ctx), 'invalid_key');
    });

    it('refuses null inside an array of the patch', () => {
        expectError(() => applyMerge(emptySet(), { patch: { a: [null] as never } }, ctx), 'invalid_value');
    });

    it('checks majorRevision', () => {
        expectError(() => applyMerge(setWith({ a: 1 }), { majorRevision: 0, patch: { a: 2 } }, later), 'revision_conflict');
    });

    it('refuses a patch touching more items than a request may', () => {
        const patch = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]));
        expectError(() => applyMerge(emptySet(), { patch }, ctx), 'too_large');
    });
});

describe('get', () => {
    const items = setWith({ 'contact.first_name': 'G', 'contact.last_name': 'H', contacts: 1, state: 'open' }).items;

    it('selects every item when no keys are given', () => {
        expect(selectItems(items)).toEqual(items);
        expect(selectItems(items, [])).toEqual(items);
    });

    it('selects a key and the items under it', () => {
        expect(selectItems(items, ['contact', 'state']).map((item) => item.key)).toEqual([
            'contact.first_name',
            'contact.last_name',
            'state',
        ]);
    });

    it('selects nothing for an unknown key', () => {
        expect(selectItems(items, ['nope'])).toEqual([]);
    });
});

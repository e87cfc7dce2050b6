import { describe, expect, it } from 'vitest';
import { MetadataError } from '../../src/core/errors';
import { DEFAULT_LIMITS, validateCause } from '../../src/core/limits';
import { applySet, emptySet } from '../../src/core/metadataSet';
import {
    parseKeyList, parseMergeRequest, parseRemoveRequest, parseSetRequest, parseStateRequest, parseUpdateRequest,
} from '../../src/core/requests';
import { expectError } from './helpers';

const limits = DEFAULT_LIMITS;

describe('parsing request bodies', () => {
    it('reads a set request with items and every option', () => {
        const body = {
            items: [{ key: 'a', value: { x: 1 }, revision: 0, visibility: 'public' }],
            majorRevision: 3,
            cause: { ticket: 1 },
        };
        expect(parseSetRequest(body)).toEqual(body);
    });

    it('reads a set request with a document', () => {
        expect(parseSetRequest({ document: { a: { b: 1 } } })).toEqual({ document: { a: { b: 1 } } });
    });

    it('needs exactly one of items or document in a set request', () => {
        expectError(() => parseSetRequest({}), 'invalid_request');
        expectError(() => parseSetRequest({ items: [], document: {} }), 'invalid_request');
    });

    it.each([null, 'text', [1], 42, undefined])('refuses a body that is not an object: %j', (body) => {
        expectError(() => parseSetRequest(body), 'invalid_request');
    });

    it('names unknown top-level fields, so typos are caught', () => {
        const error = expectError(() => parseSetRequest({ items: [], majorRevison: 1 }), 'invalid_request');
        expect(error.message).toContain('"majorRevison"');
    });

    it('names unknown item fields, so a misspelt revision does not skip the check', () => {
        const body = { items: [{ key: 'a', value: 1, revison: 0 }] };
        expect(expectError(() => parseSetRequest(body), 'invalid_request').message).toContain('items[0]');
    });

    it('says which item revision is wrong and what is expected', () => {
        const body = { items: [{ key: 'a', value: 1 }, { key: 'b', value: 1 }, { key: 'c', value: 1, revision: 'x' }] };
        expect(expectError(() => parseSetRequest(body), 'invalid_request').message).toContain(
            'items[2].revision must be an integer >= -1',
        );
    });

    it.each([-2, 1.5, '1', null])('refuses majorRevision %j', (majorRevision) => {
        const error = expectError(() => parseSetRequest({ items: [], majorRevision }), 'invalid_request');
        expect(error.message).toContain('majorRevision must be an integer >= -1');
    });

    it('keeps majorRevision -1 as given', () => {
        expect(parseSetRequest({ items: [], majorRevision: -1 }).majorRevision).toBe(-1);
    });

    it('refuses a visibility other than public or private', () => {
        const body = { items: [{ key: 'a', value: 1, visibility: 'hidden' }] };
        expect(expectError(() => parseSetRequest(body), 'invalid_request').message).toContain('items[0].visibility');
    });

    it('refuses an item without a value', () => {
        expect(expectError(() => parseSetRequest({ items: [{ key: 'a' }] }), 'invalid_request').message).toContain(
            'items[0].value',
        );
    });

    it('refuses an item whose key is not a string', () => {
        expect(expectError(() => parseSetRequest({ items: [{ key: 1, value: 1 }] }), 'invalid_request').message).toContain(
            'items[0].key',
        );
    });

    it('leaves judging keys and values to the operations', () => {
        expect(parseSetRequest({ items: [{ key: 'a..b', value: null }] }).items).toEqual([{ key: 'a..b', value: null }]);
    });

    it('leaves the items-per-request limit to the operation, which knows the app\'s setting', () => {
        const items = Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: i }));
        const request = parseSetRequest({ items });
        expect(request.items).toHaveLength(101);
        const ctx = { actorId: 'u1', at: '2026-01-01T00:00:00.000Z', defaultVisibility: 'private' as const, limits };
        expectError(() => applySet(emptySet(), request, ctx), 'too_large');
    });

    it('refuses a cause that is neither text nor an object, and leaves its size to the limit check', () => {
        expectError(() => parseSetRequest({ items: [], cause: 5 }), 'invalid_request');
        const request = parseSetRequest({ items: [], cause: 'x'.repeat(70000) });
        expectError(() => validateCause(request.cause, limits), 'too_large');
    });

    it('reads an update request and needs its items', () => {
        expect(parseUpdateRequest({ items: [{ key: 'a', value: 1 }] })).toEqual({ items: [{ key: 'a', value: 1 }] });
        expectError(() => parseUpdateRequest({ majorRevision: 1 }), 'invalid_request');
        expectError(() => parseUpdateRequest({ document: {} }), 'invalid_request');
    });

    it('reads a remove request without a body as "remove the whole set"', () => {
        expect(parseRemoveRequest(undefined)).toEqual({});
        expect(parseRemoveRequest({})).toEqual({});
    });

    it('reads a remove request listing items as objects or as key strings', () => {
        expect(parseRemoveRequest({ items: [{ key: 'a', revision: 2 }, 'b'], majorRevision: 4 })).toEqual({
            items: [{ key: 'a', revision: 2 }, { key: 'b' }],
            majorRevision: 4,
        });
    });

    it('refuses a remove item carrying a value', () => {
        expectError(() => parseRemoveRequest({ items: [{ key: 'a', value: 1 }] }), 'invalid_request');
    });

    it('reads a merge request and needs a patch object', () => {
        expect(parseMergeRequest({ patch: { a: null, b: 1 } })).toEqual({ patch: { a: null, b: 1 } });
        expectError(() => parseMergeRequest({}), 'invalid_request');
        expect(expectError(() => parseMergeRequest({ patch: [1] }), 'invalid_request').message).toContain('patch');
    });

    it('reads a state request', () => {
        expect(parseStateRequest({ key: 'votes', type: 'set', op: 'add', value: 'yes', cause: 'poll' })).toEqual({
            key: 'votes',
            type: 'set',
            op: 'add',
            value: 'yes',
            cause: 'poll',
        });
    });

    it('refuses a state request with an unknown op or type', () => {
        expect(expectError(() => parseStateRequest({ key: 'k', op: 'toggle' }), 'invalid_request').message).toContain(
            'op must be "add" or "remove"',
        );
        expectError(() => parseStateRequest({ key: 'k', op: 'add', type: 'counter' }), 'invalid_request');
        expectError(() => parseStateRequest({ op: 'add' }), 'invalid_request');
    });

    it('reads a key list, trimming blanks and duplicates', () => {
        expect(parseKeyList(' a, b.c ,,a')).toEqual(['a', 'b.c']);
        expect(parseKeyList(undefined)).toBeUndefined();
        expect(parseKeyList(' , ')).toBeUndefined();
    });

    it('refuses an invalid key in a key list', () => {
        expectError(() => parseKeyList('a,b c'), 'invalid_key');
    });

    it('answers any malformed body with a MetadataError, never anything else', () => {
        const bodies = [
            { items: 'x' }, { items: [null] }, { items: [[1]] }, { document: 'x' }, { patch: 'x' },
            JSON.parse('{"__proto__":{"items":[]}}'), { items: [{ key: 'a', value: 1, visibility: 3 }] },
        ];
        for (const body of bodies) {
            for (const parse of [parseSetRequest, parseUpdateRequest, parseRemoveRequest, parseMergeRequest, parseStateRequest]) {
                try {
                    parse(body);
                } catch (error) {
                    expect(error).toBeInstanceOf(MetadataError);
                }
            }
        }
    });
});

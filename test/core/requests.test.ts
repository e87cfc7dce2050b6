import { describe, expect, it } from 'vitest';
import { MetadataError } from '../../src/core/errors';
import { DEFAULT_LIMITS } from '../../src/core/limits';
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
        expect(parseSetRequest(body, limits)).toEqual(body);
    });

    it('reads a set request with a document', () => {
        expect(parseSetRequest({ document: { a: { b: 1 } } }, limits)).toEqual({ document: { a: { b: 1 } } });
    });

    it('needs exactly one of items or document in a set request', () => {
        expectError(() => parseSetRequest({}, limits), 'invalid_request');
        expectError(() => parseSetRequest({ items: [], document: {} }, limits), 'invalid_request');
    });

    it.each([null, 'text', [1], 42, undefined])('refuses a body that is not an object: %j', (body) => {
        expectError(() => parseSetRequest(body, limits), 'invalid_request');
    });

    it('names unknown top-level fields, so typos are caught', () => {
        const error = expectError(() => parseSetRequest({ items: [], majorRevison: 1 }, limits), 'invalid_request');
        expect(error.message).toContain('"majorRevison"');
    });

    it('names unknown item fields, so a misspelt revision does not skip the check', () => {
        const body = { items: [{ key: 'a', value: 1, revison: 0 }] };
        expect(expectError(() => parseSetRequest(body, limits), 'invalid_request').message).toContain('items[0]');
    });

    it('says which item revision is wrong and what is expected', () => {
        const body = { items: [{ key: 'a', value: 1 }, { key: 'b', value: 1 }, { key: 'c', value: 1, revision: 'x' }] };
        expect(expectError(() => parseSetRequest(body, limits), 'invalid_request').message).toContain(
            'items[2].revision must be an integer >= -1',
        );
    });

    it.each([-2, 1.5, '1', null])('refuses majorRevision %j', (majorRevision) => {
        const error = expectError(() => parseSetRequest({ items: [], majorRevision }, limits), 'invalid_request');
        expect(error.message).toContain('majorRevision must be an integer >= -1');
    });

    it('keeps majorRevision -1 as given', () => {
        expect(parseSetRequest({ items: [], majorRevision: -1 }, limits).majorRevision).toBe(-1);
    });

    it('refuses a visibility other than public or private', () => {
        const body = { items: [{ key: 'a', value: 1, visibility: 'hidden' }] };
        expect(expectError(() => parseSetRequest(body, limits), 'invalid_request').message).toContain('items[0].visibility');
    });

    it('refuses an item without a value', () => {
        expect(expectError(() => parseSetRequest({ items: [{ key: 'a' }] }, limits), 'invalid_request').message).toContain(
            'items[0].value',
        );
    });

    it('refuses an item whose key is not a string', () => {
        expect(expectError(() => parseSetRequest({ items: [{ key: 1, value: 1 }] }, limits), 'invalid_request').message).toContain(
            'items[0].key',
        );
    });

    it('leaves judging keys and values to the operations', () => {
        expect(parseSetRequest({ items: [{ key: 'a..b', value: null }] }, limits).items).toEqual([{ key: 'a..b', value: null }]);
    });

    it('refuses too many items early', () => {
        const items = Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: i }));
        expectError(() => parseSetRequest({ items }, limits), 'too_large');
    });

    it('refuses a bad cause', () => {
        expectError(() => parseSetRequest({ items: [], cause: 5 }, limits), 'invalid_request');
        expectError(() => parseSetRequest({ items: [], cause: 'x'.repeat(70000) }, limits), 'too_large');
    });

    it('reads an update request and needs its items', () => {
        expect(parseUpdateRequest({ items: [{ key: 'a', value: 1 }] }, limits)).toEqual({ items: [{ key: 'a', value: 1 }] });
        expectError(() => parseUpdateRequest({ majorRevision: 1 }, limits), 'invalid_request');
        expectError(() => parseUpdateRequest({ document: {} }, limits), 'invalid_request');
    });

    it('reads a remove request without a body as "remove the whole set"', () => {
        expect(parseRemoveRequest(undefined, limits)).toEqual({});
        expect(parseRemoveRequest({}, limits)).toEqual({});
    });

    it('reads a remove request listing items as objects or as key strings', () => {
        expect(parseRemoveRequest({ items: [{ key: 'a', revision: 2 }, 'b'], majorRevision: 4 }, limits)).toEqual({
            items: [{ key: 'a', revision: 2 }, { key: 'b' }],
            majorRevision: 4,
        });
    });

    it('refuses a remove item carrying a value', () => {
        expectError(() => parseRemoveRequest({ items: [{ key: 'a', value: 1 }] }, limits), 'invalid_request');
    });

    it('reads a merge request and needs a patch object', () => {
        expect(parseMergeRequest({ patch: { a: null, b: 1 } }, limits)).toEqual({ patch: { a: null, b: 1 } });
        expectError(() => parseMergeRequest({}, limits), 'invalid_request');
        expect(expectError(() => parseMergeRequest({ patch: [1] }, limits), 'invalid_request').message).toContain('patch');
    });

    it('reads a state request', () => {
        expect(parseStateRequest({ key: 'votes', type: 'set', op: 'add', value: 'yes', cause: 'poll' }, limits)).toEqual({
            key: 'votes',
            type: 'set',
            op: 'add',
            value: 'yes',
            cause: 'poll',
        });
    });

    it('refuses a state request with an unknown op or type', () => {
        expect(expectError(() => parseStateRequest({ key: 'k', op: 'toggle' }, limits), 'invalid_request').message).toContain(
            'op must be "add" or "remove"',
        );
        expectError(() => parseStateRequest({ key: 'k', op: 'add', type: 'counter' }, limits), 'invalid_request');
        expectError(() => parseStateRequest({ op: 'add' }, limits), 'invalid_request');
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
                    parse(body, limits);
                } catch (error) {
                    expect(error).toBeInstanceOf(MetadataError);
                }
            }
        }
    });
});

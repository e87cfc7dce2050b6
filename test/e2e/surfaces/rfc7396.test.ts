// SPEC §3 merge and §4 document view — every example of RFC 7396 Appendix A, through both surfaces of the packaged app
// in the real engine: `POST metadata/:ns/:id/merge` and `/meta merge`. The rows are copied from the RFC (ORIGINAL,
// PATCH, RESULT), not from the app's code; where the app cannot represent a row, the test asserts its documented
// refusal instead and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHost, type Host, type HostInstance } from '../../support/host';
import { replyText, type ErrorBody, type MetadataView } from './helpers';
import { APPENDIX_A } from '../../support/rfc7396';

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost();
    a = host.first;
    // Each row stores its original and merges, one right after the other: more than the default 20 writes a second.
    await a.setAppSetting('limit_writes_per_second', 1000);
});

afterAll(async () => {
    await host?.stop();
});


/**
 * Rows whose ORIGINAL the app cannot hold, by their number in Appendix A. A subject's document is always a JSON
 * object (it is read from the subject's items), and `null` is refused anywhere inside a value (README, "Where this
 * app refines or departs from SPEC.md": in the document view and in merge patches `null` means "remove", so a stored
 * `null` could not round-trip). Storing such an ORIGINAL is refused with a 400; the patch then goes to the nearest
 * document the app can hold, the empty one, and `onEmpty` is what that gives.
 */
const ORIGINAL_REFUSED: Record<number, { code: string; onEmpty?: unknown }> = {
    // An array is not a document.
    9: { code: 'invalid_request' },
    // {"e":null} cannot be stored; on {} the patch {"a":1} gives the RFC's RESULT without its null member.
    13: { code: 'invalid_value', onEmpty: { a: 1 } },
    // An array is not a document; RFC 7396 merges an object patch into {} when the target is not an object, so on
    // the empty document the app gives the RFC's own RESULT.
    14: { code: 'invalid_request', onEmpty: { a: 'b' } },
};

/**
 * Rows whose PATCH the app refuses (400 invalid_request; `/meta` says to give a JSON object), nothing written: SPEC §3
 * says "the patch must be a JSON object". A patch that is not one would replace the whole document with something
 * that is not a document (an array, `null`, a string), which a subject's set of items cannot be.
 */
const PATCH_REFUSED = new Set([9, 10, 11, 12]);

const rows = APPENDIX_A.map(([original, patch, result], index) => ({
    n: index + 1,
    original,
    patch,
    result,
    title: `A.${index + 1}: ${JSON.stringify(original)} patched with ${JSON.stringify(patch)} gives ${JSON.stringify(result)}`,
}));

type Row = (typeof rows)[number];

async function documentOf(): Promise<Record<string, unknown>> {
    const res = await a.api<MetadataView>('carol', 'GET', 'metadata/user/me');
    expect(res.status).toBe(200);
    return res.body.document;
}

/** Empties carol's set and stores the row's ORIGINAL as her document (or asserts its refusal); returns the document. */
async function storeOriginal(row: Row): Promise<Record<string, unknown>> {
    expect((await a.api('carol', 'DELETE', 'metadata/user/me')).status).toBe(200);
    const refused = ORIGINAL_REFUSED[row.n];
    if (refused) {
        const res = await a.api<ErrorBody>('carol', 'PUT', 'metadata/user/me', { document: row.original });
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error.code).toBe(refused.code);
    } else if (Object.keys(row.original as object).length > 0) {
        const res = await a.api<MetadataView>('carol', 'PUT', 'metadata/user/me', { document: row.original });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const document = await documentOf();
    expect(document).toEqual(refused ? {} : row.original);
    return document;
}

/** What the merge must leave: the RFC's RESULT, or for an ORIGINAL the app cannot hold, the patch on the empty document. */
function expected(row: Row): unknown {
    const refused = ORIGINAL_REFUSED[row.n];
    return refused ? refused.onEmpty : row.result;
}

describe('RFC 7396 Appendix A through POST metadata/:ns/:id/merge', () => {
    for (const row of rows) it(row.title, async () => {
        const before = await storeOriginal(row);
        const res = await a.api<MetadataView & ErrorBody>('carol', 'POST', 'metadata/user/me/merge', { patch: row.patch });
        if (PATCH_REFUSED.has(row.n)) {
            expect(res.status, JSON.stringify(res.body)).toBe(400);
            expect(res.body.error.code).toBe('invalid_request');
            expect(res.body.error.message).toContain('patch');
            expect(await documentOf()).toEqual(before);
            return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.document).toEqual(expected(row));
        expect(await documentOf()).toEqual(expected(row));
    });
});

describe('RFC 7396 Appendix A through `/meta merge`', () => {
    for (const row of rows) it(row.title, async () => {
        const before = await storeOriginal(row);
        // As the app's help says to type it: the JSON in single quotes, which keep its inner quotes.
        const text = replyText((await a.command('carol', 'team', `merge '${JSON.stringify(row.patch)}'`)).replies);
        if (PATCH_REFUSED.has(row.n)) {
            expect(text).toContain('`merge` needs a JSON object');
            expect(await documentOf()).toEqual(before);
            return;
        }
        expect(text).toContain('✓ Merged into @carol');
        expect(await documentOf()).toEqual(expected(row));
    });
});

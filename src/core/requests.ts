/**
 * Untrusted request bodies (HTTP JSON) → typed requests. Shape only: field types and the fields
 * allowed. Keys, values and the limits (items per request, cause size) are judged by the operations
 * and the service, which every surface goes through, so a surface needs no settings to parse.
 */
import { MetadataError } from './errors';
import {
    checkVisibilityField, expectArray, expectOneOf, expectRecord, expectString, rejectUnknownFields,
} from './fields';
import { validateLockName, validateTtl, validateWait } from './locks';
import { JsonObject, JsonValue } from './json';
import { isPlainRecord } from './values';
import { validateKey } from './keys';
import { checkRevisionField } from './revisions';
import {
    Cause, ItemRef, ItemWrite, LockRequest, MergeRequest, RemoveRequest, SetRequest, STATE_OP_KINDS, STATE_TYPES, StateRequest,
    UpdateRequest, WriteOptions,
} from './types';


const WRITE_OPTIONS = ['majorRevision', 'cause', 'lock'] as const;
const ITEM_WRITE_FIELDS = ['key', 'value', 'revision', 'visibility'] as const;
const ITEM_REF_FIELDS = ['key', 'revision'] as const;

/**
 * A set request gives exactly one of `items` and `document` (SPEC §7): the parser checks it of a body, the
 * operation of any request (the command builds requests itself). Answers which one it is.
 */
export function itemsOrDocument(request: { items?: unknown; document?: unknown }): 'items' | 'document' {
    const hasItems = request.items !== undefined;
    if (hasItems === (request.document !== undefined)) {
        throw new MetadataError(
            'invalid_request',
            'a set request needs exactly one of "items" (a list of {key, value}) or "document" (a JSON object)',
        );
    }
    return hasItems ? 'items' : 'document';
}

export function parseSetRequest(body: unknown): SetRequest {
    const record = expectBody(body, 'set', ['items', 'document', ...WRITE_OPTIONS]);
    const given = itemsOrDocument(record);
    const request: SetRequest = parseWriteOptions(record);
    if (given === 'items') request.items = parseItemWrites(record.items);
    else request.document = expectRecord(record.document, 'document') as JsonObject;
    return request;
}

export function parseUpdateRequest(body: unknown): UpdateRequest {
    const record = expectBody(body, 'update', ['items', ...WRITE_OPTIONS]);
    if (record.items === undefined) {
        throw new MetadataError('invalid_request', 'the request body needs "items": a list of {key, value}');
    }
    return { ...parseWriteOptions(record), items: parseItemWrites(record.items) };
}

/** No body at all (a DELETE often has none) means "remove the whole set". */
export function parseRemoveRequest(body: unknown): RemoveRequest {
    if (body === undefined || body === null || body === '') return {};
    const record = expectBody(body, 'remove', ['items', ...WRITE_OPTIONS]);
    const request: RemoveRequest = parseWriteOptions(record);
    if (record.items !== undefined) request.items = parseItemRefs(record.items);
    return request;
}

export function parseMergeRequest(body: unknown): MergeRequest {
    const record = expectBody(body, 'merge', ['patch', ...WRITE_OPTIONS]);
    if (record.patch === undefined) {
        throw new MetadataError('invalid_request', 'the request body needs "patch": a JSON object (the merge patch)');
    }
    const patch = expectRecord(record.patch, 'patch', 'a JSON object (the merge patch)') as JsonObject;
    return { ...parseWriteOptions(record), patch };
}

/** `POST …/pick`: `{choice}`, the text of one of the message's choices. */
export function parsePickRequest(body: unknown): string {
    const fields = expectRecord(body, 'the pick');
    rejectUnknownFields(fields, ['choice'], 'the pick');
    return expectString(fields.choice, 'choice');
}

export function parseStateRequest(body: unknown): StateRequest {
    const record = expectBody(body, 'state', ['key', 'type', 'op', 'value', 'cause']);
    const request: StateRequest = {
        key: expectString(record.key, 'key'),
        op: expectOneOf(record.op, STATE_OP_KINDS, 'op'),
    };
    if (record.type !== undefined) request.type = expectOneOf(record.type, STATE_TYPES, 'type');
    if (record.value !== undefined) request.value = record.value as JsonValue;
    if (record.cause !== undefined) request.cause = expectCause(record.cause);
    return request;
}

/** `?keys=a,b` → ['a', 'b']; absent or blank → undefined (everything). */
export function parseLockRequest(body: unknown): LockRequest {
    const record = expectBody(body, 'lock', ['name', 'ttl', 'wait']);
    return { name: validateLockName(record.name), ttl: validateTtl(record.ttl), wait: validateWait(record.wait) };
}

export function parseKeyList(csv: string | undefined): string[] | undefined {
    if (csv === undefined) return undefined;
    const keys = csv
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key !== '');
    if (keys.length === 0) return undefined;
    return [...new Set(keys.map(validateKey))];
}

function expectBody(body: unknown, operation: string, allowed: readonly string[]): Record<string, unknown> {
    const record = expectRecord(body, `the ${operation} request body`);
    rejectUnknownFields(record, allowed, `the ${operation} request body`);
    return record;
}

function parseWriteOptions(record: Record<string, unknown>): WriteOptions {
    const options: WriteOptions = {};
    if (record.majorRevision !== undefined) {
        checkRevisionField(record.majorRevision, 'majorRevision');
        options.majorRevision = record.majorRevision as number;
    }
    if (record.cause !== undefined) options.cause = expectCause(record.cause);
    if (record.lock !== undefined) options.lock = validateLockName(record.lock);
    return options;
}

/** Its size is the service's to judge, against the app's limit. */
function expectCause(cause: unknown): Cause {
    if (typeof cause === 'string' || isPlainRecord(cause)) return cause as Cause;
    throw new MetadataError('invalid_request', '"cause" must be a string or a JSON object');
}

function parseItemWrites(items: unknown): ItemWrite[] {
    const list = expectArray(items, 'items', 'an array of {key, value, revision?, visibility?}');
    return list.map((entry, index) => {
        const field = `items[${index}]`;
        const record = expectRecord(entry, field, 'an object {key, value, revision?, visibility?}');
        rejectUnknownFields(record, ITEM_WRITE_FIELDS, field);
        if (record.value === undefined) {
            throw new MetadataError('invalid_request', `${field}.value is required (any JSON value except null)`);
        }
        const item: ItemWrite = { key: expectString(record.key, `${field}.key`), value: record.value as JsonValue };
        if (record.revision !== undefined) {
            checkRevisionField(record.revision, `${field}.revision`);
            item.revision = record.revision as number;
        }
        const visibility = checkVisibilityField(record.visibility, `${field}.visibility`);
        if (visibility !== undefined) item.visibility = visibility;
        return item;
    });
}

/** A plain string stands for `{key}`: `{"items": ["a", "b"]}` is the natural way to list keys. */
function parseItemRefs(items: unknown): ItemRef[] {
    const list = expectArray(items, 'items', 'an array of {key, revision?} (or of key strings)');
    return list.map((entry, index) => {
        const field = `items[${index}]`;
        if (typeof entry === 'string') return { key: entry };
        const record = expectRecord(entry, field, 'an object {key, revision?} or a key string');
        rejectUnknownFields(record, ITEM_REF_FIELDS, field);
        const ref: ItemRef = { key: expectString(record.key, `${field}.key`) };
        if (record.revision !== undefined) {
            checkRevisionField(record.revision, `${field}.revision`);
            ref.revision = record.revision as number;
        }
        return ref;
    });
}

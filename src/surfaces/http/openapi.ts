import { ERROR_STATUS } from '../../core/errors';
import { MAX_HISTORY_LIMIT } from '../../core/history';
import { LOCK_TTL, LOCK_WAIT } from '../../core/locks';
import { CHOICE_BOUNDS } from '../../core/choice';
import { NAMESPACES, STATE_OP_KINDS, STATE_TYPES } from '../../core/types';
import { Visibility } from '../../core/types';
import { DEFAULT_RECONCILE_BATCH, MAX_RECONCILE_BATCH } from '../../service/lifecycle';
import { SURFACE_ERROR_STATUS } from './respond';
import { EXPORT_FORMAT, MAX_IMPORT_LINES } from '../../core/exportLine';
import { DEFAULT_EXPORT_PAGE, DEFAULT_SUBJECTS_PAGE, MAX_EXPORT_PAGE, MAX_SUBJECTS_PAGE } from '../../service/admin';
import { NDJSON_TYPE } from './AdminEndpoints';

/*
 * The OpenAPI 3.1 description of the HTTP API (SPEC §7), served at `openapi.json` and kept in the repo as
 * docs/openapi.json (test/http/openapi.test.ts checks that copy against this module and writes it anew with
 * UPDATE_OPENAPI=1). Built from the app's own lists where it has them: the error codes and their statuses come
 * from core/errors.ts and respond.ts, the state types and ops from core/requests.ts, the history limit from
 * core/history.ts. The code stays small: the document is only built when it is first asked for.
 */

type Json = { [name: string]: unknown };
type ErrorCode = keyof typeof ERROR_STATUS | keyof typeof SURFACE_ERROR_STATUS;
type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete' | 'options' | 'trace';

/** Every method a path item of OpenAPI 3.1 can describe, in the order of the app's `Allow` headers. */
const METHODS: Method[] = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace'];
const VISIBILITIES: Visibility[] = ['public', 'private'];
const JSON_TYPE = 'application/json';

const ref = (name: string, kind = 'schemas'): Json => ({ $ref: `#/components/${kind}/${name}` });
const text: Json = { type: 'string' };
const dateTime: Json = { type: 'string', format: 'date-time' };
const anyValue: Json = {};
const notNull: Json = { not: { type: 'null' }, description: 'Any JSON value but null.' };
const jsonObject: Json = { type: 'object' };
const integer = (minimum: number, maximum?: number): Json => ({ type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }) });
const array = (items: Json): Json => ({ type: 'array', items });
const oneOfTexts = (values: readonly string[]): Json => ({ type: 'string', enum: [...values] });
const jsonContent = (schema: Json): Json => ({ [JSON_TYPE]: { schema } });

/** An object of exactly these properties, all of them required but the `optional` ones. */
function object(properties: Record<string, Json>, optional: string[] | true = []): Json {
    const required = optional === true ? [] : Object.keys(properties).filter((name) => !optional.includes(name));
    return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

const subject = ref('Subject');
const key = ref('Key');
const revision = ref('Revision');
const cause = ref('Cause');
const visibility = ref('Visibility');
const itemWrite = ref('ItemWrite');

/** The fields each error code adds to `{code, message}`, and which of them it always has. */
const limitAndSize = { limit: integer(0), size: integer(0) };
const ERROR_FIELDS: Record<ErrorCode, [Record<string, Json>, string[]?]> = {
    invalid_request: [{ line: integer(1), problem: text }],
    invalid_key: [limitAndSize],
    invalid_value: [{}],
    type_mismatch: [{ type: ref('StateType') }],
    operation_not_allowed: [{}],
    forbidden: [{}],
    subject_not_found: [{ namespace: ref('Namespace'), ref: text }],
    item_not_found: [{ items: array(text) }],
    lock_not_found: [{ lock: text }, ['lock']],
    locked: [{ lock: text, holder: text, expiresAt: text }, ['lock']],
    revision_conflict: [{ majorRevision: integer(0), items: array(object({ key: text, revision: integer(0) })) }, ['majorRevision', 'items']],
    history_compacted: [{ oldestKept: integer(1) }, ['oldestKept']],
    too_large: [limitAndSize],
    rate_limited: [{ limit: integer(0), retryAfter: integer(1) }, ['retryAfter']],
    try_again: [{ retryAfter: integer(1) }, ['retryAfter']],
    unauthorized: [{}],
    method_not_allowed: [{}],
    internal_error: [{}],
};

/** Error codes by status, from the app's own tables. */
function codesByStatus(): Map<number, ErrorCode[]> {
    const byStatus = new Map<number, ErrorCode[]>();
    const all = { ...ERROR_STATUS, ...SURFACE_ERROR_STATUS } as Record<ErrorCode, number>;
    for (const code of Object.keys(all) as ErrorCode[]) byStatus.set(all[code], [...(byStatus.get(all[code]) ?? []), code]);
    return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function errorBody(codes: ErrorCode[]): Json {
    const variants = codes.map((code) => {
        const [fields, always = []] = ERROR_FIELDS[code];
        return object({ code: { const: code }, message: text, ...fields }, Object.keys(fields).filter((name) => !always.includes(name)));
    });
    return object({ error: variants.length === 1 ? variants[0] : { oneOf: variants } });
}

/** What the server (not the app) answers with the same status, before the request reaches the app (or after the engine failed). */
const textPage: Json = { 'text/plain': { schema: text }, 'text/html': { schema: text } };
const SERVER_ANSWERS: Record<number, [string, Json]> = {
    400: ['a request body that is not well-formed JSON (its body parser\'s error page)', textPage],
    401: ['a request without a valid login: `Unauthorized` as text (current servers) or `{status: "error", message}`', { ...textPage, [JSON_TYPE]: ref('ServerUnauthorized') }],
    413: ['a request body over its body parser\'s limit (100 kB)', textPage],
    500: ['a failure of the engine (its message as text)', textPage],
};

function errorResponse(status: number, codes: ErrorCode[]): Json {
    const server = SERVER_ANSWERS[status];
    const app = ref(`Error${status}`);
    const { [JSON_TYPE]: serverJson, ...serverText } = server?.[1] ?? {};
    const content = { [JSON_TYPE]: { schema: serverJson ? { oneOf: [app, serverJson] } : app }, ...serverText };
    const headers: Json = {};
    if (status === 405) headers.Allow = ref('Allow', 'headers');
    if (codes.some((code) => ERROR_FIELDS[code][1]?.includes('retryAfter'))) headers['Retry-After'] = ref('RetryAfter', 'headers');
    return {
        description: `${codes.join(' | ')}${server ? `; the server itself answers with this status, not in this shape, for ${server[0]}` : ''}`,
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        content,
    };
}

interface Operation {
    id: string;
    summary: string;
    /** the success body's schema */
    ok: string;
    /** error statuses besides 401 and 500 (which every operation of a logged-in endpoint may answer) */
    errors: number[];
    query?: string[];
    body?: string;
    /** the body may be left out */
    bodyOptional?: true;
    /** a success that is not JSON: its media type and schema (then `ok` names the schema) */
    okType?: string;
    /** headers of the success, by name → a component header */
    okHeaders?: Record<string, string>;
}

const ITEM_WRITE_ERRORS = [400, 403, 404, 409, 413, 423, 429, 503];

/** The endpoints (paths as the app registers them) and the operations each takes. */
const ENDPOINTS: Record<string, Partial<Record<Method, Operation>>> = {
    'metadata/{ns}/{id}': {
        get: { id: 'getMetadata', summary: 'get: the items, document and state the caller may read', ok: 'Metadata', errors: [400, 403, 404], query: ['keys'] },
        put: { id: 'setMetadata', summary: 'set: create or overwrite items, or give a document', ok: 'Metadata', errors: ITEM_WRITE_ERRORS, body: 'SetRequest' },
        patch: { id: 'updateMetadata', summary: 'update: change existing items only', ok: 'Metadata', errors: ITEM_WRITE_ERRORS, body: 'UpdateRequest' },
        delete: {
            id: 'removeMetadata', summary: 'remove: the items named in the body or in ?keys=, or the whole set', ok: 'Metadata', errors: ITEM_WRITE_ERRORS,
            query: ['keys'], body: 'RemoveRequest', bodyOptional: true,
        },
    },
    'metadata/{ns}/{id}/merge': {
        post: { id: 'mergeMetadata', summary: 'merge: an RFC 7396 merge patch on the document view', ok: 'Metadata', errors: ITEM_WRITE_ERRORS, body: 'MergeRequest' },
    },
    'metadata/{ns}/{id}/state': {
        post: { id: 'changeState', summary: 'one operation on the caller\'s own entry of a state key', ok: 'Metadata', errors: [400, 403, 404, 413, 429, 503], body: 'StateRequest' },
    },
    'metadata/{ns}/{id}/choices': {
        post: { id: 'postChoices', summary: 'post a message with choices in a room (ns `room`); answers the message\'s subject', ok: 'Metadata', errors: [400, 403, 404, 429], body: 'ChoiceRequest' },
    },
    'metadata/{ns}/{id}/pick': {
        post: { id: 'pickChoice', summary: 'a click on one of a message\'s choices (ns `message`), by the message\'s type', ok: 'Metadata', errors: [400, 403, 404, 429, 503], body: 'PickRequest' },
    },
    'metadata/{ns}/{id}/history': {
        get: { id: 'getHistory', summary: 'the changes after a revision, oldest first, as the caller may read them now', ok: 'History', errors: [400, 403, 404, 410], query: ['since', 'limit'] },
    },
    'metadata/{ns}/{id}/locks': {
        get: { id: 'listLocks', summary: 'the locks held on the subject now', ok: 'Locks', errors: [400, 403, 404] },
        post: {
            id: 'acquireLock', summary: 'acquire a lock (or renew one\'s own), waiting up to `wait` s while another holds it',
            ok: 'LockChange', errors: [400, 403, 404, 423, 429, 503], body: 'LockRequest',
        },
    },
    'metadata/{ns}/{id}/locks/{name}': {
        delete: { id: 'releaseLock', summary: 'release one\'s own lock, or revoke another\'s (whoever may write the subject)', ok: 'LockChange', errors: [400, 403, 404, 429, 503] },
    },
    'metadata/{ns}/{id}/repair': {
        post: { id: 'repairSubject', summary: 'admins: remove items and state entries without reading them out', ok: 'Repair', errors: [400, 403, 404, 503], body: 'RepairRequest' },
    },
    subscriptions: {
        get: { id: 'listSubscriptions', summary: 'the caller\'s subscriptions', ok: 'Subscriptions', errors: [] },
        post: { id: 'subscribe', summary: 'subscribe to a subject\'s events (a SNAPSHOT, then an UPDATE per change)', ok: 'Subscription', errors: [400, 403, 404], body: 'SubscriptionRequest' },
        delete: {
            id: 'unsubscribe', summary: 'unsubscribe (the subject in the body or in ?subject=)', ok: 'Unsubscribed', errors: [400],
            query: ['subject'], body: 'SubscriptionRequest', bodyOptional: true,
        },
    },
    webhooks: {
        get: { id: 'listWebhooks', summary: 'admins: the webhooks (never their secrets)', ok: 'Webhooks', errors: [403] },
        post: { id: 'registerWebhook', summary: 'admins: register a webhook; the answer is the only time its secret is shown', ok: 'WebhookCreated', errors: [400, 403], body: 'WebhookRegistration' },
    },
    'webhooks/{webhookId}': {
        get: { id: 'getWebhook', summary: 'admins: one webhook (never its secret)', ok: 'Webhook', errors: [403, 404] },
        delete: { id: 'removeWebhook', summary: 'admins: remove a webhook and the deliveries waiting for it', ok: 'WebhookRemoved', errors: [403, 404] },
    },
    'webhooks/{webhookId}/deliveries': {
        get: { id: 'getWebhookDeliveries', summary: 'admins: the newest delivery attempts and how many deliveries wait', ok: 'DeliveryLog', errors: [403, 404] },
    },
    'admin/reconcile': {
        post: {
            id: 'reconcile', summary: 'admins: one batch of the sweep that purges what the app holds of rooms and users that no longer exist',
            ok: 'Reconcile', errors: [400, 403], body: 'ReconcileRequest', bodyOptional: true,
        },
    },
    'admin/export': {
        get: {
            id: 'exportSubjects', summary: 'admins: one page of the export, NDJSON, one subject a line; the cursor of the next page in X-Next-Cursor',
            ok: 'ExportPage', okType: NDJSON_TYPE, okHeaders: { 'X-Next-Cursor': 'NextCursor' }, errors: [400, 403], query: ['cursor', 'exportLimit'],
        },
    },
    'admin/import': {
        post: {
            id: 'importSubjects', summary: 'admins: import lines of the export; idempotent, never lowers a majorRevision; a report per subject',
            ok: 'ImportReport', errors: [400, 403, 413], body: 'ImportRequest',
        },
    },
    'admin/subjects': {
        get: {
            id: 'listSubjects', summary: 'admins: one page of the subjects that hold metadata', ok: 'SubjectsPage', errors: [400, 403],
            query: ['namespace', 'cursor', 'subjectsLimit'],
        },
    },
    'openapi.json': {
        get: { id: 'getOpenApi', summary: 'this document (no login needed)', ok: 'OpenApi', errors: [] },
    },
};

/** The endpoint anyone may read: every other one needs a logged-in user. */
export const PUBLIC_PATH = 'openapi.json';

function operation(op: Operation, isPublic: boolean): Json {
    const statuses = [...op.errors, ...(isPublic ? [] : [401, 500])].sort((a, b) => a - b);
    return {
        operationId: op.id,
        summary: op.summary,
        ...(isPublic ? { security: [] } : {}),
        ...(op.query ? { parameters: op.query.map((name) => ref(name, 'parameters')) } : {}),
        ...(op.body ? { requestBody: { required: !op.bodyOptional, content: jsonContent(ref(op.body)) } } : {}),
        responses: {
            200: {
                description: 'OK',
                ...(op.okHeaders ? { headers: Object.fromEntries(Object.entries(op.okHeaders).map(([name, header]) => [name, ref(header, 'headers')])) } : {}),
                content: op.okType ? { [op.okType]: { schema: ref(op.ok) } } : jsonContent(ref(op.ok)),
            },
            ...Object.fromEntries(statuses.map((status) => [status, ref(`Error${status}`, 'responses')])),
        },
    };
}

/** HEAD answers as GET without a body. */
function head(get: Json): Json {
    const responses = Object.entries(get.responses as Json).map(([status]) => [status, { description: `as GET${status === '200' ? '' : ` (Error${status})`}, without a body` }]);
    return { ...get, operationId: `${get.operationId}Head`, summary: 'HEAD: the status and headers of GET, without a body', responses: Object.fromEntries(responses) };
}

function pathItem(path: string, operations: Partial<Record<Method, Operation>>): Json {
    const isPublic = path === PUBLIC_PATH;
    const login = isPublic ? {} : { 401: ref('Error401', 'responses') };
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    const item: Json = names.length > 0 ? { parameters: names.map((name) => ref(name, 'parameters')) } : {};
    for (const method of METHODS) {
        const op = operations[method];
        if (op) item[method] = operation(op, isPublic);
        else if (method === 'head' && operations.get) item.head = head(item.get as Json);
        else if (method === 'options') {
            item.options = {
                operationId: `${(Object.values(operations)[0] as Operation).id}Options`,
                summary: 'the methods this path takes',
                ...(isPublic ? { security: [] } : {}),
                responses: { 204: { description: 'No body; `Allow` lists the methods', headers: { Allow: ref('Allow', 'headers') } }, ...login },
            };
        } else {
            const refused = method === 'head' ? { description: 'Error405, without a body', headers: { Allow: ref('Allow', 'headers') } } : ref('Error405', 'responses');
            item[method] = { summary: 'not taken here: 405 with `Allow`', ...(isPublic ? { security: [] } : {}), responses: { ...login, 405: refused } };
        }
    }
    return item;
}

function parameter(name: string, where: 'path' | 'query', schema: Json, description: string): Json {
    return { name, in: where, ...(where === 'path' ? { required: true } : {}), description, schema };
}

function schemas(byStatus: Map<number, ErrorCode[]>): Json {
    const writeOptions = { majorRevision: revision, cause, lock: key };
    return {
        Namespace: oneOfTexts(NAMESPACES),
        Visibility: oneOfTexts(VISIBILITIES),
        StateType: oneOfTexts(STATE_TYPES),
        Key: {
            type: 'string', minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$',
            not: { pattern: '(^|\\.)(__proto__|prototype|constructor)(\\.|$)' },
            description: 'Dot-separated segments of letters, digits, `_` and `-`; no segment `__proto__`, `prototype` or `constructor`.',
        },
        Revision: { type: 'integer', minimum: -1, description: '-1 or absent: no check; 0: must not exist yet (items); N: must be at revision N.' },
        Cause: { type: ['string', 'object'], description: 'A transient note that reaches subscribers with the events; never stored.' },
        SubjectText: { type: 'string', pattern: `^\\s*(${NAMESPACES.join('|')}):.*\\S`, examples: ['user:alice', 'room:general', 'message:<id>'] },
        Subject: object({ namespace: ref('Namespace'), id: text, name: text, roomId: { ...text, description: 'a message\'s room' } }, ['roomId']),
        Item: object({ key: text, value: notNull, revision: integer(1), updatedAt: dateTime, updatedBy: text, visibility }),
        StateKey: object({
            type: ref('StateType'),
            byUser: { type: 'object', additionalProperties: anyValue, description: 'user id → value (a list of values for `set`)' },
            summary: array(object({ value: anyValue, count: integer(1), users: array(text) })),
        }),
        Metadata: object({
            subject, majorRevision: integer(0), items: array(ref('Item')), document: jsonObject,
            state: { type: 'object', additionalProperties: ref('StateKey') },
        }),
        HistoryEntry: object({
            majorRevision: integer(1), at: dateTime, actor: text, changed: array(object({ key: text, value: notNull, visibility })), removed: array(text),
        }),
        History: object({ subject, majorRevision: integer(0), entries: array(ref('HistoryEntry')) }),
        Lock: object({ name: text, holder: object({ id: text, username: text }), acquiredAt: dateTime, expiresAt: dateTime }),
        Locks: object({ subject, locks: array(ref('Lock')) }),
        LockChange: object({ subject, change: oneOfTexts(['acquired', 'renewed', 'released', 'revoked']), lock: ref('Lock') }),
        LockRequest: object({
            name: key,
            ttl: { ...integer(LOCK_TTL.min, LOCK_TTL.max), default: LOCK_TTL.default, description: 'seconds the lock is held unless renewed' },
            wait: { ...integer(0, LOCK_WAIT.max), default: 0, description: `seconds to wait while another holds the lock (the app answers within ${LOCK_WAIT.effectiveMax} s)` },
        }, ['ttl', 'wait']),
        Repair: object({ subject, majorRevision: integer(0), removed: object({ items: array(text), stateKeys: array(text), stateOps: integer(0) }) }),
        Subscription: object({ subject, roomId: text, createdAt: dateTime }),
        Subscriptions: object({ subscriptions: array(ref('Subscription')) }),
        Unsubscribed: object({ subject: object({ namespace: ref('Namespace'), ref: text }), subscribed: { const: false } }),
        OpenApi: { type: 'object', required: ['openapi', 'info', 'paths'], description: 'This document.' },
        ItemWrite: object({ key, value: notNull, revision, visibility }, ['revision', 'visibility']),
        SetRequest: {
            ...object({ items: array(itemWrite), document: jsonObject, ...writeOptions }, true),
            oneOf: [{ required: ['items'] }, { required: ['document'] }],
        },
        UpdateRequest: object({ items: array(itemWrite), ...writeOptions }, ['majorRevision', 'cause', 'lock']),
        RemoveRequest: object({ items: array({ oneOf: [key, object({ key, revision }, ['revision'])] }), ...writeOptions }, true),
        MergeRequest: object({ patch: { type: 'object', description: 'RFC 7396: objects recurse, null removes, anything else replaces.' }, ...writeOptions }, ['majorRevision', 'cause', 'lock']),
        ChoiceRequest: object({
            question: { type: 'string', minLength: 1, maxLength: CHOICE_BOUNDS.questionChars },
            choices: { ...array({ type: 'string', minLength: 1, maxLength: CHOICE_BOUNDS.choiceChars }), minItems: CHOICE_BOUNDS.minChoices, maxItems: CHOICE_BOUNDS.maxChoices, uniqueItems: true },
            type: { ...ref('StateType'), default: 'set' },
        }, ['type']),
        PickRequest: object({ choice: text }),
        StateRequest: object({ key, type: ref('StateType'), op: oneOfTexts(STATE_OP_KINDS), value: anyValue, cause }, ['type', 'value', 'cause']),
        RepairRequest: {
            ...object({
                items: { oneOf: [{ const: 'all' }, array(text)] },
                state: { oneOf: [{ const: 'all' }, array(object({ key: text, userId: text }, ['userId']))] },
            }, true),
            minProperties: 1,
        },
        WebhookRegistration: object({
            url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048 },
            secret: { type: 'string', minLength: 1, maxLength: 256, description: 'signs each body: X-Metadata-Signature: sha256=<hex HMAC-SHA256 of the raw body>' },
            subjects: { ...array(ref('SubjectPattern')), minItems: 1, maxItems: 100 },
            includePrivate: { type: 'boolean', default: false },
        }, ['secret', 'includePrivate']),
        SubjectPattern: { type: 'string', pattern: `^(${NAMESPACES.join('|')}):(\\*|[^\\s*]{1,256})$`, examples: ['user:*', 'room:*', 'message:*', 'user:<id>', 'room:<id>'] },
        Webhook: object({ id: text, url: text, subjects: array(ref('SubjectPattern')), includePrivate: { type: 'boolean' }, createdAt: dateTime, createdBy: text, hasSecret: { type: 'boolean' } }),
        WebhookCreated: object({
            id: text, url: text, subjects: array(ref('SubjectPattern')), includePrivate: { type: 'boolean' }, createdAt: dateTime, createdBy: text, hasSecret: { type: 'boolean' }, secret: text,
        }, ['secret']),
        Webhooks: object({ webhooks: array(ref('Webhook')) }),
        WebhookRemoved: object({ removed: text }),
        DeliveryLog: object({
            webhook: ref('Webhook'),
            pending: integer(0),
            attempts: array(object({
                deliveryId: text, subject: object({ namespace: ref('Namespace'), id: text }), majorRevision: integer(0), at: dateTime,
                outcome: oneOfTexts(['delivered', 'failed', 'gave-up', 'dropped']), status: integer(0), error: text,
            }, ['status', 'error'])),
        }),
        SubscriptionRequest: object({ subject: ref('SubjectText'), roomId: text }, ['roomId']),
        ReconcileRequest: object({
            cursor: { type: 'string', description: 'the `next` of the previous batch; absent: start a sweep' },
            limit: { ...integer(1, MAX_RECONCILE_BATCH), default: DEFAULT_RECONCILE_BATCH, description: 'subjects to check in this batch' },
        }, true),
        Reconcile: object({
            checked: integer(0),
            purged: array(object({ subject: text, records: integer(0), complete: { type: 'boolean' } })),
            undecided: { ...array(text), description: 'subjects whose room or user the server could not look up: left for the next sweep' },
            next: { type: ['string', 'null'], description: 'pass it back as `cursor`; null when the sweep is done' },
        }),
        ExportPage: {
            type: 'string',
            description: 'NDJSON: one ExportLine a line, each ended by a newline; empty when the page found no subject that holds anything. '
                + 'Pages joined in order are the whole export; POST admin/import takes them back.',
        },
        ExportLine: object({
            format: { const: EXPORT_FORMAT },
            subject: object({ namespace: ref('Namespace'), id: text }),
            majorRevision: integer(0),
            items: array(ref('Item')),
            state: array(object({
                id: text, key, type: ref('StateType'), op: oneOfTexts(STATE_OP_KINDS), userId: text, at: { type: 'number' }, value: notNull, removes: array(text),
            }, ['value', 'removes'])),
            subscriptions: array(object({ subscriberId: text, roomId: text, createdAt: dateTime })),
            locks: array(object({ name: key, holder: text, acquiredAt: dateTime, expiresAt: dateTime })),
        }, ['locks']),
        ImportRequest: object({
            ndjson: { type: 'string', description: `lines of GET admin/export (ExportLine), at most ${MAX_IMPORT_LINES} per request; blank lines are skipped` },
        }),
        ImportReport: object({
            imported: integer(0),
            skipped: integer(0),
            refused: integer(0),
            subjects: array(object({
                line: integer(1),
                subject: text,
                outcome: oneOfTexts(['imported', 'skipped', 'refused']),
                majorRevision: integer(0),
                reason: text,
                code: { type: 'string', description: 'refused: subject_not_found, type_mismatch, or the error code of what failed (run the import again)' },
                items: integer(0),
                stateOps: integer(0),
                subscriptions: integer(0),
                locks: integer(0),
                subscriptionsSkipped: array(object({ subscriberId: text, reason: text })),
            }, ['majorRevision', 'reason', 'code', 'items', 'stateOps', 'subscriptions', 'locks', 'subscriptionsSkipped'])),
        }),
        SubjectsPage: object({
            subjects: array(object({ subject: text, namespace: ref('Namespace'), id: text, majorRevision: integer(0), items: integer(0), stateKeys: integer(0) })),
            next: { type: ['string', 'null'], description: 'pass it back as `cursor`; null after the last page (a page may hold fewer subjects than `limit`, even none)' },
        }),
        ServerUnauthorized: object({ status: { const: 'error' }, message: text }),
        ...Object.fromEntries([...byStatus].map(([status, codes]) => [`Error${status}`, errorBody(codes)])),
    };
}

/** The whole document; `appId` and `version` are the app's (its endpoints live under /api/apps/public/<appId>). */
export function openApiDocument(appId: string, version: string): Json {
    const byStatus = codesByStatus();
    return {
        openapi: '3.1.0',
        info: {
            title: 'Metadata Store',
            version,
            description: 'Shared, revisioned metadata on Rocket.Chat users and rooms. Every answer of the app is described here: '
                + 'JSON, and `{error: {code, message, …}}` for every error. The server answers some requests before the app: '
                + '401 without a valid login, 400 for a body that is not well-formed JSON, 413 for a body over its limit, '
                + '404 for a path the app does not register.',
        },
        servers: [{ url: `/api/apps/public/${appId}`, description: 'on the Rocket.Chat server that serves this document' }],
        security: [{ userId: [], authToken: [] }],
        paths: Object.fromEntries(Object.entries(ENDPOINTS).map(([path, operations]) => [`/${path}`, pathItem(path, operations)])),
        components: {
            schemas: schemas(byStatus),
            responses: Object.fromEntries([...byStatus].map(([status, codes]) => [`Error${status}`, errorResponse(status, codes)])),
            parameters: {
                ns: parameter('ns', 'path', ref('Namespace'), 'user, room or message (state only)'),
                id: parameter('id', 'path', text, 'a user id or username, a room id or name, or `me`'),
                keys: parameter('keys', 'query', text, 'comma-separated keys (a key stands for its branch); may be repeated'),
                since: parameter('since', 'query', { ...integer(0), default: 0 }, 'the changes after this revision'),
                limit: parameter('limit', 'query', { ...integer(1, MAX_HISTORY_LIMIT), default: MAX_HISTORY_LIMIT }, 'at most this many entries'),
                webhookId: parameter('webhookId', 'path', text, 'a webhook\'s id, as registering it answered'),
                name: parameter('name', 'path', ref('Key'), 'a lock\'s name (the key rules)'),
                subject: parameter('subject', 'query', ref('SubjectText'), 'the subject to unsubscribe from, when the body does not name it'),
                cursor: parameter('cursor', 'query', text, 'the cursor an earlier page answered (X-Next-Cursor, or `next`); absent: the first page'),
                exportLimit: parameter('limit', 'query', { ...integer(1, MAX_EXPORT_PAGE), default: DEFAULT_EXPORT_PAGE }, 'subjects of the index to look at for this page'),
                subjectsLimit: parameter('limit', 'query', { ...integer(1, MAX_SUBJECTS_PAGE), default: DEFAULT_SUBJECTS_PAGE }, 'subjects of the index to look at for this page'),
                namespace: parameter('namespace', 'query', ref('Namespace'), 'only users or only rooms; absent: both'),
            },
            headers: {
                Allow: { description: 'the methods the path takes', required: true, schema: text },
                RetryAfter: { description: 'seconds to wait before trying again', required: true, schema: integer(1) },
                NextCursor: { description: 'the cursor of the next export page (`?cursor=`); absent on the last page', required: false, schema: text },
            },
            securitySchemes: {
                userId: { type: 'apiKey', in: 'header', name: 'X-User-Id' },
                authToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' },
            },
        },
    };
}

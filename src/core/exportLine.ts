import { isMetadataError, MetadataError } from './errors';
import { expectArray, expectOneOf, expectRecord, expectString, rejectUnknownFields } from './fields';
import { compareKeys, quoteKey, validateKey } from './keys';
import { checkKeySegments, checkSetLimits, MAX_KEY_SEGMENTS, MAX_NESTING_DEPTH, validateValue } from './limits';
import { checkNoOverlap } from './metadataSet';
import { collectGarbage } from './state/garbage';
import { orderStateOps } from './state/order';
import { jsonEquals } from './values';
import { liveLocks, LockHold, validateLockName } from './locks';
import {
    Item, Limits, MetadataSet, NAMESPACES, STATE_OP_KINDS, STATE_TYPES, StateOp, SubjectRef, SubjectSnapshot, Subscription, Visibility, WriteOutcome,
} from './types';

/*
 * THE EXPORT FORMAT (SPEC §18, `GET admin/export` and `POST admin/import`): NDJSON, one subject a line.
 *
 *   {"format":1,"subject":{"namespace":"user","id":"u1"},"majorRevision":3,
 *    "items":[{"key","value","revision","updatedAt","updatedBy","visibility"}, …],
 *    "state":[{"id","key","type","op","userId","at","value"?,"removes"?}, …],
 *    "subscriptions":[{"subscriberId","roomId","createdAt"}, …],
 *    "locks":[{"name","holder","acquiredAt","expiresAt"}, …]}
 *
 * `items` are the subject's items as a GET shows them to an admin, with their revisions; `state` the stored state
 * operations with their ids (the view folds from them, and their ids make a second import add nothing);
 * `subscriptions` the subscriptions TO the subject; `locks` the locks held when the line was read (absent in lines
 * written before locks). History, webhooks and their deliveries are not exported. An import restores a lock only
 * while it is still in force and nobody holds its name: a lock is a promise about the next seconds, not data.
 *
 * An imported line is judged like every write (keys, values, nesting, the whole-set limits) before anything of any
 * line is written, and then planned against what the store holds (planImport): the items go in as one write, whose
 * majorRevision is max(current + 1, the line's); a subject already at or above the line's revision keeps its items.
 */

export const EXPORT_FORMAT = 1;
/** Lines one import request may hold (each subject costs a handful of calls; the engine gives a request 30 s). */
export const MAX_IMPORT_LINES = 200;

const LINE_FIELDS = ['format', 'subject', 'majorRevision', 'items', 'state', 'subscriptions', 'locks'] as const;
const ITEM_FIELDS = ['key', 'value', 'revision', 'updatedAt', 'updatedBy', 'visibility'] as const;
const OP_FIELDS = ['id', 'key', 'type', 'op', 'userId', 'at', 'value', 'removes'] as const;
const SUBSCRIPTION_FIELDS = ['subscriberId', 'roomId', 'createdAt'] as const;
const LOCK_FIELDS = ['name', 'holder', 'acquiredAt', 'expiresAt'] as const;
const MAX_ID_LENGTH = 1024;
/** The store's grace for state garbage (StoreOptions.gcGraceMs): only operations older than this are superseded. */
const IMPORT_GC_GRACE_MS = 60_000;

/** A subscription to the line's subject. */
export interface ExportedSubscription {
    subscriberId: string;
    roomId: string;
    /** ISO-8601 */
    createdAt: string;
}

/** One subject as exported. */
export interface ExportLine {
    subject: SubjectRef;
    majorRevision: number;
    items: Item[];
    state: StateOp[];
    subscriptions: ExportedSubscription[];
    locks: ExportedLock[];
}

/** A lock held when the line was read (its hold id stays behind: an import takes a new one). */
export type ExportedLock = Omit<LockHold, 'holdId'>;

/** A line of an import, with its line number (1-based, blank lines counted). */
export interface ImportLine extends ExportLine {
    line: number;
}

/** The line of a subject; undefined when the subject holds nothing to export (an index entry of a subscriber only). */
export function exportLineOf(subject: SubjectRef, snapshot: SubjectSnapshot, subscriptions: readonly Subscription[], nowMs: number): ExportLine | undefined {
    const { set, stateOps } = snapshot;
    const locks = liveLocks(snapshot.locks ?? [], nowMs).map(({ name, holder, acquiredAt, expiresAt }) => ({ name, holder, acquiredAt, expiresAt }));
    if (set.majorRevision === 0 && set.items.length === 0 && stateOps.length === 0 && subscriptions.length === 0 && locks.length === 0) return undefined;
    return {
        subject: { namespace: subject.namespace, id: subject.id },
        majorRevision: set.majorRevision,
        items: [...set.items].sort((a, b) => compareKeys(a.key, b.key)),
        state: orderStateOps(stateOps),
        subscriptions: subscriptions
            .map((s) => ({ subscriberId: s.subscriberId, roomId: s.roomId, createdAt: s.createdAt }))
            .sort((a, b) => compareKeys(a.subscriberId, b.subscriberId)),
        locks,
    };
}

/** One NDJSON line (no newline), its fields always in the same order. */
export function formatExportLine(line: ExportLine): string {
    return JSON.stringify({
        format: EXPORT_FORMAT,
        subject: { namespace: line.subject.namespace, id: line.subject.id },
        majorRevision: line.majorRevision,
        items: line.items.map((item) => ({
            key: item.key, value: item.value, revision: item.revision, updatedAt: item.updatedAt, updatedBy: item.updatedBy, visibility: item.visibility,
        })),
        state: line.state.map((op) => ({
            id: op.id, key: op.key, type: op.type, op: op.op, userId: op.userId, at: op.at,
            ...(op.value === undefined ? {} : { value: op.value }),
            ...(op.removes === undefined ? {} : { removes: op.removes }),
        })),
        subscriptions: line.subscriptions.map((s) => ({ subscriberId: s.subscriberId, roomId: s.roomId, createdAt: s.createdAt })),
        locks: line.locks.map((l) => ({ name: l.name, holder: l.holder, acquiredAt: l.acquiredAt, expiresAt: l.expiresAt })),
    });
}

/**
 * Every line of an import, judged before anything is written: the first bad line is a `400 invalid_request` that
 * names it (`line`, and `problem`: the code the rule that refused it has elsewhere). Blank lines are skipped; a
 * subject may appear once.
 */
export function parseImportLines(text: unknown, limits: Limits): ImportLine[] {
    if (typeof text !== 'string') throw new MetadataError('invalid_request', 'the export to import must be NDJSON text, one subject a line');
    const rows = text.split('\n');
    const parsed: ImportLine[] = [];
    const seen = new Map<string, number>();
    for (let index = 0; index < rows.length; index++) {
        const row = rows[index].replace(/\r$/, '');
        if (row.trim() === '') continue;
        const line = index + 1;
        if (parsed.length === MAX_IMPORT_LINES) {
            throw new MetadataError('invalid_request', `line ${line}: an import takes at most ${MAX_IMPORT_LINES} lines; send the rest in another request`, { line });
        }
        const entry = atLine(line, () => parseLine(row, limits));
        const name = `${entry.subject.namespace}:${entry.subject.id}`;
        const earlier = seen.get(name);
        if (earlier !== undefined) throw new MetadataError('invalid_request', `line ${line}: ${name} is on line ${earlier} already; a subject may appear once`, { line });
        seen.set(name, line);
        parsed.push({ ...entry, line });
    }
    if (parsed.length === 0) throw new MetadataError('invalid_request', 'the import holds no lines: give the NDJSON of GET admin/export');
    return parsed;
}

/** Runs one line's checks; whatever they throw becomes a 400 naming the line. */
function atLine<T>(line: number, check: () => T): T {
    try {
        return check();
    } catch (error) {
        if (!isMetadataError(error)) throw error;
        throw new MetadataError('invalid_request', `line ${line}: ${error.message}`, { line, problem: error.code });
    }
}

function parseLine(row: string, limits: Limits): ExportLine {
    let json: unknown;
    try {
        json = JSON.parse(row);
    } catch (error) {
        throw new MetadataError('invalid_request', `is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const record = expectRecord(json, 'the line', 'a JSON object (one subject of GET admin/export)');
    rejectUnknownFields(record, LINE_FIELDS, 'the line');
    if (record.format !== EXPORT_FORMAT) {
        throw new MetadataError('invalid_request', `"format" must be ${EXPORT_FORMAT} (what GET admin/export writes), not ${JSON.stringify(record.format) ?? 'missing'}`);
    }
    const subjectFields = expectRecord(record.subject, 'subject', 'an object {namespace, id}');
    rejectUnknownFields(subjectFields, ['namespace', 'id'], 'subject');
    const subject: SubjectRef = { namespace: expectOneOf(subjectFields.namespace, NAMESPACES, 'subject.namespace'), id: identifier(subjectFields.id, 'subject.id') };
    const majorRevision = count(record.majorRevision, 'majorRevision', 0);
    const items = expectArray(record.items, 'items', 'an array of items').map((entry, i) => parseItem(entry, `items[${i}]`, majorRevision, limits));
    checkNoOverlap(items.map((item) => item.key));
    checkSetLimits(items, [], limits);
    const state = expectArray(record.state, 'state', 'an array of state operations').map((entry, i) => parseOp(entry, `state[${i}]`, limits));
    const ids = new Set<string>();
    for (const op of state) {
        if (ids.has(op.id)) throw new MetadataError('invalid_request', `state holds the operation id ${JSON.stringify(op.id)} twice`);
        ids.add(op.id);
    }
    const subscriptions = expectArray(record.subscriptions, 'subscriptions', 'an array of {subscriberId, roomId, createdAt}')
        .map((entry, i) => parseSubscription(entry, `subscriptions[${i}]`));
    const subscribers = new Set<string>();
    for (const s of subscriptions) {
        if (subscribers.has(s.subscriberId)) throw new MetadataError('invalid_request', `subscriptions name the subscriber ${JSON.stringify(s.subscriberId)} twice`);
        subscribers.add(s.subscriberId);
    }
    const locks = record.locks === undefined
        ? []
        : expectArray(record.locks, 'locks', 'an array of {name, holder, acquiredAt, expiresAt}').map((entry, i) => parseLock(entry, `locks[${i}]`));
    if (new Set(locks.map((l) => l.name)).size !== locks.length) throw new MetadataError('invalid_request', 'locks name one lock twice');
    return { subject, majorRevision, items: items.sort((a, b) => compareKeys(a.key, b.key)), state: orderStateOps(state), subscriptions, locks };
}

function parseItem(entry: unknown, field: string, majorRevision: number, limits: Limits): Item {
    const record = expectRecord(entry, field, 'an object {key, value, revision, updatedAt, updatedBy, visibility}');
    rejectUnknownFields(record, ITEM_FIELDS, field);
    const key = validateKey(record.key);
    checkKeySegments(key, limits);
    const revision = count(record.revision, `${field}.revision`, 1);
    if (revision > majorRevision) {
        throw new MetadataError('invalid_request', `${field}.revision is ${revision}, above the line's majorRevision ${majorRevision}`);
    }
    return {
        key,
        value: validateValue(record.value, limits, key),
        revision,
        updatedAt: time(record.updatedAt, `${field}.updatedAt`),
        updatedBy: expectString(record.updatedBy, `${field}.updatedBy`),
        visibility: expectOneOf<Visibility>(record.visibility, ['public', 'private'], `${field}.visibility`),
    };
}

function parseOp(entry: unknown, field: string, limits: Limits): StateOp {
    const record = expectRecord(entry, field, 'an object {id, key, type, op, userId, at, value?, removes?}');
    rejectUnknownFields(record, OP_FIELDS, field);
    const key = validateKey(record.key);
    const kind = expectOneOf(record.op, STATE_OP_KINDS, `${field}.op`);
    // As for every state operation: only adds are held to the shape limits (a value stored under a higher limit can be removed).
    const shape = kind === 'add' ? limits : { ...limits, nestingDepth: MAX_NESTING_DEPTH, keySegments: MAX_KEY_SEGMENTS };
    checkKeySegments(key, shape);
    if (typeof record.at !== 'number' || !Number.isFinite(record.at)) throw new MetadataError('invalid_request', `${field}.at must be a number (ms)`);
    const op: StateOp = {
        id: identifier(record.id, `${field}.id`),
        key,
        type: expectOneOf(record.type, STATE_TYPES, `${field}.type`),
        op: kind,
        userId: identifier(record.userId, `${field}.userId`),
        at: record.at,
    };
    if (record.value !== undefined) op.value = validateValue(record.value, shape, key);
    if (record.removes !== undefined) op.removes = expectArray(record.removes, `${field}.removes`, 'an array of operation ids').map((id, i) => identifier(id, `${field}.removes[${i}]`));
    return op;
}

function parseSubscription(entry: unknown, field: string): ExportedSubscription {
    const record = expectRecord(entry, field, 'an object {subscriberId, roomId, createdAt}');
    rejectUnknownFields(record, SUBSCRIPTION_FIELDS, field);
    return { subscriberId: identifier(record.subscriberId, `${field}.subscriberId`), roomId: identifier(record.roomId, `${field}.roomId`), createdAt: time(record.createdAt, `${field}.createdAt`) };
}

function parseLock(entry: unknown, field: string): ExportedLock {
    const record = expectRecord(entry, field, 'an object {name, holder, acquiredAt, expiresAt}');
    rejectUnknownFields(record, LOCK_FIELDS, field);
    return {
        name: validateLockName(record.name),
        holder: identifier(record.holder, `${field}.holder`),
        acquiredAt: time(record.acquiredAt, `${field}.acquiredAt`),
        expiresAt: time(record.expiresAt, `${field}.expiresAt`),
    };
}

function identifier(value: unknown, field: string): string {
    const text = expectString(value, field);
    if (text === '' || text.length > MAX_ID_LENGTH || text.trim() !== text) {
        throw new MetadataError('invalid_request', `${field} must be an id of 1 to ${MAX_ID_LENGTH} characters without surrounding spaces`);
    }
    return text;
}

function count(value: unknown, field: string, minimum: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
        throw new MetadataError('invalid_request', `${field} must be a whole number >= ${minimum}, not ${JSON.stringify(value) ?? 'missing'}`);
    }
    return value;
}

function time(value: unknown, field: string): string {
    const text = expectString(value, field);
    if (Number.isNaN(Date.parse(text))) throw new MetadataError('invalid_request', `${field} must be an ISO-8601 time, not ${JSON.stringify(text)}`);
    return text;
}

// ---- planning one subject's import against what the store holds -------------------------------------

/** What importing a line would do to a subject as it stands. */
export type ImportPlan =
    | { kind: 'skip'; reason: string }
    | { kind: 'refuse'; code: string; reason: string }
    | {
        kind: 'import';
        /** the items go in as one write: the subject is below the line's revision */
        items: boolean;
        /** state operations the store does not hold yet, in order */
        ops: StateOp[];
        /** subscriptions the subject does not have yet (whether their subscribers exist is the service's to ask) */
        subscriptions: ExportedSubscription[];
        /** locks still in force whose names nobody holds here */
        locks: ExportedLock[];
    };

/**
 * Never lowers a revision, and adds only what is missing, so a second import of the same line plans nothing:
 * - a subject above the line's revision is skipped whole (it moved on since the export);
 * - the items are written when the subject is below the line's revision (at or above: they stay);
 * - state operations are added by id; of a key the subject already holds with another type, the subject is
 *   refused (its type is fixed by its first operation, SPEC §5); an operation of another type than its key's first,
 *   or a first-writer-wins add of a user who already holds one, never counts (the fold ignores it) and is left out;
 * - subscriptions are added for subscribers who have none to the subject.
 * `now` (ms) dates the garbage rule of state operations (core/state/garbage.ts).
 */
export function planImport(current: SubjectSnapshot, line: ExportLine, subscribed: readonly Subscription[], now: number): ImportPlan {
    const name = `${line.subject.namespace}:${line.subject.id}`;
    const revision = current.set.majorRevision;
    if (revision > line.majorRevision) {
        return { kind: 'skip', reason: `${name} is at majorRevision ${revision}, above the export's ${line.majorRevision}: it changed since; nothing imported` };
    }
    const held = orderStateOps(current.stateOps);
    const heldType = firstTypes(held);
    const lineType = firstTypes(line.state);
    for (const [key, type] of lineType) {
        const here = heldType.get(key);
        if (here !== undefined && here !== type) {
            return { kind: 'refuse', code: 'type_mismatch', reason: `state ${quoteKey(key)} of ${name} is of type "${here}" here and "${type}" in the export` };
        }
    }
    const typeOf = new Map([...lineType, ...heldType]);
    const ids = new Set(held.map((op) => op.id));
    const fwwHolders = new Set(held.filter((op) => op.type === 'fww' && op.op === 'add').map((op) => `${op.key}\n${op.userId}`));
    const ops: StateOp[] = [];
    for (const op of line.state) {
        if (ids.has(op.id) || op.type !== typeOf.get(op.key)) continue;
        if (op.type === 'fww' && op.op === 'add') {
            const holder = `${op.key}\n${op.userId}`;
            if (fwwHolders.has(holder)) continue;
            fwwHolders.add(holder);
        }
        ops.push(op);
    }
    // Superseded operations the store would garbage-collect anyway change nothing of the state: they are left out, so
    // the store never collects an imported operation that a second import would then bring back.
    const garbage = new Set(collectGarbage([...held, ...ops], now, IMPORT_GC_GRACE_MS));
    ops.splice(0, ops.length, ...ops.filter((op) => !garbage.has(op.id)));
    const subscribers = new Set(subscribed.map((s) => s.subscriberId));
    const subscriptions = line.subscriptions.filter((s) => !subscribers.has(s.subscriberId));
    const items = revision < line.majorRevision;
    const lockNames = liveLocks(current.locks ?? [], now).map((l) => l.name);
    const locks = line.locks.filter((l) => Date.parse(l.expiresAt) > now && !lockNames.includes(l.name));
    if (!items && ops.length === 0 && subscriptions.length === 0 && locks.length === 0) {
        return { kind: 'skip', reason: `${name} is at majorRevision ${revision} already, with every state operation and subscription of the export` };
    }
    return { kind: 'import', items, ops, subscriptions, locks };
}

/**
 * The items write of an import, on the set as it stands when the write is decided: the line's items, at
 * majorRevision max(current + 1, the line's) — never lower than the line's, and never a revision already taken.
 * Writes nothing when the subject reached the line's revision meanwhile.
 */
export function importedItems(current: MetadataSet, line: ExportLine): WriteOutcome {
    if (current.majorRevision >= line.majorRevision) return { set: current, changed: [], removed: [], wrote: false };
    const before = new Map(current.items.map((item) => [item.key, item]));
    const keys = new Set(line.items.map((item) => item.key));
    const changed = line.items
        .filter((item) => {
            const old = before.get(item.key);
            return !old || old.revision !== item.revision || old.visibility !== item.visibility || !jsonEquals(old.value, item.value);
        })
        .map((item) => item.key);
    return {
        set: { majorRevision: Math.max(current.majorRevision + 1, line.majorRevision), items: line.items.map((item) => ({ ...item })) },
        changed: changed.sort(compareKeys),
        removed: current.items.map((item) => item.key).filter((key) => !keys.has(key)).sort(compareKeys),
        wrote: true,
    };
}

/** The type of each key's first operation (ops in order): the type the key has (SPEC §5). */
function firstTypes(ops: readonly StateOp[]): Map<string, StateOp['type']> {
    const types = new Map<string, StateOp['type']>();
    for (const op of ops) if (!types.has(op.key)) types.set(op.key, op.type);
    return types;
}

/** The body of `POST admin/import`: `{"ndjson": "<the lines of GET admin/export>"}` (the server parses JSON bodies only). */
export function parseImportBody(body: unknown): string {
    const record = expectRecord(body, 'the request body', 'a JSON object {"ndjson": "<the lines of GET admin/export>"}');
    rejectUnknownFields(record, ['ndjson'], 'the import request body');
    if (record.ndjson === undefined) throw new MetadataError('invalid_request', 'the request body needs "ndjson": the lines of GET admin/export, as one string');
    return expectString(record.ndjson, 'ndjson');
}

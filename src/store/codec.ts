import { JsonValue } from '../core/json';
import { isOneOf } from '../core/fields';
import { HistoryRecord, RemovedItem } from '../core/history';
import {
    Item, MetadataSet, NAMESPACES, STATE_OP_KINDS, STATE_TYPES, StateOp, SubjectRef, Subscription, Visibility,
} from '../core/types';
import { isValidSegment } from '../core/keys';
import { fromJsonText, fromLegacyValue, toJsonText } from './jsonText';

/*
 * The data half of each record (records.ts holds the associations). Every decoder accepts `unknown`:
 * records may come from an older version of the app or be damaged, and a read must survive them, so a
 * decoder skips what it cannot make sense of and fills safe defaults (e.g. `private`) for the rest.
 */

export interface StoredItem {
    key: string;
    /** the value as JSON text */
    json: string;
    revision: number;
    updatedAt: string;
    updatedBy: string;
    visibility: Visibility;
}

/** The items record of app versions before the revision log: read as the base revision, never written. */
export interface ItemsData {
    kind: 'items';
    subject: SubjectRef;
    majorRevision: number;
    items: StoredItem[];
    writeId: string;
}

/** A ballot of the revision log (revisionLog.ts): compared by rank, then by nonce. */
export interface Ballot {
    rank: number;
    nonce: string;
}

/**
 * One entry of a subject's revision log. `accept` carries the whole proposed set at `revision`
 * (`items`) and the id of the request that built it (`writeId`); `commit` names the accepted ballot
 * that was decided and its `writeId`; `prepare` carries nothing else.
 */
export interface LogEntryData {
    kind: 'prepare' | 'accept' | 'commit';
    subject: SubjectRef;
    revision: number;
    ballot: Ballot;
    writeId?: string;
    items?: StoredItem[];
    /** accept: who wrote, when, and what the write removed (with the visibility it had): its history entry */
    actor?: string;
    at?: string;
    removed?: RemovedItem[];
    hidden?: string[];
}

/** What a write did besides its new set, carried by its accept so whoever commits it can write its history. */
export interface ChangeStamp {
    actor: string;
    /** ISO-8601 */
    at: string;
    removed: RemovedItem[];
    /** keys the write turned from public to private: removed, for readers of public items only */
    hidden: string[];
}

/** The history entry of one revision (SPEC §14): kept beside the log, read only by history. */
export interface HistoryData {
    kind: 'history';
    subject: SubjectRef;
    revision: number;
    actor: string;
    at: string;
    changed: { key: string; json: string; visibility: Visibility }[];
    removed: RemovedItem[];
    hidden: string[];
    /** the write decided as this revision (webhook deliveries check theirs against it); absent in older entries */
    writeId?: string;
}

/**
 * One entry of a one-time choice of collaborative state (stateChoice.ts): `accept` carries the
 * proposed op.
 */
export interface ChoiceEntryData {
    kind: 'choice-prepare' | 'choice-accept';
    subject: SubjectRef;
    choice: string;
    ballot: Ballot;
    op?: StoredStateOp;
}

export interface ChoiceEntry {
    step: 'prepare' | 'accept';
    choice: string;
    ballot: Ballot;
    /** accept only */
    op?: StateOp;
}

export interface LogEntry {
    step: 'prepare' | 'accept' | 'commit';
    revision: number;
    ballot: Ballot;
    /** accept and commit */
    writeId: string;
    /** accept only: the proposed set */
    set?: MetadataSet;
    /** accept only */
    stamp?: ChangeStamp;
}

/** A state op as stored: the op (core/types.ts), its value as JSON text. */
export interface StoredStateOp extends Omit<StateOp, 'value'> {
    /** the value as JSON text */
    json?: string;
}

export interface StateOpData {
    kind: 'state-op';
    subject: SubjectRef;
    op: StoredStateOp;
}

export interface SubscriptionData {
    kind: 'subscription';
    subscriberId: string;
    subject: SubjectRef;
    roomId: string;
    createdAt: string;
    writeId: string;
}


type Fields = Record<string, unknown>;

export function fields(value: unknown): Fields | undefined {
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

export const isText = (value: unknown): value is string => typeof value === 'string';
export const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
export const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
// A damaged key could reach an object prototype when the core nests keys into a document.
const isKey = (value: unknown): value is string => isText(value) && value !== '' && value.split('.').every(isValidSegment);

export function kindOf(data: unknown): string | undefined {
    const kind = fields(data)?.kind;
    return isText(kind) ? kind : undefined;
}

export function subjectOf(value: unknown): SubjectRef | undefined {
    const f = fields(value);
    if (!f || !isOneOf(f.namespace, NAMESPACES) || !isText(f.id) || f.id === '') return undefined;
    return { namespace: f.namespace, id: f.id };
}

export const plainSubject = (subject: SubjectRef): SubjectRef => ({ namespace: subject.namespace, id: subject.id });

// ---- items -----------------------------------------------------------------------------------------

function encodeItem(item: Item): StoredItem {
    return {
        key: item.key,
        json: toJsonText(item.value),
        revision: item.revision,
        updatedAt: item.updatedAt,
        updatedBy: item.updatedBy,
        visibility: item.visibility,
    };
}

function decodeItem(value: unknown, majorRevision: number): Item | undefined {
    const f = fields(value);
    if (!f || !isKey(f.key)) return undefined;
    const parsed = 'json' in f ? fromJsonText(f.json) : fromLegacyValue(f.value);
    if (parsed === undefined) return undefined;
    return {
        key: f.key,
        value: parsed,
        // An item cannot be newer than its set; an unreadable revision counts as the latest write.
        revision: isCount(f.revision) && f.revision <= majorRevision ? f.revision : majorRevision,
        updatedAt: isText(f.updatedAt) ? f.updatedAt : new Date(0).toISOString(),
        updatedBy: isText(f.updatedBy) ? f.updatedBy : '',
        visibility: f.visibility === 'public' ? 'public' : 'private',
    };
}

export interface DecodedItems {
    set: MetadataSet;
    writeId: string;
}

function decodeItemList(value: unknown, majorRevision: number): Item[] {
    const seen = new Set<string>();
    const items: Item[] = [];
    for (const entry of Array.isArray(value) ? value : []) {
        const item = decodeItem(entry, majorRevision);
        if (item && !seen.has(item.key)) {
            seen.add(item.key);
            items.push(item);
        }
    }
    return items;
}

export function decodeItems(data: unknown): DecodedItems | undefined {
    const f = fields(data);
    if (!f || f.kind !== 'items') return undefined;
    const entries = Array.isArray(f.items) ? f.items : [];
    const majorRevision = isCount(f.majorRevision)
        ? f.majorRevision
        : entries.reduce<number>((max, e) => Math.max(max, isCount(fields(e)?.revision) ? (fields(e)?.revision as number) : 0), 0);
    return { set: { majorRevision, items: decodeItemList(entries, majorRevision) }, writeId: isText(f.writeId) ? f.writeId : '' };
}

// ---- revision log ----------------------------------------------------------------------------------

/** An accept written before accepts carried their change (none are): nobody, at the epoch, nothing removed. */
const NO_STAMP: ChangeStamp = { actor: '', at: new Date(0).toISOString(), removed: [], hidden: [] };

export function encodeLogEntry(subject: SubjectRef, entry: LogEntry): LogEntryData {
    const data: LogEntryData = {
        kind: entry.step,
        subject: plainSubject(subject),
        revision: entry.revision,
        ballot: { rank: entry.ballot.rank, nonce: entry.ballot.nonce },
    };
    if (entry.step !== 'prepare') data.writeId = entry.writeId;
    if (entry.step === 'accept') {
        data.items = (entry.set?.items ?? []).map(encodeItem);
        const stamp = entry.stamp ?? NO_STAMP;
        data.actor = stamp.actor;
        data.at = stamp.at;
        data.removed = stamp.removed.map((r) => ({ key: r.key, visibility: r.visibility }));
        data.hidden = [...stamp.hidden];
    }
    return data;
}

const LOG_STEPS: readonly string[] = ['prepare', 'accept', 'commit'];

/**
 * undefined for anything that is not a whole log entry. A damaged accept decodes without its set, so
 * it can still fence lower ballots but is never adopted or loaded (see revisionLog.ts).
 */
export function decodeLogEntry(data: unknown): LogEntry | undefined {
    const f = fields(data);
    const ballot = fields(f?.ballot);
    if (!f || !LOG_STEPS.includes(f.kind as string) || !isCount(f.revision) || f.revision === 0) return undefined;
    if (!ballot || !isCount(ballot.rank) || !isText(ballot.nonce) || ballot.nonce === '') return undefined;
    const step = f.kind as LogEntry['step'];
    const entry: LogEntry = { step, revision: f.revision, ballot: { rank: ballot.rank, nonce: ballot.nonce }, writeId: isText(f.writeId) ? f.writeId : '' };
    if (step === 'accept' && Array.isArray(f.items)) entry.set = { majorRevision: f.revision, items: decodeItemList(f.items, f.revision) };
    if (step === 'accept') {
        entry.stamp = {
            actor: isText(f.actor) ? f.actor : '',
            at: isText(f.at) ? f.at : new Date(0).toISOString(),
            removed: decodeRemoved(f.removed),
            hidden: decodeKeys(f.hidden),
        };
    }
    return entry;
}

function decodeKeys(value: unknown): string[] {
    return (Array.isArray(value) ? value : []).filter(isKey);
}

function decodeRemoved(value: unknown): RemovedItem[] {
    return (Array.isArray(value) ? value : []).flatMap((entry) => {
        const f = fields(entry);
        return f && isKey(f.key) ? [{ key: f.key, visibility: f.visibility === 'public' ? 'public' as const : 'private' as const }] : [];
    });
}

// ---- history ---------------------------------------------------------------------------------------

/** The history entry of a decided accept: the items it wrote (revision = its own) and what it removed. */
export function encodeHistory(subject: SubjectRef, accept: LogEntry & { set: MetadataSet }): HistoryData {
    const stamp = accept.stamp ?? NO_STAMP;
    return {
        kind: 'history',
        subject: plainSubject(subject),
        revision: accept.revision,
        actor: stamp.actor,
        at: stamp.at,
        changed: accept.set.items
            .filter((item) => item.revision === accept.revision)
            .map((item) => ({ key: item.key, json: toJsonText(item.value), visibility: item.visibility })),
        removed: stamp.removed.map((r) => ({ key: r.key, visibility: r.visibility })),
        hidden: [...stamp.hidden],
        writeId: accept.writeId,
    };
}

/** A history entry as stored: with the write decided as its revision ('' in entries written before it was kept). */
export type StoredHistory = HistoryRecord & { writeId: string };

export function decodeHistory(data: unknown): StoredHistory | undefined {
    const f = fields(data);
    if (!f || f.kind !== 'history' || !isCount(f.revision) || f.revision === 0) return undefined;
    const changed = (Array.isArray(f.changed) ? f.changed : []).flatMap((entry) => {
        const c = fields(entry);
        const value = c && isKey(c.key) ? fromJsonText(c.json) : undefined;
        return c && value !== undefined ? [{ key: c.key as string, value, visibility: c.visibility === 'public' ? 'public' as const : 'private' as const }] : [];
    });
    return {
        revision: f.revision,
        actor: isText(f.actor) ? f.actor : '',
        at: isText(f.at) ? f.at : new Date(0).toISOString(),
        changed,
        removed: decodeRemoved(f.removed),
        hidden: decodeKeys(f.hidden),
        writeId: isText(f.writeId) ? f.writeId : '',
    };
}

// ---- one-time choices ------------------------------------------------------------------------------

export function encodeChoiceEntry(subject: SubjectRef, entry: ChoiceEntry): ChoiceEntryData {
    const data: ChoiceEntryData = {
        kind: entry.step === 'prepare' ? 'choice-prepare' : 'choice-accept',
        subject: plainSubject(subject),
        choice: entry.choice,
        ballot: { rank: entry.ballot.rank, nonce: entry.ballot.nonce },
    };
    if (entry.step === 'accept' && entry.op) data.op = encodeStateOp(subject, entry.op).op;
    return data;
}

export function decodeChoiceEntry(data: unknown): ChoiceEntry | undefined {
    const f = fields(data);
    const ballot = fields(f?.ballot);
    if (!f || (f.kind !== 'choice-prepare' && f.kind !== 'choice-accept') || !isText(f.choice) || f.choice === '') return undefined;
    if (!ballot || !isCount(ballot.rank) || !isText(ballot.nonce) || ballot.nonce === '') return undefined;
    const entry: ChoiceEntry = { step: f.kind === 'choice-prepare' ? 'prepare' : 'accept', choice: f.choice, ballot: { rank: ballot.rank, nonce: ballot.nonce } };
    const op = f.kind === 'choice-accept' ? decodeStateOp({ kind: 'state-op', op: f.op }) : undefined;
    if (op) entry.op = op;
    return entry;
}

// ---- state ops -------------------------------------------------------------------------------------

export function encodeStateOp(subject: SubjectRef, op: StateOp): StateOpData {
    const stored: StoredStateOp = { id: op.id, key: op.key, type: op.type, op: op.op, userId: op.userId, at: op.at };
    if (op.value !== undefined) stored.json = toJsonText(op.value);
    if (op.removes !== undefined) stored.removes = [...op.removes];
    return { kind: 'state-op', subject: plainSubject(subject), op: stored };
}

export function decodeStateOp(data: unknown): StateOp | undefined {
    const f = fields(fields(data)?.kind === 'state-op' ? fields(data)?.op : undefined);
    if (!f || !isText(f.id) || f.id === '' || !isKey(f.key) || !isText(f.userId) || !isTime(f.at)) return undefined;
    if (!isOneOf(f.type, STATE_TYPES) || !isOneOf(f.op, STATE_OP_KINDS)) return undefined;
    const op: StateOp = { id: f.id, key: f.key, type: f.type, op: f.op, userId: f.userId, at: f.at };
    const value: JsonValue | undefined = 'json' in f ? fromJsonText(f.json) : fromLegacyValue(f.value);
    if (value !== undefined) op.value = value;
    if (Array.isArray(f.removes)) op.removes = f.removes.filter(isText);
    return op;
}

// ---- subscriptions ---------------------------------------------------------------------------------

export function encodeSubscription(record: Subscription, writeId: string): SubscriptionData {
    return {
        kind: 'subscription',
        subscriberId: record.subscriberId,
        subject: plainSubject(record.subject),
        roomId: record.roomId,
        createdAt: record.createdAt,
        writeId,
    };
}

export function decodeSubscription(data: unknown): (Subscription & { writeId: string }) | undefined {
    const f = fields(data);
    const subject = subjectOf(f?.subject);
    if (!f || f.kind !== 'subscription' || !subject || !isText(f.subscriberId) || f.subscriberId === '' || !isText(f.roomId)) {
        return undefined;
    }
    return {
        subscriberId: f.subscriberId,
        subject,
        roomId: f.roomId,
        createdAt: isText(f.createdAt) ? f.createdAt : new Date(0).toISOString(),
        writeId: isText(f.writeId) ? f.writeId : '',
    };
}

// ---- the subject index -----------------------------------------------------------------------------

/** One subject that holds (or held) something: what a sweep over every subject reads, a shard at a time. */
export interface IndexData {
    kind: 'index';
    subject: SubjectRef;
}

export function encodeIndexEntry(subject: SubjectRef): IndexData {
    return { kind: 'index', subject: plainSubject(subject) };
}

export function decodeIndexEntry(data: unknown): SubjectRef | undefined {
    const f = fields(data);
    return f && f.kind === 'index' ? subjectOf(f.subject) : undefined;
}

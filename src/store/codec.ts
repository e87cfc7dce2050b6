import { JsonValue } from '../core/json';
import { isOneOf } from '../core/fields';
import { HistoryRecord, RemovedItem } from '../core/history';
import {
    Item, MetadataSet, NAMESPACES, STATE_OP_KINDS, STATE_TYPES, StateOp, SubjectRef, Subscription, Visibility,
} from '../core/types';
import { isValidSegment } from '../core/keys';
import { LockChange, LockChangeKind, LockHold } from '../core/locks';
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
 * One entry of a subject's revision log. `revision` is the entry's log position (revisionLog.ts: the
 * majorRevision, until a lock change took a position of its own). `accept` carries the whole proposed
 * state at that position (`items`, its `majorRevision`, the lock holds) and the id of the request that
 * built it (`writeId`); `commit` names the accepted ballot that was decided, its `writeId` and its
 * `majorRevision`; `prepare` carries nothing else. Entries of app versions before locks have no
 * `majorRevision`: theirs is their position.
 */
export interface LogEntryData {
    kind: 'prepare' | 'accept' | 'commit';
    subject: SubjectRef;
    revision: number;
    ballot: Ballot;
    writeId?: string;
    majorRevision?: number;
    items?: StoredItem[];
    locks?: LockHold[];
    /** accept of a lock change: what it did (its LOCK event) */
    lockChange?: LockChange;
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
    /**
     * the log position it was decided at (revisionLog.ts): one request may propose the same majorRevision at two
     * positions when a lock change took the first, so a delivery names its attempt by both; absent: the revision
     */
    position?: number;
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
    /** the Paxos instance this entry belongs to (revisionLog.ts) */
    position: number;
    ballot: Ballot;
    /** accept and commit */
    writeId: string;
    /** accept only: the proposed set (its majorRevision may lag its position: lock changes keep it) */
    set?: MetadataSet;
    /** accept only: the lock holds at this position */
    locks?: LockHold[];
    /** accept of an item write: its change, for history */
    stamp?: ChangeStamp;
    /** accept of a lock change: what it did */
    lockChange?: LockChange;
    /** commit only: the majorRevision of the value it decided */
    majorRevision?: number;
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
        revision: entry.position,
        ballot: { rank: entry.ballot.rank, nonce: entry.ballot.nonce },
    };
    if (entry.step !== 'prepare') data.writeId = entry.writeId;
    if (entry.step === 'commit' && entry.majorRevision !== undefined) data.majorRevision = entry.majorRevision;
    if (entry.step === 'accept') {
        data.majorRevision = entry.set?.majorRevision ?? entry.position;
        data.items = (entry.set?.items ?? []).map(encodeItem);
        if (entry.locks && entry.locks.length > 0) data.locks = entry.locks.map(encodeHold);
        if (entry.lockChange) {
            const { kind, hold, by, replaced } = entry.lockChange;
            data.lockChange = { kind, hold: encodeHold(hold), by, ...(replaced ? { replaced: encodeHold(replaced) } : {}) };
            return data;
        }
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
    const position = f.revision;
    const entry: LogEntry = { step, position, ballot: { rank: ballot.rank, nonce: ballot.nonce }, writeId: isText(f.writeId) ? f.writeId : '' };
    // Entries of app versions before locks carry none: their majorRevision is their position.
    const majorRevision = isCount(f.majorRevision) ? f.majorRevision : position;
    if (step === 'commit') entry.majorRevision = majorRevision;
    if (step === 'accept' && Array.isArray(f.items)) {
        entry.set = { majorRevision, items: decodeItemList(f.items, majorRevision) };
        entry.locks = decodeHolds(f.locks);
    }
    if (step === 'accept' && f.lockChange !== undefined) {
        const change = decodeLockChange(f.lockChange);
        if (!change) delete entry.set; // damaged: it fences lower ballots, never decides anything
        else entry.lockChange = change;
        return entry;
    }
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

function encodeHold(hold: LockHold): LockHold {
    return { name: hold.name, holder: hold.holder, acquiredAt: hold.acquiredAt, expiresAt: hold.expiresAt, holdId: hold.holdId };
}

function decodeHold(value: unknown): LockHold | undefined {
    const f = fields(value);
    if (!f || !isKey(f.name) || !isText(f.holder) || !isText(f.holdId)) return undefined;
    if (!isText(f.acquiredAt) || !isText(f.expiresAt) || Number.isNaN(Date.parse(f.expiresAt))) return undefined;
    return { name: f.name, holder: f.holder, acquiredAt: f.acquiredAt, expiresAt: f.expiresAt, holdId: f.holdId };
}

/** One hold per name (the first of a damaged list): a lock never has two holders, even in a damaged record. */
function decodeHolds(value: unknown): LockHold[] {
    const byName = new Map<string, LockHold>();
    for (const entry of Array.isArray(value) ? value : []) {
        const hold = decodeHold(entry);
        if (hold && !byName.has(hold.name)) byName.set(hold.name, hold);
    }
    return [...byName.values()];
}

const LOCK_CHANGES: readonly LockChangeKind[] = ['acquired', 'renewed', 'released', 'revoked', 'expired'];

function decodeLockChange(value: unknown): LockChange | undefined {
    const f = fields(value);
    const hold = decodeHold(f?.hold);
    if (!f || !hold || !isOneOf(f.kind, LOCK_CHANGES) || !isText(f.by)) return undefined;
    const replaced = f.replaced === undefined ? undefined : decodeHold(f.replaced);
    return { kind: f.kind, hold, by: f.by, ...(replaced ? { replaced } : {}) };
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

/** The history entry of a decided item write's accept: the items it wrote (revision = its own) and what it removed. */
export function encodeHistory(subject: SubjectRef, accept: LogEntry & { set: MetadataSet }): HistoryData {
    const stamp = accept.stamp ?? NO_STAMP;
    const revision = accept.set.majorRevision;
    return {
        kind: 'history',
        subject: plainSubject(subject),
        revision,
        actor: stamp.actor,
        at: stamp.at,
        changed: accept.set.items
            .filter((item) => item.revision === revision)
            .map((item) => ({ key: item.key, json: toJsonText(item.value), visibility: item.visibility })),
        removed: stamp.removed.map((r) => ({ key: r.key, visibility: r.visibility })),
        hidden: [...stamp.hidden],
        writeId: accept.writeId,
        position: accept.position,
    };
}

/** A history entry as stored: with the write decided as its revision ('' in entries written before it was kept) and its log position. */
export type StoredHistory = HistoryRecord & { writeId: string; position: number };

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
        position: isCount(f.position) && f.position > 0 ? f.position : f.revision,
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

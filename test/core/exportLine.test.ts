import { describe, expect, it } from 'vitest';

import {
    ExportLine, exportLineOf, formatExportLine, importedItems, MAX_IMPORT_LINES, parseImportBody, parseImportLines, planImport,
} from '../../src/core/exportLine';
import { DEFAULT_LIMITS } from '../../src/core/limits';
import { Item, StateOp, SubjectSnapshot } from '../../src/core/types';

/*
 * SPEC §18, the export format: one subject a line of NDJSON with its items and revisions, state operations and the
 * subscriptions to it. An import judges every line like every write before anything is written, and never lowers a
 * majorRevision.
 */

const at = '2026-01-01T00:00:00.000Z';
const NOW = Date.parse(at);
const item = (key: string, value: Item['value'], revision: number, visibility: Item['visibility'] = 'private'): Item =>
    ({ key, value, revision, updatedAt: at, updatedBy: 'u1', visibility });
const op = (id: string, key: string, type: StateOp['type'], userId: string, value: StateOp['value'] = 'x', kind: StateOp['op'] = 'add'): StateOp =>
    ({ id, key, type, op: kind, userId, at: Number(id.replace(/\D/g, '')) || 1, value });

const LINE: ExportLine = {
    subject: { namespace: 'room', id: 'r1' },
    majorRevision: 3,
    items: [item('agenda.first', 'budget', 1, 'public'), item('note', { deep: [1, 2] }, 3)],
    state: [op('o1', 'votes', 'set', 'u1', 'pizza'), op('o2', 'votes', 'set', 'u2', 'sushi')],
    subscriptions: [{ subscriberId: 'u2', roomId: 'r1', createdAt: at }],
    locks: [],
};

const snapshot = (majorRevision: number, items: Item[] = [], stateOps: StateOp[] = []): SubjectSnapshot => ({ set: { majorRevision, items }, stateOps });
const text = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
const line = (fields: Record<string, unknown> = {}) => ({ ...JSON.parse(formatExportLine(LINE)), ...fields });

function refusal(run: () => unknown): { code: string; message: string; line?: number; problem?: string } {
    try {
        run();
    } catch (error) {
        const e = error as { code: string; message: string; details: { line?: number; problem?: string } };
        return { code: e.code, message: e.message, ...e.details };
    }
    throw new Error('expected a refusal');
}

describe('an export line', () => {
    it('holds the subject, its majorRevision, its items with their revisions, its state operations and the subscriptions to it', () => {
        const exported = exportLineOf(LINE.subject, snapshot(3, [LINE.items[1], LINE.items[0]], [LINE.state[1], LINE.state[0]]), [
            { subscriberId: 'u2', subject: LINE.subject, roomId: 'r1', createdAt: at },
        ], NOW);
        expect(exported).toEqual(LINE);
        expect(JSON.parse(formatExportLine(LINE))).toEqual({ format: 1, ...LINE });
    });

    it('reads back as it was written', () => {
        expect(parseImportLines(`${formatExportLine(LINE)}\n`, DEFAULT_LIMITS)).toEqual([{ ...LINE, line: 1 }]);
    });

    it('is not written for a subject that holds nothing (a subscriber the index lists)', () => {
        expect(exportLineOf({ namespace: 'user', id: 'u9' }, snapshot(0), [], NOW)).toBeUndefined();
    });

    it('holds the locks in force when it is read, without their hold ids, and not the expired ones', () => {
        const hold = (name: string, expiresAt: string) => ({ name, holder: 'u1', acquiredAt: at, expiresAt, holdId: `h-${name}` });
        const subject = { set: { majorRevision: 0, items: [] }, stateOps: [], locks: [hold('seat', '2026-01-01T00:00:30.000Z'), hold('old', at)] };
        expect(exportLineOf({ namespace: 'room', id: 'r1' }, subject, [], NOW)?.locks).toEqual([
            { name: 'seat', holder: 'u1', acquiredAt: at, expiresAt: '2026-01-01T00:00:30.000Z' },
        ]);
    });

    it('reads a line written before locks as one without locks', () => {
        const { locks: _locks, ...older } = JSON.parse(formatExportLine(LINE)) as Record<string, unknown>;
        expect(parseImportLines(JSON.stringify(older), DEFAULT_LIMITS)[0].locks).toEqual([]);
    });

    it('is written for a subject whose items were all removed: its majorRevision must survive', () => {
        expect(exportLineOf({ namespace: 'user', id: 'u9' }, snapshot(4), [], NOW)?.majorRevision).toBe(4);
    });
});

describe('reading an import', () => {
    it('takes the NDJSON in a JSON body, as the server parses JSON bodies only', () => {
        expect(parseImportBody({ ndjson: 'x' })).toBe('x');
        expect(refusal(() => parseImportBody({ lines: [] })).code).toBe('invalid_request');
        expect(refusal(() => parseImportBody({})).message).toContain('"ndjson"');
    });

    it('skips blank lines and counts them, so a bad line is named by its number in the file', () => {
        const found = refusal(() => parseImportLines(text(line(), '', '{"format":1,', line()), DEFAULT_LIMITS));
        expect(found).toMatchObject({ code: 'invalid_request', line: 3 });
        expect(found.message).toMatch(/^line 3: is not JSON/);
    });

    it('refuses a line that is not one subject of the export', () => {
        expect(refusal(() => parseImportLines(text('[1]'), DEFAULT_LIMITS)).message).toMatch(/^line 1: the line must be a JSON object/);
        expect(refusal(() => parseImportLines(text(line({ format: 2 })), DEFAULT_LIMITS)).message).toContain('"format" must be 1');
        expect(refusal(() => parseImportLines(text(line({ extra: 1 })), DEFAULT_LIMITS)).message).toContain('unknown field "extra"');
        expect(refusal(() => parseImportLines(text(line({ subject: { namespace: 'team', id: 'x' } })), DEFAULT_LIMITS)).message).toContain('subject.namespace');
        expect(refusal(() => parseImportLines(text(line({ majorRevision: -1 })), DEFAULT_LIMITS)).message).toContain('majorRevision');
    });

    it('judges items like every write: key rules, no null, nesting and size limits, no overlapping keys, the whole-set limits', () => {
        const withItems = (...items: unknown[]) => text(line({ items }));
        const cases: Array<[string, string]> = [
            [withItems({ ...item('a..b', 1, 1) }), 'invalid_key'],
            [withItems({ ...item('a', 1, 1), value: null }), 'invalid_value'],
            [withItems(item('a', 'x'.repeat(DEFAULT_LIMITS.valueBytes + 1), 1)), 'too_large'],
            [withItems(item('a', [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], 1)), 'too_large'],
            [withItems(item('a', 1, 1), item('a.b', 1, 1)), 'invalid_request'],
            [withItems(item('a', 1, 4)), 'invalid_request'],
            [withItems({ ...item('a', 1, 1), colour: 'red' }), 'invalid_request'],
            [withItems({ ...item('a', 1, 1), updatedAt: 'yesterday' }), 'invalid_request'],
        ];
        for (const [ndjson, problem] of cases) {
            expect(refusal(() => parseImportLines(ndjson, DEFAULT_LIMITS)), ndjson.slice(0, 120)).toMatchObject({ code: 'invalid_request', line: 1, problem });
        }
        const many = Array.from({ length: 3 }, (_, i) => item(`k${i}`, i, 1));
        expect(refusal(() => parseImportLines(withItems(...many), { ...DEFAULT_LIMITS, itemsPerSet: 2 }))).toMatchObject({ line: 1, problem: 'too_large' });
    });

    it('judges state operations and subscriptions: their fields, one operation per id, one subscription per subscriber', () => {
        const cases = [
            line({ state: [{ ...op('o1', 'votes', 'set', 'u1'), type: 'poll' }] }),
            line({ state: [{ ...op('o1', 'votes', 'set', 'u1'), at: 'now' }] }),
            line({ state: [op('o1', 'votes', 'set', 'u1'), op('o1', 'votes', 'set', 'u2')] }),
            line({ state: [{ ...op('o1', 'votes', 'set', 'u1'), value: null }] }),
            line({ subscriptions: [{ subscriberId: '', roomId: 'r1', createdAt: at }] }),
            line({ subscriptions: [{ subscriberId: 'u2', roomId: 'r1', createdAt: at }, { subscriberId: 'u2', roomId: 'r2', createdAt: at }] }),
        ];
        for (const bad of cases) expect(refusal(() => parseImportLines(text(bad), DEFAULT_LIMITS)), JSON.stringify(bad)).toMatchObject({ code: 'invalid_request', line: 1 });
    });

    it('refuses a subject given twice, naming both lines', () => {
        expect(refusal(() => parseImportLines(text(line(), line()), DEFAULT_LIMITS)).message).toBe('line 2: room:r1 is on line 1 already; a subject may appear once');
    });

    it('refuses an import with no lines, and one over the lines a request may hold', () => {
        expect(refusal(() => parseImportLines('\n\n', DEFAULT_LIMITS)).code).toBe('invalid_request');
        const lines = Array.from({ length: MAX_IMPORT_LINES + 1 }, (_, i) => line({ subject: { namespace: 'user', id: `u${i}` } }));
        expect(refusal(() => parseImportLines(text(...lines), DEFAULT_LIMITS)).line).toBe(MAX_IMPORT_LINES + 1);
    });

    it('reads Windows line ends', () => {
        expect(parseImportLines(`${formatExportLine(LINE)}\r\n`, DEFAULT_LIMITS)).toHaveLength(1);
    });
});

describe('planning an import against what the store holds', () => {
    it('a subject below the export\'s revision gets its items, the state operations it lacks and the subscriptions it lacks', () => {
        expect(planImport(snapshot(0), LINE, [], NOW)).toEqual({ kind: 'import', items: true, ops: LINE.state, subscriptions: LINE.subscriptions, locks: [] });
    });

    it('a subject at the export\'s revision with everything of it is skipped: importing twice changes nothing', () => {
        const plan = planImport(snapshot(3, LINE.items, LINE.state), LINE, [{ subscriberId: 'u2', subject: LINE.subject, roomId: 'r1', createdAt: at }], NOW);
        expect(plan.kind).toBe('skip');
    });

    it('a subject above the export\'s revision is skipped whole: it changed since the export, and no revision is lowered', () => {
        const plan = planImport(snapshot(7), LINE, [], NOW);
        expect(plan).toMatchObject({ kind: 'skip', reason: expect.stringContaining('above the export\'s 3') });
    });

    it('a subject at the export\'s revision keeps its items and gets only what it lacks', () => {
        expect(planImport(snapshot(3, [], [LINE.state[0]]), LINE, [], NOW)).toEqual({ kind: 'import', items: false, ops: [LINE.state[1]], subscriptions: LINE.subscriptions, locks: [] });
    });

    it('brings back a lock only while it is in force and nobody here holds its name', () => {
        const lock = (name: string, expiresAt: string) => ({ name, holder: 'u1', acquiredAt: at, expiresAt });
        const exported: ExportLine = { ...LINE, locks: [lock('seat', '2026-01-01T00:01:00.000Z'), lock('desk', '2026-01-01T00:01:00.000Z'), lock('gone', at)] };
        const here = { ...snapshot(3, [], LINE.state), locks: [{ ...lock('desk', '2026-01-01T00:02:00.000Z'), holder: 'u7', holdId: 'h7' }] };
        expect(planImport(here, exported, LINE.subscriptions.map((s) => ({ ...s, subject: LINE.subject })), NOW)).toMatchObject({ kind: 'import', locks: [exported.locks[0]] });
    });

    it('a state key the subject holds with another type refuses the subject', () => {
        const plan = planImport(snapshot(0, [], [op('o9', 'votes', 'lww', 'u1')]), LINE, [], NOW);
        expect(plan).toMatchObject({ kind: 'refuse', code: 'type_mismatch' });
    });

    it('leaves out what would never count: an operation of another type than its key\'s, a second first-writer-wins value of a user', () => {
        const exported: ExportLine = { ...LINE, state: [op('o1', 'seat', 'fww', 'u1', 'a'), op('o2', 'seat', 'lww', 'u2'), op('o3', 'seat', 'fww', 'u1', 'b'), op('o4', 'seat', 'fww', 'u3')] };
        expect(planImport(snapshot(0), exported, [], NOW)).toMatchObject({ ops: [exported.state[0], exported.state[3]] });
        expect(planImport(snapshot(0, [], [op('o0', 'seat', 'fww', 'u3', 'mine')]), exported, [], NOW)).toMatchObject({ ops: [exported.state[0]] });
    });

    it('leaves out superseded state operations, which the store would collect anyway: the state reads the same', () => {
        const added = op('o1', 'votes', 'set', 'u1', 'pizza');
        const removed: StateOp = { ...op('o2', 'votes', 'set', 'u1', 'pizza', 'remove'), removes: ['o1'] };
        const later = { ...op('o3', 'votes', 'set', 'u2', 'tea'), at: NOW };
        const exported: ExportLine = { ...LINE, state: [op('o0', 'votes', 'set', 'u9', 'x'), added, removed, later] };
        const plan = planImport(snapshot(0), exported, [], NOW + 120_000);
        expect(plan.kind === 'import' && plan.ops.map((o) => o.id)).toEqual(['o0', 'o3']);
    });

    it('the items go in at the export\'s revision with the revisions they had; the replaced ones are reported removed', () => {
        const outcome = importedItems({ majorRevision: 1, items: [item('old', 1, 1)] }, LINE);
        expect(outcome).toEqual({ set: { majorRevision: 3, items: LINE.items }, changed: ['agenda.first', 'note'], removed: ['old'], wrote: true });
    });

    it('the items never go in at a revision already taken, nor below one', () => {
        expect(importedItems({ majorRevision: 2, items: [] }, { ...LINE, majorRevision: 3 }).set.majorRevision).toBe(3);
        expect(importedItems({ majorRevision: 3, items: [] }, LINE).wrote).toBe(false);
        expect(importedItems({ majorRevision: 9, items: [] }, LINE).wrote).toBe(false);
    });
});

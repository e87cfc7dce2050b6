import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ChangeNotice } from '../../src/service/types';
import { Coalescer } from '../../src/surfaces/events/coalescer';

function notice(subjectId: string, majorRevision: number, changed: string[]): ChangeNotice {
    return {
        subject: { namespace: 'user', id: subjectId, name: subjectId },
        actor: { id: 'u1', username: 'one', roles: [] },
        at: new Date(majorRevision * 1000).toISOString(),
        majorRevision,
        changed,
        removed: [],
        stateChanged: [],
        set: { majorRevision, items: [] },
        state: {},
    };
}

describe('the coalescer', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('with a window of 0 hands each change on at once', async () => {
        const flushed: ChangeNotice[] = [];
        const coalescer = new Coalescer(() => undefined);
        await coalescer.push(notice('a', 1, ['x']), 0, async (n) => { flushed.push(n); });
        expect(flushed.map((n) => n.majorRevision)).toEqual([1]);
    });

    it('holds changes of one subject until the window closes, then hands them on as one', async () => {
        const flushed: ChangeNotice[] = [];
        const flush = async (n: ChangeNotice) => { flushed.push(n); };
        const coalescer = new Coalescer(() => undefined);
        await coalescer.push(notice('a', 1, ['x']), 100, flush);
        await coalescer.push(notice('a', 2, ['y']), 100, flush);
        expect(flushed).toHaveLength(0);
        await vi.advanceTimersByTimeAsync(100);
        expect(flushed.map((n) => [n.majorRevision, n.changed])).toEqual([[2, ['x', 'y']]]);
    });

    it('the window runs from the first change: a steady stream still flushes every window', async () => {
        const flushed: ChangeNotice[] = [];
        const flush = async (n: ChangeNotice) => { flushed.push(n); };
        const coalescer = new Coalescer(() => undefined);
        for (let i = 1; i <= 5; i++) {
            await coalescer.push(notice('a', i, [`k${i}`]), 100, flush);
            await vi.advanceTimersByTimeAsync(40);
        }
        expect(flushed.map((n) => n.majorRevision)).toEqual([3]);
    });

    it('keeps subjects apart', async () => {
        const flushed: ChangeNotice[] = [];
        const flush = async (n: ChangeNotice) => { flushed.push(n); };
        const coalescer = new Coalescer(() => undefined);
        await coalescer.push(notice('a', 1, ['x']), 100, flush);
        await coalescer.push(notice('b', 1, ['y']), 100, flush);
        await vi.advanceTimersByTimeAsync(100);
        expect(flushed.map((n) => n.subject.id).sort()).toEqual(['a', 'b']);
    });

    it('delivers through the latest change\'s flush (the freshest accessors)', async () => {
        const used: string[] = [];
        const coalescer = new Coalescer(() => undefined);
        await coalescer.push(notice('a', 1, ['x']), 100, async () => { used.push('first'); });
        await coalescer.push(notice('a', 2, ['y']), 100, async () => { used.push('second'); });
        await vi.advanceTimersByTimeAsync(100);
        expect(used).toEqual(['second']);
    });

    it('a failing flush is reported, not thrown', async () => {
        const errors: unknown[] = [];
        const coalescer = new Coalescer((e) => errors.push(e));
        await coalescer.push(notice('a', 1, ['x']), 100, async () => { throw new Error('down'); });
        await vi.advanceTimersByTimeAsync(100);
        expect(String(errors[0])).toContain('down');
    });

    it('forgets a subject once its window has closed', async () => {
        const coalescer = new Coalescer(() => undefined);
        await coalescer.push(notice('a', 1, ['x']), 100, async () => undefined);
        await vi.advanceTimersByTimeAsync(100);
        expect(coalescer.size).toBe(0);
    });
});

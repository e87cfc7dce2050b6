import { describe, expect, it } from 'vitest';
import { SubjectLocks } from '../../src/core/subjectLocks';

// One app process runs the work of one key one at a time, in the order it was asked for; different keys do not wait
// for each other; a failure releases the key; an idle key is forgotten.

function gate(): { opened: Promise<void>; open: () => void } {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
}

describe('per-key locks', () => {
    it('runs the work of one key one after the other, in the order asked, and hands back each result', async () => {
        const locks = new SubjectLocks();
        const trace: string[] = [];
        const first = gate();
        const a = locks.run('room:1', async () => {
            trace.push('a starts');
            await first.opened;
            trace.push('a ends');
            return 'A';
        });
        const b = locks.run('room:1', async () => {
            trace.push('b runs');
            return 'B';
        });
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(trace).toEqual(['a starts']);
        first.open();
        expect(await Promise.all([a, b])).toEqual(['A', 'B']);
        expect(trace).toEqual(['a starts', 'a ends', 'b runs']);
    });

    it('work on another key does not wait', async () => {
        const locks = new SubjectLocks();
        const held = gate();
        const slow = locks.run('room:1', () => held.opened);
        expect(await locks.run('room:2', async () => 'free')).toBe('free');
        expect(locks.size).toBe(1);
        held.open();
        await slow;
    });

    it('a failed work passes its error on and releases the key for the next', async () => {
        const locks = new SubjectLocks();
        const failing = locks.run('user:1', async () => {
            throw new Error('boom');
        });
        const next = locks.run('user:1', async () => 'after');
        await expect(failing).rejects.toThrow('boom');
        expect(await next).toBe('after');
    });

    it('forgets a key once nothing is queued on it, but not while work is still queued', async () => {
        const locks = new SubjectLocks();
        expect(locks.size).toBe(0);
        const held = gate();
        const first = locks.run('k', () => held.opened);
        const second = locks.run('k', async () => undefined);
        expect(locks.size).toBe(1);
        held.open();
        await first;
        expect(locks.size).toBe(1);
        await second;
        expect(locks.size).toBe(0);
    });
});

import { ChangeNotice } from '../../service/types';
import { mergeNotices } from './mergeNotices';

type Flush = (notice: ChangeNotice) => Promise<void>;

interface Pending {
    notice: ChangeNotice;
    flush: Flush;
}

/**
 * Holds the changes of one subject for a window and hands them on as one (SPEC §9). The window is
 * fixed from the first change, so an event is never later than the window. In memory and per app
 * instance: writes served by different instances are delivered separately.
 */
export class Coalescer {
    private readonly pending = new Map<string, Pending>();

    constructor(private readonly onError: (error: unknown) => void) {}

    /**
     * windowMs ≤ 0: hand on now. Else resolves at once; the flush runs when the window closes. Changes
     * with the same `key` (by default: the subject) merge.
     */
    async push(notice: ChangeNotice, windowMs: number, flush: Flush, key = `${notice.subject.namespace}:${notice.subject.id}`): Promise<void> {
        if (!(windowMs > 0)) return flush(notice);
        const waiting = this.pending.get(key);
        if (waiting) {
            // The latest accessors deliver: they belong to the most recent invocation.
            this.pending.set(key, { notice: mergeNotices(waiting.notice, notice), flush });
            return;
        }
        this.pending.set(key, { notice, flush });
        setTimeout(() => {
            const due = this.pending.get(key);
            this.pending.delete(key);
            if (due) Promise.resolve().then(() => due.flush(due.notice)).catch(this.onError);
        }, windowMs);
    }

    /** subjects waiting for their window to close */
    get size(): number {
        return this.pending.size;
    }
}

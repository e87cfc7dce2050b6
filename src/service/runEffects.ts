import { AfterWriteEffect, ChangeNotice } from './types';
import { Log } from './ports';

/**
 * Runs the after-write effects side by side. None may fail the write: each failure is logged. The
 * response waits for them at most `budgetMs` (so a caller that reads right after a write finds the
 * mirror and the status message in place), and never longer: slow effects finish in the background.
 */
export async function runEffects(effects: AfterWriteEffect[], notice: ChangeNotice, log: Log, budgetMs: number): Promise<void> {
    const runs = effects.map((effect) => Promise.resolve()
        .then(() => effect(notice))
        .catch((error) => log.error('metadata: an after-write effect failed; the write stands', errorText(error))));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const budget = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, budgetMs);
    });
    try {
        await Promise.race([Promise.all(runs), budget]);
    } finally {
        clearTimeout(timer);
    }
}

export function errorText(error: unknown): string {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

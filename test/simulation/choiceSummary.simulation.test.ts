import { describe, expect, it } from 'vitest';

import { ChoiceDefinition, ChoiceSummary } from '../../src/core/choice';
import { StateView } from '../../src/core/types';
import { Rendered, rendered, showLatest } from '../../src/service/choiceSummary';
import { seededRandom } from '../support/memoryPersistence';

/*
 * The summary on a message with choices under seeded interleavings (src/service/choiceSummary.ts, LAST RENDER WINS):
 * 2–6 writers on as many instances each decide one click, then keep the message's summary with `showLatest`. Every
 * read of the state and every replacement of the message is one step, and the schedule picks which pending step
 * runs next, so a replacement may land long after the read it shows. Once every writer is done, the message must
 * show the summary of every click. The expected summary is counted here from the clicks, not by the code under test.
 */

const SCHEDULES = Number(process.env.SIM_SCHEDULES ?? 2000);
const DEFINITION: ChoiceDefinition = { question: 'Lunch?', choices: ['pizza', 'sushi'], type: 'set' };

interface Click {
    user: string;
    choice: string;
}

/** The state view the clicks make: each user's set, and per choice who holds it (users sorted). */
function stateOf(clicks: readonly Click[]): StateView {
    if (clicks.length === 0) return {};
    const byUser: Record<string, string[]> = {};
    for (const { user, choice } of clicks) byUser[user] = [...(byUser[user] ?? []), choice];
    const summary = DEFINITION.choices
        .map((choice) => ({ value: choice, users: clicks.filter((c) => c.choice === choice).map((c) => c.user).sort() }))
        .filter((entry) => entry.users.length > 0)
        .map((entry) => ({ ...entry, count: entry.users.length }));
    return { choice: { type: 'set', byUser, summary } };
}

/** What the message must finally say, counted from the clicks. */
function expectedLines(clicks: readonly Click[]): string[] {
    return DEFINITION.choices.map((choice) => `${choice}:${clicks.filter((c) => c.choice === choice).map((c) => c.user).sort().join(',')}`);
}

function linesOf(summary: ChoiceSummary | undefined): string[] {
    return (summary?.choices ?? []).map((entry) => `${entry.choice}:${entry.users.join(',')}`);
}

type Keeper = (first: Rendered, read: () => Promise<Rendered>, show: (summary: ChoiceSummary) => Promise<boolean>) => Promise<unknown>;

/** Render once, no read-back: what the protocol replaced; the schedules must catch it. */
const renderOnce: Keeper = (first, _read, show) => show(first.summary);

async function runSchedule(seed: number, keep: Keeper): Promise<{ shown: string[]; expected: string[] }> {
    const random = seededRandom(seed);
    const writers = 2 + Math.floor(random() * 5);
    const clicks: Click[] = [];
    let shown: ChoiceSummary | undefined;
    const pending: Array<() => void> = [];
    /** a step of a writer: it runs when the schedule picks it */
    const step = <T>(run: () => T): Promise<T> => new Promise((resolve) => pending.push(() => resolve(run())));
    const read = () => step(() => rendered(DEFINITION, stateOf(clicks)));
    const show = (summary: ChoiceSummary) => step(() => ((shown = summary), true));
    const running: Array<Promise<unknown>> = [];
    let unstarted = writers;
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
    while (unstarted > 0 || pending.length > 0) {
        if (unstarted > 0 && (pending.length === 0 || random() < 0.3)) {
            // a click is decided; its writer holds the state its write answered
            clicks.push({ user: `u${writers - unstarted}`, choice: DEFINITION.choices[Math.floor(random() * DEFINITION.choices.length)] });
            unstarted -= 1;
            running.push(keep(rendered(DEFINITION, stateOf(clicks)), read, show));
        } else {
            pending.splice(Math.floor(random() * pending.length), 1)[0]();
        }
        await settle();
    }
    await Promise.all(running);
    return { shown: linesOf(shown), expected: expectedLines(clicks) };
}

describe('the summary on a message with choices, under seeded interleavings (last render wins)', () => {
    it(`shows every click once all writers are done: ${SCHEDULES} schedules`, async () => {
        const failures: number[] = [];
        for (let seed = 1; seed <= SCHEDULES; seed++) {
            const { shown, expected } = await runSchedule(seed, showLatest);
            if (JSON.stringify(shown) !== JSON.stringify(expected)) failures.push(seed);
        }
        expect(failures).toEqual([]);
    }, 300_000);

    it('the schedules catch a writer that renders once without reading back', async () => {
        let stale = 0;
        for (let seed = 1; seed <= 200; seed++) {
            const { shown, expected } = await runSchedule(seed, renderOnce);
            if (JSON.stringify(shown) !== JSON.stringify(expected)) stale += 1;
        }
        expect(stale).toBeGreaterThan(0);
    });
});

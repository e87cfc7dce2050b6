// SPEC §19 in the host's web client, in real Chromium against the packaged app: alice posts a message with choices
// from the composer (/meta choose), bob clicks a choice's button in his own signed-in browser, and alice sees the
// message's summary change without reloading; a refused click (first writer wins) is told to the clicker alone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SEED_ROOMS, startHost, type Host } from '../support/host';
import { launchChromium, screenshot, signIn, textOf, typeInComposer, type UserPage } from './browser';

const TEAM = SEED_ROOMS.team.id;

let host: Host;
let browser: Browser;
const pages: UserPage[] = [];

beforeAll(async () => {
    [host, browser] = await Promise.all([startHost(), launchChromium()]);
});

afterAll(async () => {
    for (const p of pages) await p.context.close().catch(() => undefined);
    await browser?.close();
    await host?.stop();
});

async function pageOf(user: 'alice' | 'bob'): Promise<UserPage> {
    const existing = pages.find((p) => p.user === user);
    if (existing) return existing;
    const page = await signIn(browser, host.first, user, TEAM);
    pages.push(page);
    return page;
}

/** The newest message of the app's bot in the room whose text shows `question`. */
const choiceMessage = (p: UserPage, question: string) =>
    p.page.locator('#messages .message[data-author="metadata-store.bot"]').filter({ hasText: question }).last();

/** The line of one choice in a message: its section, with the count and who picked it. */
const choiceLine = (message: ReturnType<typeof choiceMessage>, choice: string) =>
    message.locator('.uikit-blocks > .section').filter({ has: message.page().locator('button', { hasText: new RegExp(`^${choice}$`) }) });

describe('web client: a message with choices', () => {
    it('a click by one user changes the summary another sees, without a reload', async () => {
        const [alice, bob] = await Promise.all([pageOf('alice'), pageOf('bob')]);
        const origin = await alice.page.evaluate(() => performance.timeOrigin);
        await typeInComposer(alice.page, '/meta choose "Lunch today?" pizza sushi salad');
        const seenByAlice = choiceMessage(alice, 'Lunch today?');
        const seenByBob = choiceMessage(bob, 'Lunch today?');
        await expect.poll(() => textOf(choiceLine(seenByAlice, 'sushi')), { timeout: 15_000 }).toMatch(/sushi — no one yet/);
        await expect.poll(() => seenByBob.count(), { timeout: 15_000 }).toBe(1);

        await seenByBob.locator('button', { hasText: /^sushi$/ }).click();
        await expect.poll(() => textOf(choiceLine(seenByAlice, 'sushi')), { timeout: 15_000 }).toMatch(/sushi — 1: @bob/);
        await expect.poll(() => textOf(choiceLine(seenByBob, 'sushi')), { timeout: 15_000 }).toMatch(/sushi — 1: @bob/);
        expect(await textOf(choiceLine(seenByAlice, 'pizza'))).toMatch(/pizza — no one yet/);
        expect(await alice.page.evaluate(() => performance.timeOrigin)).toBe(origin);
        await screenshot(alice.page, 'choice-message');
    });

    it('first writer wins: a second click is refused, and only the clicker is told why', async () => {
        const [alice, bob] = await Promise.all([pageOf('alice'), pageOf('bob')]);
        await typeInComposer(alice.page, '/meta choose "Who takes ticket 42?" alice bob --type fww');
        const seenByBob = choiceMessage(bob, 'Who takes ticket 42?');
        await expect.poll(() => seenByBob.count(), { timeout: 15_000 }).toBe(1);
        await seenByBob.locator('button', { hasText: /^bob$/ }).click();
        await expect.poll(() => textOf(choiceLine(seenByBob, 'bob')), { timeout: 15_000 }).toMatch(/bob — 1: @bob/);
        await seenByBob.locator('button', { hasText: /^alice$/ }).click();
        await expect.poll(() => textOf(bob.page.locator('#messages .message.ephemeral').last()), { timeout: 15_000 }).toMatch(/first-writer-wins/);
        expect(await textOf(alice.page.locator('#messages .message.ephemeral').filter({ hasText: 'first-writer-wins' }))).toBe('');
        expect(await textOf(choiceLine(choiceMessage(alice, 'Who takes ticket 42?'), 'alice'))).toMatch(/alice — no one yet/);
    });
});

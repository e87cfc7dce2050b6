// The app's own panel (SPEC §17) in the web client, in real Chromium: open a room's contextual bar from the app's
// action button, edit an item in the modal, hit a compare-and-set conflict and see who changed it, vote in a set, and
// see a private room's panel refused to a non-member. These run against whatever blocks the app renders: they find
// controls by their visible words (an item's key, "Edit", the value voted for) within the block group of the item,
// never by the app's block or action ids. They skip only while the app registers no action buttons.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, SEED_ROOMS, startHost, type Host } from '../support/host';
import { clickFor, launchChromium, screenshot, signIn, textOf, typeInComposer, type UserPage } from './browser';

const TEAM = SEED_ROOMS.team.id;
const SECRET = SEED_ROOMS.secret.id;
const REFUSAL = /only members|not allowed|not a member|no access|access denied|denied|cannot|can't|may not|refused|permission|forbidden|not found|nicht/i;

let host: Host;
let browser: Browser;
let appButtons: Array<{ appId: string; actionId: string; context: string; labelI18n: string }> = [];
const pages: UserPage[] = [];

interface ItemView {
    items: Array<{ key: string; value: unknown; updatedBy?: string }>;
    state: Record<string, { byUser: Record<string, unknown> }>;
}

async function roomView(roomId: string, as: 'alice' | 'bob' = 'alice'): Promise<ItemView> {
    const res = await host.first.api<ItemView>(as, 'GET', `metadata/room/${roomId}`);
    expect(res.status).toBe(200);
    return res.body;
}

beforeAll(async () => {
    [host, browser] = await Promise.all([startHost(), launchChromium()]);
    const res = await host.first.rest<unknown>('alice', 'GET', '/api/apps/actionButtons');
    const list = res.status === 200 ? (Array.isArray(res.body) ? res.body : ((res.body as { buttons?: unknown[] })?.buttons ?? [])) : [];
    appButtons = (list as typeof appButtons).filter((b) => b.appId === APP_ID);
});

afterAll(async () => {
    for (const p of pages) await p.context.close().catch(() => undefined);
    await browser?.close();
    await host?.stop();
});

/** Skips the test while the app registers no action buttons (the panel is not there yet). */
function needsPanel(ctx: { skip: (condition: boolean, note?: string) => void }): void {
    ctx.skip(appButtons.length === 0, 'the app registers no action buttons (GET /api/apps/actionButtons)');
}

/** Clicks the app's room action that opens the panel ("Metadata", else its first room action) and waits for the bar. */
async function openPanel(page: Page): Promise<void> {
    const buttons = page.locator(`#room-actions button[data-app-id="${APP_ID}"]`);
    await expect.poll(() => buttons.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const named = buttons.filter({ hasText: /metadata|metadaten/i });
    await ((await named.count()) ? named.first() : buttons.first()).click();
    await expect.poll(() => page.locator('#contextual-bar').isVisible(), { timeout: 15_000 }).toBe(true);
}

/** Waits until the bar shows `text`, pressing the panel's refresh button once if it does not by itself. */
async function waitForBar(page: Page, text: string | RegExp): Promise<void> {
    const has = async () => {
        const t = await textOf(page.locator('#contextual-bar'));
        return typeof text === 'string' ? t.includes(text) : text.test(t);
    };
    try {
        await expect.poll(has, { timeout: 5_000 }).toBe(true);
    } catch {
        await clickFor(page, '#contextual-bar', '', /refresh|reload|aktualisieren|⟳|↻/i);
        await expect.poll(has, { timeout: 10_000 }).toBe(true);
    }
}

/** Writes `value` into the modal's first text field, keeping the JSON quoting the modal showed (`"blue"` or `blue`). */
async function fillModalValue(page: Page, value: string): Promise<void> {
    const field = page.locator('#modal textarea, #modal input[type="text"]').first();
    const before = await field.inputValue();
    await field.fill(before.trim().startsWith('"') ? JSON.stringify(value) : value);
}

describe("the app's panel in the web client", () => {
    it("opens the room's panel from the action button", async (ctx) => {
        needsPanel(ctx);
        const res = await host.first.command('alice', 'team', 'set here color=blue');
        expect(res.status).toBe(200);
        const alice = await signIn(browser, host.first, 'alice', TEAM);
        pages.push(alice);
        await openPanel(alice.page);
        await waitForBar(alice.page, 'color');
        await waitForBar(alice.page, 'blue');
        await screenshot(alice.page, 'panel-open');
    });

    it('opens the same panel with /meta and no arguments (a view the app pushes as a uiInteraction)', async (ctx) => {
        needsPanel(ctx);
        const { page } = pages[0];
        await page.click('#contextual-bar .close-x');
        await expect.poll(() => page.locator('#contextual-bar').isVisible()).toBe(false);
        await typeInComposer(page, '/meta');
        await expect.poll(() => page.locator('#contextual-bar').isVisible(), { timeout: 15_000 }).toBe(true);
        await waitForBar(page, 'color');
    });

    it('edits an item in the modal', async (ctx) => {
        needsPanel(ctx);
        const { page } = pages[0];
        expect(await clickFor(page, '#contextual-bar', 'color', /edit|change|bearbeiten|ändern|✎|✏/i)).toBe(true);
        await expect.poll(() => page.locator('#modal').count()).toBe(1);
        await screenshot(page, 'panel-edit');
        await fillModalValue(page, 'green');
        await page.click('#modal .view-submit');
        await expect.poll(() => page.locator('#modal').count(), { timeout: 15_000 }).toBe(0);
        await expect.poll(async () => (await roomView(TEAM)).items.find((i) => i.key === 'color')?.value).toBe('green');
        await waitForBar(page, 'green');
    });

    it('hits a conflict and says who changed the item to what', async (ctx) => {
        needsPanel(ctx);
        const { page } = pages[0];
        expect(await clickFor(page, '#contextual-bar', 'color', /edit|change|bearbeiten|ändern|✎|✏/i)).toBe(true);
        await expect.poll(() => page.locator('#modal').count()).toBe(1);
        // bob (a moderator of #team) changes it while alice's modal is open
        const bob = await host.first.command('bob', 'team', 'set here color=red');
        expect(bob.status).toBe(200);
        await fillModalValue(page, 'yellow');
        await page.click('#modal .view-submit');
        // the modal stays and says who changed it to what; nothing was written. (The app's answer is an `errors`
        // interaction or a `modal.update` of the SAME view id: Rocket.Chat's client, like this one, routes an update
        // to the open view whose id it names, so an update under a new id is dropped and the modal does not change.)
        const says = async () => {
            const text = await textOf(page.locator('#modal'));
            return /bob/i.test(text) && /red/.test(text);
        };
        await expect.poll(says, { timeout: 15_000, message: "the open modal should say that bob changed color to red (an update under another view id never reaches it)" }).toBe(true);
        expect((await roomView(TEAM)).items.find((i) => i.key === 'color')?.value).toBe('red');
        await screenshot(page, 'panel-conflict');
        await page.click('#modal .close-x');
        await expect.poll(() => page.locator('#modal').count()).toBe(0);
    });

    it('votes in a set with one click', async (ctx) => {
        needsPanel(ctx);
        const started = await host.first.command('alice', 'team', 'state here lunch add pizza');
        expect(started.status).toBe(200);
        const bob = await signIn(browser, host.first, 'bob', TEAM);
        pages.push(bob);
        await openPanel(bob.page);
        await waitForBar(bob.page, 'lunch');
        await waitForBar(bob.page, 'pizza');
        expect(await clickFor(bob.page, '#contextual-bar', 'lunch', /pizza/i, /remove|entfernen|−|✕|unvote/i)).toBe(true);
        await expect.poll(async () => JSON.stringify((await roomView(TEAM, 'bob')).state.lunch?.byUser?.['uid-bob'] ?? null), { timeout: 15_000 }).toContain('pizza');
        await waitForBar(bob.page, /pizza/);
        await screenshot(bob.page, 'panel-vote');
    });

    it("refuses a private room's panel to a non-member", async (ctx) => {
        needsPanel(ctx);
        const secret = await host.first.command('alice', 'secret', 'set here code=s3cr3t-value');
        expect(secret.status).toBe(200);
        // bob is no member of #secret: he follows a link to it; the room itself is refused by the server
        const bob = await signIn(browser, host.first, 'bob', SECRET);
        pages.push(bob);
        await expect.poll(() => textOf(bob.page.locator('.room-error'))).toMatch(/not allowed/i);
        // the client shows the app's room actions there (the room is not known to it); the app decides
        await expect.poll(() => bob.page.locator(`#room-actions button[data-app-id="${APP_ID}"]`).count(), { timeout: 15_000 }).toBeGreaterThan(0);
        await openPanelOrRefusal(bob.page);
        // whatever the app answers, nothing of #secret reaches bob, and what he sees says no
        await new Promise((r) => setTimeout(r, 1000));
        expect(await textOf(bob.page.locator('body'))).not.toContain('s3cr3t-value');
        const answer = [await textOf(bob.page.locator('#contextual-bar')), await textOf(bob.page.locator('#toasts')), await textOf(bob.page.locator('#modal-root')), await textOf(bob.page.locator('#messages .message.ephemeral'))].join(' ');
        expect(answer).toMatch(REFUSAL);
        await screenshot(bob.page, 'panel-refused');
    });
});

/** Clicks the panel button where the room is refused and waits for the app's answer: a bar, a toast or a reply. */
async function openPanelOrRefusal(page: Page): Promise<void> {
    const buttons = page.locator(`#room-actions button[data-app-id="${APP_ID}"]`);
    const named = buttons.filter({ hasText: /metadata|metadaten/i });
    await ((await named.count()) ? named.first() : buttons.first()).click();
    await expect
        .poll(
            async () => (await page.locator('#contextual-bar').isVisible()) || (await page.locator('#toasts .toast').count()) > 0 || (await page.locator('#modal').count()) > 0 || (await page.locator('#messages .message.ephemeral').count()) > 0,
            { timeout: 15_000 },
        )
        .toBe(true);
}

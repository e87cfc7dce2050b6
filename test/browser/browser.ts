// Browser tests of the host's web client: playwright-core drives Debian's Chromium (`apt-get install -y chromium`;
// `npx playwright install` cannot download browsers here). The host is started as the e2e suites start it
// (test/support/host.ts: the packaged app in the real engine, a fresh store), and the page talks to it like a user.
import fs from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

import { SEED_USERS, type HostInstance, type UserName } from '../support/host';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Where the tests save their screenshots: build/screenshots (not tracked), so a test run leaves the work tree clean;
 * `SCREENSHOTS_DIR=docs/screenshots` refreshes the ones the README shows.
 */
export const SCREENSHOTS = path.resolve(__dirname, '../..', process.env.SCREENSHOTS_DIR ?? 'build/screenshots');

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export function launchChromium(): Promise<Browser> {
    if (!fs.existsSync(CHROMIUM)) {
        throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does), or set CHROMIUM_PATH`);
    }
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
}

export interface UserPage {
    user: UserName;
    context: BrowserContext;
    page: Page;
}

/** A new browser context (its own storage: one signed-in user per context) with the client signed in as `user`. */
export async function signIn(browser: Browser, instance: HostInstance, user: UserName, roomId?: string, setup?: (context: BrowserContext) => Promise<void>): Promise<UserPage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(15_000);
    await setup?.(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => process.stderr.write(`[browser ${user}] page error: ${error.stack ?? error}\n`));
    await page.goto(`${instance.url}/${roomId ? `#/room/${encodeURIComponent(roomId)}` : ''}`);
    await page.fill('#login-user', user);
    await page.fill('#login-password', SEED_USERS[user].password);
    await page.click('#login-submit');
    await expect.poll(() => page.evaluate<string>("document.body.dataset.ready ?? ''"), { timeout: 15_000 }).toBe('true');
    return { user, context, page };
}

export async function openRoom(page: Page, roomId: string): Promise<void> {
    await page.click(`#rooms a[data-room-id="${roomId}"]`);
    await expect.poll(() => page.locator('#rooms a.active').getAttribute('data-room-id')).toBe(roomId);
}

/** Types a line into the composer and sends it (Enter), as a user would. */
export async function typeInComposer(page: Page, text: string): Promise<void> {
    await page.fill('#composer', text);
    await page.press('#composer', 'Enter');
}

export async function screenshot(page: Page, name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
}

/** The visible text of a locator, whitespace collapsed ('' when it is not there). */
export async function textOf(locator: Locator): Promise<string> {
    if ((await locator.count()) === 0) return '';
    return ((await locator.first().innerText()) ?? '').replace(/\s+/g, ' ').trim();
}

// Runs in the page (a string, so that this Node-side code needs no DOM typings): marks the control to click.
const FIND_CONTROL = `({ scope, anchor, label, flags, exclude }) => {
    const re = new RegExp(label, flags);
    const no = exclude ? new RegExp(exclude, 'i') : undefined;
    const root = document.querySelector(scope);
    if (!root) return undefined;
    document.querySelectorAll('[data-test-target]').forEach((e) => e.removeAttribute('data-test-target'));
    const groups = [];
    for (const block of Array.from(root.querySelectorAll('.uikit-blocks > *'))) {
        if (!groups.length || block.matches('.section, .divider, .input')) groups.push([]);
        groups[groups.length - 1].push(block);
    }
    const controls = (blocks) => blocks.flatMap((b) => Array.from(b.querySelectorAll('button, [role="menuitem"], option')));
    const labelOf = (c) => (c.textContent || '') + ' ' + (c.getAttribute('data-value') || '') + ' ' + (c.getAttribute('value') || '');
    const fits = (c) => re.test(labelOf(c)) && !(no && no.test(c.textContent || '')) && !c.classList.contains('overflow-toggle');
    const inGroup = groups.filter((g) => g.some((b) => (b.textContent || '').includes(anchor))).flatMap(controls);
    const target = inGroup.find(fits) || controls(groups.flat()).find(fits);
    if (!target) return undefined;
    target.setAttribute('data-test-target', '1');
    return target.tagName === 'OPTION' ? 'option' : target.closest('.uikit-overflow') ? 'menuitem' : 'button';
}`;

/**
 * Finds, in a rendered surface (`scope`: the bar or the modal), the control labelled `label` (its text or value) that
 * belongs to the group of blocks showing `anchor` — a group starts at each section, divider or input block, so an
 * item's section, its context line and its actions go together — and clicks it: a button, an overflow menu entry
 * (opening the menu first) or a select option. Falls back to the first such control anywhere in the surface.
 * `exclude` rules out controls whose text matches it. Returns false when there is none.
 */
export async function clickFor(page: Page, scope: string, anchor: string, label: RegExp, exclude?: RegExp): Promise<boolean> {
    const args = { scope, anchor, label: label.source, flags: label.flags.replace('g', ''), exclude: exclude?.source };
    const found = await page.evaluate<string | undefined>(`(${FIND_CONTROL})(${JSON.stringify(args)})`);
    if (!found) return false;
    const target = page.locator(`${scope} [data-test-target="1"]`);
    if (found === 'option') {
        await target.locator('xpath=ancestor::select').selectOption((await target.getAttribute('value')) ?? '');
    } else {
        if (found === 'menuitem') await target.locator('xpath=ancestor::div[contains(@class,"uikit-overflow")]').locator('.overflow-toggle').click();
        await target.click();
    }
    return true;
}

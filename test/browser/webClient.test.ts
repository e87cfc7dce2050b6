// The host's web client in real Chromium: sign in, a room, the composer running /meta with its ephemeral reply,
// another user's message and a subscription's change events appearing without a reload.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SEED_ROOMS, startHost, type Host } from '../support/host';
import { launchChromium, openRoom, screenshot, signIn, textOf, typeInComposer, type UserPage } from './browser';

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

describe('web client', () => {
    it('serves the page and its bundle at /', async () => {
        const page = await fetch(`${host.first.url}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        expect(await page.text()).toContain('/web/client.js');
        const bundle = await fetch(`${host.first.url}/web/client.js`);
        expect(bundle.status).toBe(200);
        expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    });

    it('refuses a wrong password and signs in a seeded user', async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${host.first.url}/`);
        await page.fill('#login-user', 'alice');
        await page.fill('#login-password', 'wrong');
        await page.click('#login-submit');
        await expect.poll(() => textOf(page.locator('.login-error'))).toMatch(/wrong username or password/i);
        await context.close();

        const alice = await signIn(browser, host.first, 'alice');
        pages.push(alice);
        const rooms = await alice.page.locator('#rooms a.room').evaluateAll((as) => as.map((a) => a.getAttribute('data-room-id')));
        // alice's rooms: the public ones, her private #secret and her DMs
        expect(rooms).toEqual(expect.arrayContaining([SEED_ROOMS.general.id, TEAM, SEED_ROOMS.secret.id, SEED_ROOMS.dmAliceBob.id]));
    });

    it('runs /meta set in the composer and shows the ephemeral reply', async () => {
        const { page } = pages[0];
        await openRoom(page, TEAM);
        await typeInComposer(page, '/meta set here color=blue');
        const reply = page.locator('#messages .message.ephemeral', { hasText: 'color' });
        await expect.poll(() => textOf(reply)).toMatch(/Saved on #team.*color.*blue/);
        expect(await textOf(reply)).toMatch(/only you can see this message/i);
        expect(await page.inputValue('#composer')).toBe('');
        // the write really happened
        const view = await host.first.api('alice', 'GET', `metadata/room/${TEAM}`);
        expect((view.body as { items: Array<{ key: string; value: unknown }> }).items).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'color', value: 'blue' })]));
        await screenshot(page, 'web-client-meta-set');
    });

    it("shows another user's message without a reload", async () => {
        const { page } = pages[0];
        const before = await page.evaluate(() => performance.timeOrigin);
        await host.first.postMessage('bob', 'team', 'lunch at noon?');
        const message = page.locator('#messages .message[data-author="bob"]', { hasText: 'lunch at noon?' });
        await expect.poll(() => message.count(), { timeout: 10_000 }).toBe(1);
        // same document: no reload happened
        expect(await page.evaluate(() => performance.timeOrigin)).toBe(before);
        // and a message alice sends appears for bob
        const bob = await signIn(browser, host.first, 'bob', TEAM);
        pages.push(bob);
        await typeInComposer(page, 'noon works');
        await expect.poll(() => bob.page.locator('#messages .message[data-author="alice"]', { hasText: 'noon works' }).count(), { timeout: 10_000 }).toBe(1);
        await screenshot(bob.page, 'web-client-messages');
    });

    it('shows the change events of a subscription as they happen', async () => {
        const { page } = pages[0];
        await typeInComposer(page, '/meta subscribe here');
        await expect.poll(() => textOf(page.locator('#messages .message.ephemeral', { hasText: 'Subscribed to' }))).toMatch(/Subscribed to/);
        const res = await host.first.command('bob', 'team', 'set here mood=happy');
        expect(res.status).toBe(200);
        const event = page.locator('#messages .message.ephemeral', { hasText: 'changed by bob' });
        await expect.poll(() => textOf(event), { timeout: 10_000 }).toMatch(/#team changed by bob.*mood/);
        await screenshot(page, 'web-client-events');
    });

    it('shows the refusal of a room the user is not in', async () => {
        const bob = pages.find((p) => p.user === 'bob') as UserPage;
        expect(await bob.page.locator(`#rooms a[data-room-id="${SEED_ROOMS.secret.id}"]`).count()).toBe(0);
        await bob.page.evaluate(`location.hash = '#/room/${SEED_ROOMS.secret.id}'`);
        await expect.poll(() => textOf(bob.page.locator('.room-error'))).toMatch(/not allowed/i);
        expect(await bob.page.locator('#messages .message').count()).toBe(0);
    });

    it("tells a user a command's failure in the room", async () => {
        const { page } = pages[0];
        await typeInComposer(page, '/nosuchcommand');
        await expect.poll(() => textOf(page.locator('#messages .message.ephemeral', { hasText: 'nosuchcommand' }))).toMatch(/no such command/i);
    });
});

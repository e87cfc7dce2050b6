// The web client's room messages as they change on the server, in real Chromium against a host running the test
// probe app (test/support/probe-app): deleting from a message's menu (chat.delete), a message deleted elsewhere going
// away, and a bot message the app edits (modify.getUpdater().message: new text and blocks) re-rendered in place.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SEED_ROOMS, startHost, type Host } from '../support/host';
import { probeAppZip } from '../support/probeApp';
import { launchChromium, screenshot, signIn, textOf, type UserPage } from './browser';

const TEAM = SEED_ROOMS.team.id;

let host: Host;
let browser: Browser;
const pages: UserPage[] = [];

beforeAll(async () => {
    [host, browser] = await Promise.all([startHost({ appZip: probeAppZip() }), launchChromium()]);
});

afterAll(async () => {
    for (const p of pages) await p.context.close().catch(() => undefined);
    await browser?.close();
    await host?.stop();
});

async function pageOf(user: 'alice' | 'carol'): Promise<UserPage> {
    const existing = pages.find((p) => p.user === user);
    if (existing) return existing;
    const page = await signIn(browser, host.first, user, TEAM);
    pages.push(page);
    return page;
}

const messageIn = (p: UserPage, id: string) => p.page.locator(`#messages .message[data-mid="${id}"]`);
const stillInRoom = async (id: string) => (await host.first.messages('team')).some((m) => m._id === id);

describe('web client: messages that change', () => {
    it('deletes a message from its menu, after a confirmation, and it is gone', async () => {
        const alice = await pageOf('alice');
        const id = (await host.first.postMessage('alice', 'team', 'delete me'))._id as string;
        const node = messageIn(alice, id);
        await expect.poll(() => node.count(), { timeout: 10_000 }).toBe(1);
        await node.hover();
        await node.locator('.message-menu-toggle').click();
        await node.locator('[data-qa="delete-message"]').click();
        expect(await textOf(alice.page.locator('.overlay.confirm'))).toMatch(/Are you sure\?.*recover this message/);
        await alice.page.click('[data-qa="confirm-yes"]');
        await expect.poll(() => node.count()).toBe(0);
        expect(await stillInRoom(id)).toBe(false);
    });

    it("offers no Delete on someone else's message to a member without a room role", async () => {
        const carol = await pageOf('carol');
        const id = (await host.first.postMessage('alice', 'team', 'not yours'))._id as string;
        await expect.poll(() => messageIn(carol, id).count(), { timeout: 10_000 }).toBe(1);
        expect(await messageIn(carol, id).locator('[data-qa="delete-message"]').count()).toBe(0);
        // her own message has it
        const own = (await host.first.postMessage('carol', 'team', 'mine'))._id as string;
        await expect.poll(() => messageIn(carol, own).locator('[data-qa="delete-message"]').count(), { timeout: 10_000 }).toBe(1);
    });

    it('takes away a message deleted elsewhere, without a reload', async () => {
        const alice = await pageOf('alice');
        const origin = await alice.page.evaluate(() => performance.timeOrigin);
        const id = (await host.first.postMessage('carol', 'team', 'short-lived'))._id as string;
        await expect.poll(() => messageIn(alice, id).count(), { timeout: 10_000 }).toBe(1);
        expect((await host.first.rest('carol', 'POST', '/api/v1/chat.delete', { roomId: TEAM, msgId: id })).status).toBe(200);
        await expect.poll(() => messageIn(alice, id).count(), { timeout: 10_000 }).toBe(0);
        expect(await alice.page.evaluate(() => performance.timeOrigin)).toBe(origin);
    });

    it('shows a message the app edits in place, with its new text and buttons, without a reload', async () => {
        const alice = await pageOf('alice');
        const origin = await alice.page.evaluate(() => performance.timeOrigin);
        expect((await host.first.command('alice', 'team', 'post Lunch at noon', 'probe')).status).toBe(200);
        const bot = (await host.first.messages('team')).filter((m) => (m.u as { username: string }).username === 'host-probe.bot').pop();
        const id = bot?._id as string;
        const node = messageIn(alice, id);
        await expect.poll(() => textOf(node), { timeout: 10_000 }).toMatch(/Lunch at noon.*About Lunch at noon/);
        const order = () => alice.page.locator('#messages .message').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-mid')));
        const before = await order();
        // the message above it is not touched by the edit: its node stays (marked here to tell)
        await alice.page.locator('#messages .message').nth(before.indexOf(id) - 1).evaluate((n) => n.setAttribute('data-kept', 'yes'));

        expect((await host.first.command('alice', 'team', `edit ${id} Lunch at one`, 'probe')).status).toBe(200);
        await expect.poll(() => textOf(node), { timeout: 10_000 }).toMatch(/\(edited\).*Lunch at one.*About Lunch at one/);
        expect(await textOf(node)).not.toMatch(/noon/);
        expect(await order()).toEqual(before);
        expect(await alice.page.locator('#messages .message[data-kept="yes"]').count()).toBe(1);
        expect(await alice.page.evaluate(() => performance.timeOrigin)).toBe(origin);
        await screenshot(alice.page, 'web-client-edited-message');
    });
});

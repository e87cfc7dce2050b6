// The web client's side of Rocket.Chat's UIKit protocol, independent of any app's views: the browser's calls to
// GET /api/apps/actionButtons and POST /api/apps/ui.interaction/:appId are answered here (Playwright routes) with
// Rocket.Chat's shapes, so this pins what the client sends (actionButton, blockAction, viewSubmit, viewClosed, each
// with a fresh triggerId) and how it renders what it gets (contextual_bar.open, modal.open, errors, modal.update).
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, SEED_ROOMS, SEED_USERS, startHost, type Host } from '../support/host';
import { clickFor, launchChromium, openRoom, screenshot, signIn, textOf, type UserPage } from './browser';

const TEAM = SEED_ROOMS.team.id;
const plain = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });

const BUTTONS = [
    { appId: APP_ID, actionId: 'fixture-room', context: 'roomAction', labelI18n: 'Fixture panel', when: { roomTypes: ['public_channel', 'private_channel'] } },
    { appId: APP_ID, actionId: 'fixture-dm-only', context: 'roomAction', labelI18n: 'Only in DMs', when: { roomTypes: ['direct'] } },
    { appId: APP_ID, actionId: 'fixture-admins', context: 'roomAction', labelI18n: 'Admins only', when: { hasOneRole: ['admin'] } },
    { appId: APP_ID, actionId: 'fixture-me', context: 'userDropdownAction', labelI18n: 'Fixture me' },
    { appId: APP_ID, actionId: 'fixture-notify', context: 'userDropdownAction', labelI18n: 'Fixture notify' },
    { appId: APP_ID, actionId: 'fixture-message', context: 'messageAction', labelI18n: 'Fixture sender', when: { messageActionContext: ['message'] } },
    { appId: APP_ID, actionId: 'fixture-box', context: 'messageBoxAction', labelI18n: 'Fixture composer' },
];

const BAR = {
    id: 'fixture-bar',
    appId: APP_ID,
    type: 'contextualBar',
    title: plain('Metadata of #team'),
    blocks: [
        { type: 'section', blockId: 'item:color', text: md('*color* = `blue`'), accessory: { type: 'overflow', actionId: 'item-menu', options: [{ text: plain('Edit'), value: 'edit:color' }, { text: plain('Remove'), value: 'remove:color' }] } },
        { type: 'context', elements: [md('rev 3 · private · by @bob, 2 minutes ago')] },
        { type: 'actions', blockId: 'item-actions:color', elements: [{ type: 'button', actionId: 'edit', text: plain('Edit'), value: 'color', style: 'primary' }, { type: 'button', actionId: 'remove', text: plain('Remove'), value: 'color', style: 'danger', confirm: { title: plain('Remove color?'), text: md('This removes *color* for everybody.'), confirm: plain('Remove'), deny: plain('Keep'), style: 'danger' } }] },
        { type: 'divider' },
        { type: 'section', blockId: 'state:lunch', text: md('*lunch* (set)\n• pizza — 2 (alice, carol)'), fields: [md('*yours*'), md('pizza')] },
        { type: 'actions', blockId: 'state-actions:lunch', elements: [{ type: 'button', actionId: 'vote', text: plain('+ sushi'), value: 'lunch:sushi' }, { type: 'static_select', actionId: 'pick', placeholder: plain('Add a value'), options: [{ text: plain('tacos'), value: 'tacos' }, { text: plain('ramen'), value: 'ramen' }] }] },
        { type: 'conditional', when: { engine: ['livechat'] }, render: [{ type: 'section', text: plain('only in livechat') }] },
        { type: 'callout', text: plain('callouts are not for contextual bars') },
    ],
};

const MODAL = {
    id: 'fixture-modal',
    appId: APP_ID,
    type: 'modal',
    title: plain('Edit color'),
    submit: { type: 'button', actionId: 'save', text: plain('Save'), appId: APP_ID, blockId: 'footer' },
    close: { type: 'button', actionId: 'cancel', text: plain('Cancel'), appId: APP_ID, blockId: 'footer' },
    blocks: [
        { type: 'context', elements: [md('revision 3')] },
        { type: 'input', blockId: 'value', label: plain('Value'), element: { type: 'plain_text_input', actionId: 'value', initialValue: 'blue', multiline: true } },
        { type: 'input', blockId: 'visibility', label: plain('Visibility'), element: { type: 'static_select', actionId: 'visibility', initialValue: 'private', placeholder: plain('Visibility'), options: [{ text: plain('public'), value: 'public' }, { text: plain('private'), value: 'private' }] } },
    ],
};

let host: Host;
let browser: Browser;
let alice: UserPage;
const posted: Array<Record<string, unknown>> = [];
let submits = 0;

async function answerInteraction(route: Route): Promise<void> {
    const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown> & { triggerId: string; payload?: Record<string, unknown> };
    posted.push(body);
    const reply = (answer: Record<string, unknown>) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) });
    const base = { triggerId: body.triggerId, appId: APP_ID };
    if (body.type === 'actionButton' && body.actionId === 'fixture-notify') return reply({ success: true }); // the view comes as a notification
    if (body.type === 'actionButton') return reply({ ...base, type: 'contextual_bar.open', view: BAR });
    if (body.type === 'blockAction' && body.actionId === 'edit') return reply({ ...base, type: 'modal.open', view: MODAL });
    if (body.type === 'viewSubmit') {
        submits++;
        if (submits === 1) return reply({ ...base, type: 'errors', viewId: MODAL.id, errors: { value: 'bob changed color to "red" meanwhile (revision 4): nothing was written' } });
        if (submits === 2) return reply({ ...base, type: 'modal.update', view: { ...MODAL, title: plain('Edit color (revision 4)'), blocks: [{ type: 'section', text: md('Now `red`, by @bob') }, ...MODAL.blocks.slice(1)] } });
        return reply({ success: true });
    }
    return reply({ success: true });
}

beforeAll(async () => {
    [host, browser] = await Promise.all([startHost(), launchChromium()]);
});

afterAll(async () => {
    await alice?.context.close().catch(() => undefined);
    await browser?.close();
    await host?.stop();
});

/**
 * A `uiInteraction` notification, as the host's UiInteractionBridge records what an app's UIController sends
 * (openModalView & co.): a row in the host store's notifications table, which the page's long-poll delivers.
 */
function pushUiInteraction(userId: string, interaction: Record<string, unknown>): void {
    const db = new Database(path.join(host.dataDir, 'host.sqlite'));
    try {
        db.prepare('INSERT INTO notifications (uid, rid, kind, ts, instance, doc) VALUES (?, ?, ?, ?, ?, ?)').run(userId, null, 'uiInteraction', new Date().toISOString(), null, JSON.stringify(interaction));
    } finally {
        db.close();
    }
}

const last = (type: string) => [...posted].reverse().find((p) => p.type === type) as Record<string, unknown> & { payload: Record<string, unknown> };

describe('UIKit in the web client (Rocket.Chat shapes, answered by the test)', () => {
    it('shows the action buttons a room and a user qualify for, and sends actionButton', async () => {
        alice = await signIn(browser, host.first, 'alice', undefined, async (context) => {
            await context.route('**/api/apps/actionButtons', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(BUTTONS) }));
            await context.route('**/api/apps/ui.interaction/**', answerInteraction);
        });
        const { page } = alice;
        await openRoom(page, TEAM);
        const labels = await page.locator('#room-actions button').allInnerTexts();
        expect(labels).toEqual(['Fixture panel']);
        await page.click('#user-menu-toggle');
        expect(await page.locator('#user-menu [data-action-id="fixture-me"]').innerText()).toBe('Fixture me');
        await page.click('#user-menu-toggle');

        await page.click('#room-actions button[data-action-id="fixture-room"]');
        await expect.poll(() => textOf(page.locator('#contextual-bar'))).toContain('Metadata of #team');
        const sent = last('actionButton');
        expect(sent).toEqual({ type: 'actionButton', actionId: 'fixture-room', rid: TEAM, payload: { context: 'roomAction' }, triggerId: expect.any(String) });
    });

    it('renders a contextual bar from its blocks', async () => {
        const bar = alice.page.locator('#contextual-bar');
        const text = await textOf(bar);
        expect(text).toContain('color = blue');
        expect(text).toContain('rev 3 · private · by @bob');
        expect(text).toContain('pizza — 2 (alice, carol)');
        expect(text).not.toContain('only in livechat'); // a conditional block for another engine
        expect(text).not.toContain('callouts are not for contextual bars'); // not a contextual bar block
        expect(await bar.locator('strong', { hasText: 'color' }).count()).toBe(1); // mrkdwn
        expect(await bar.locator('button.uikit-button.primary', { hasText: 'Edit' }).count()).toBe(1);
        await screenshot(alice.page, 'uikit-contextual-bar');
    });

    it('sends blockAction from a view with the view as container, from buttons, overflow menus and selects', async () => {
        const { page } = alice;
        await page.click('#contextual-bar button[data-action-id="vote"]');
        await expect.poll(() => last('blockAction')?.actionId).toBe('vote');
        expect(last('blockAction')).toEqual({ type: 'blockAction', actionId: 'vote', payload: { blockId: 'state-actions:lunch', value: 'lunch:sushi' }, container: { type: 'view', id: BAR.id }, triggerId: expect.any(String) });

        await page.click('#contextual-bar .overflow-toggle');
        await page.click('#contextual-bar [role="menuitem"][data-value="remove:color"]');
        await expect.poll(() => last('blockAction')?.actionId).toBe('item-menu');
        expect(last('blockAction').payload).toEqual({ blockId: 'item:color', value: 'remove:color' });

        await page.selectOption('#contextual-bar select[data-action-id="pick"]', 'ramen');
        await expect.poll(() => last('blockAction')?.actionId).toBe('pick');
        expect(last('blockAction').payload).toEqual({ blockId: 'state-actions:lunch', value: 'ramen' });

        // a button with a confirmation dialog: denied, nothing is sent; confirmed, the action goes out
        const count = posted.length;
        await page.click('#contextual-bar button[data-action-id="remove"]');
        expect(await textOf(page.locator('.overlay.confirm'))).toContain('This removes color for everybody.');
        await page.click('.overlay.confirm [data-qa="confirm-no"]');
        expect(posted.length).toBe(count);
        await page.click('#contextual-bar button[data-action-id="remove"]');
        await page.click('.overlay.confirm [data-qa="confirm-yes"]');
        await expect.poll(() => last('blockAction')?.actionId).toBe('remove');

        // the panel tests' finder (test/browser/panel.test.ts): by words, within an item's group of blocks
        expect(await clickFor(page, '#contextual-bar', 'lunch', /sushi/i, /remove/i)).toBe(true);
        await expect.poll(() => (last('blockAction').payload as { value?: unknown }).value).toBe('lunch:sushi');
        expect(await clickFor(page, '#contextual-bar', 'color', /^edit/i)).toBe(true); // the overflow entry of color's section
        await expect.poll(() => (last('blockAction').payload as { value?: unknown }).value).toBe('edit:color');
        expect(await clickFor(page, '#contextual-bar', 'lunch', /tacos/)).toBe(true);
        await expect.poll(() => (last('blockAction').payload as { value?: unknown }).value).toBe('tacos');
        expect(await clickFor(page, '#contextual-bar', 'lunch', /no such control/)).toBe(false);

        // every interaction carried its own triggerId
        const triggers = posted.map((p) => p.triggerId);
        expect(new Set(triggers).size).toBe(triggers.length);
    });

    it('opens a modal, shows the errors the app reports, takes an update, and closes on success', async () => {
        const { page } = alice;
        await page.click('#contextual-bar button[data-action-id="edit"]');
        const modal = page.locator('#modal');
        await expect.poll(() => textOf(modal)).toContain('Edit color');
        expect(await page.inputValue('#modal textarea[data-action-id="value"]')).toBe('blue');
        await page.fill('#modal textarea[data-action-id="value"]', 'green');
        await page.selectOption('#modal select[data-action-id="visibility"]', 'public');

        await page.click('#modal .view-submit');
        await expect.poll(() => textOf(modal.locator('.input-error'))).toContain('bob changed color to "red" meanwhile');
        expect(last('viewSubmit')).toEqual({
            type: 'viewSubmit',
            payload: { view: expect.objectContaining({ id: MODAL.id, appId: APP_ID, state: { value: { value: 'green' }, visibility: { visibility: 'public' } } }) },
            viewId: MODAL.id,
            triggerId: expect.any(String),
        });
        await screenshot(page, 'uikit-modal-errors');

        await page.click('#modal .view-submit');
        await expect.poll(() => textOf(modal)).toContain('Edit color (revision 4)');
        expect(await textOf(modal)).toContain('Now red, by @bob');
        // what the user typed is kept across the update, as Rocket.Chat keeps a view's values
        expect(await page.inputValue('#modal textarea[data-action-id="value"]')).toBe('green');

        await page.click('#modal .view-submit');
        await expect.poll(() => modal.count()).toBe(0);
        expect(await textOf(page.locator('#contextual-bar'))).toContain('Metadata of #team');
    });

    it('sends actionButton from a message, the composer and the user menu, with their context', async () => {
        const { page } = alice;
        const message = await host.first.postMessage('bob', 'team', 'a message with actions');
        const row = page.locator('#messages .message', { hasText: 'a message with actions' });
        await expect.poll(() => row.count()).toBe(1);
        await row.hover();
        await row.locator('.message-menu-toggle').click();
        await row.locator('[data-action-id="fixture-message"]').click();
        await expect.poll(() => last('actionButton')?.actionId).toBe('fixture-message');
        expect(last('actionButton')).toEqual({ type: 'actionButton', actionId: 'fixture-message', rid: TEAM, mid: message._id, payload: { context: 'messageAction' }, triggerId: expect.any(String) });

        await page.fill('#composer', 'draft text');
        await page.click('#box-actions-toggle');
        await page.click('#box-actions [data-action-id="fixture-box"]');
        await expect.poll(() => last('actionButton')?.actionId).toBe('fixture-box');
        expect(last('actionButton')).toEqual({ type: 'actionButton', actionId: 'fixture-box', rid: TEAM, payload: { context: 'messageBoxAction', message: 'draft text' }, triggerId: expect.any(String) });

        await page.click('#user-menu-toggle');
        await page.click('#user-menu [data-action-id="fixture-me"]');
        await expect.poll(() => last('actionButton')?.actionId).toBe('fixture-me');
        expect(last('actionButton')).toEqual({ type: 'actionButton', actionId: 'fixture-me', payload: { context: 'userDropdownAction' }, triggerId: expect.any(String) });
        // each opened the fixture's contextual bar again
        expect(await textOf(page.locator('#contextual-bar'))).toContain('Metadata of #team');
        await page.fill('#composer', '');
    });

    it('acts on a uiInteraction notification only when this page issued its triggerId', async () => {
        const { page } = alice;
        const view = { ...MODAL, id: 'notified-modal', title: plain('Opened by a notification') };
        pushUiInteraction(SEED_USERS.alice.id, { type: 'modal.open', triggerId: 'not-issued-here', appId: APP_ID, view });
        await new Promise((r) => setTimeout(r, 1500));
        expect(await page.locator('#modal').count()).toBe(0);

        await page.click('#user-menu-toggle');
        await page.click('#user-menu [data-action-id="fixture-notify"]');
        await expect.poll(() => last('actionButton')?.actionId).toBe('fixture-notify');
        const triggerId = last('actionButton').triggerId as string;
        pushUiInteraction(SEED_USERS.alice.id, { type: 'modal.open', triggerId, appId: APP_ID, view });
        await expect.poll(() => textOf(page.locator('#modal')), { timeout: 10_000 }).toContain('Opened by a notification');
        await page.click('#modal .close-x');
        await expect.poll(() => page.locator('#modal').count()).toBe(0);

        // a triggerId is used once
        pushUiInteraction(SEED_USERS.alice.id, { type: 'modal.open', triggerId, appId: APP_ID, view });
        await new Promise((r) => setTimeout(r, 1500));
        expect(await page.locator('#modal').count()).toBe(0);
    });

    it('sends viewClosed when a view is cancelled (isCleared false) or closed (isCleared true)', async () => {
        const { page } = alice;
        await page.click('#contextual-bar button[data-action-id="edit"]');
        await expect.poll(() => page.locator('#modal').count()).toBe(1);
        await page.click('#modal .view-close');
        await expect.poll(() => last('viewClosed')?.payload?.viewId).toBe(MODAL.id);
        expect(last('viewClosed')).toEqual({
            type: 'viewClosed',
            payload: { viewId: MODAL.id, view: expect.objectContaining({ id: MODAL.id, state: { value: { value: 'blue' }, visibility: { visibility: 'private' } } }), isCleared: false },
            triggerId: expect.any(String),
        });
        expect(await page.locator('#modal').count()).toBe(0);

        await page.click('#contextual-bar .close-x');
        await expect.poll(() => last('viewClosed')?.payload?.viewId).toBe(BAR.id);
        expect(last('viewClosed').payload.isCleared).toBe(true);
        expect(await page.locator('#contextual-bar').isHidden()).toBe(true);
    });
});

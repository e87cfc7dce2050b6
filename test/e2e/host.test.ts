// The packaged app (dist/*.zip) in the real Apps-Engine 1.62 with its real Deno runtime, through the local host
// (host/), the way a Rocket.Chat server runs it: permission checks on, the server's persistence semantics, the
// app's bot, endpoints behind authentication, one shared store for every instance.
//
// Tests marked [app] exercise the app's own behaviour (SPEC §7/§8); a failure there is the app's, reproduced on
// the real engine. The others check the host and the packaging.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, DEFAULT_ZIP, SEED_ROOMS, SEED_USERS, startHost, type Host } from '../support/host';

const BOT = 'metadata-store.bot';
const appJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../app.json'), 'utf8')) as { version: string; permissions: Array<{ name: string }> };

/** §7 write of one public item on the #team room (alice owns it), returning the response. */
async function putTopic(host: Host, instance: number, value: unknown) {
    return host.instances[instance].api('alice', 'PUT', `metadata/room/${SEED_ROOMS.team.id}`, { items: [{ key: 'topic', value, visibility: 'public' }] });
}

async function topicOf(host: Host, instance: number, as: 'alice' | 'bob' = 'bob') {
    const res = await host.instances[instance].api(as, 'GET', `metadata/room/${SEED_ROOMS.team.id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.document as Record<string, unknown> | undefined)?.topic;
}

describe('one instance: the packaged app on the real engine', () => {
    let host: Host;

    beforeAll(async () => {
        host = await startHost();
    });

    afterAll(async () => {
        await host?.stop();
    });

    it('installs and enables the package, granting exactly the permissions app.json requests', async () => {
        const app = await host.first.app();
        expect(app).toMatchObject({ id: APP_ID, version: appJson.version, enabled: true, status: 'manually_enabled', storedStatus: 'manually_enabled' });
        expect(app?.permissionsGranted?.map((p) => p.name).sort()).toEqual(appJson.permissions.map((p) => p.name).sort());
    });

    it('gets the bot user the engine creates for it (type app, role app)', async () => {
        const bot = await host.first.userInfo(BOT);
        expect(bot).toMatchObject({ username: BOT, type: 'app', roles: ['app'], appId: APP_ID, active: true });
    });

    it('registers /meta as a slash command of the app', async () => {
        expect(await host.first.commands()).toEqual(expect.arrayContaining([expect.objectContaining({ command: 'meta', appId: APP_ID })]));
    });

    it('answers 401 on its endpoints without a valid login, and gives the app the caller otherwise', async () => {
        const anonymous = await host.first.api(null, 'GET', 'metadata/user/me');
        expect(anonymous.status).toBe(401);
        expect(anonymous.body).toEqual({ status: 'error', message: 'You must be logged in to do this.' });
        const forged = await host.first.api({ 'X-User-Id': SEED_USERS.alice.id, 'X-Auth-Token': SEED_USERS.bob.token }, 'GET', 'metadata/user/me');
        expect(forged.status).toBe(401);
        const alice = await host.first.api('alice', 'GET', 'metadata/user/me');
        expect(alice.status, JSON.stringify(alice.body)).toBe(200);
        expect(alice.body.subject).toMatchObject({ namespace: 'user', id: SEED_USERS.alice.id });
    });

    it('[app] /meta help replies to the caller only, from the bot, and posts nothing in the room', async () => {
        const bobBefore = await host.first.notifications('bob');
        const res = await host.first.command('alice', 'team', 'help');
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.replies.length).toBeGreaterThan(0);
        expect(res.replies[0]).toMatchObject({ userId: SEED_USERS.alice.id, roomId: SEED_ROOMS.team.id, kind: 'ephemeral' });
        expect((res.replies[0].message.u as { username: string }).username).toBe(BOT);
        expect(await host.first.notifications('bob')).toEqual(bobBefore);
        expect(await host.first.messages('team')).toEqual([]);
    });

    it('[app] stores a write and reads it back (§7 PUT then GET), then the §8 command sees it', async () => {
        const put = await putTopic(host, 0, 'launch');
        expect(put.status, JSON.stringify(put.body)).toBe(200);
        expect(put.body.majorRevision).toBe(1);
        expect(await topicOf(host, 0)).toBe('launch');
        const get = await host.first.command('alice', 'team', 'get here topic');
        expect(get.status).toBe(200);
        expect(get.replies.map((r) => String(r.message.msg)).join('\n')).toContain('launch');
    });

    it('[app] a room write reaches a subscriber as an event, the room customFields and a status message (§9, §10)', async () => {
        const sub = await host.first.command('bob', 'team', 'subscribe here');
        expect(sub.status).toBe(200);
        expect(sub.replies.map((r) => (r.message.customFields as { metadataEvent?: { type: string } } | undefined)?.metadataEvent?.type)).toContain('SNAPSHOT');
        const since = sub.replies.length ? sub.replies[sub.replies.length - 1].seq : 0;
        expect((await putTopic(host, 0, 'ship @all')).status).toBe(200);
        const events = await host.first.notifications('bob', { since, wait: 2000 });
        const update = events.find((n) => (n.message.customFields as { metadataEvent?: { type: string } } | undefined)?.metadataEvent?.type === 'UPDATE');
        expect(update, JSON.stringify(events)).toBeDefined();
        expect(update?.roomId).toBe(SEED_ROOMS.team.id);
        const room = await host.first.roomInfo('team');
        expect((room.customFields as { metadata?: { topic?: unknown } } | undefined)?.metadata?.topic).toBe('ship @all');
        const status = (await host.first.messages('team')).filter((m) => (m.u as { username: string }).username === BOT);
        expect(status.length).toBeGreaterThan(0);
        // the app's messages never notify anyone (SPEC §9)
        expect(status.every((m) => Array.isArray(m.mentions) && (m.mentions as unknown[]).length === 0)).toBe(true);
    });

    it('saw no permission denial from the engine', async () => {
        const denials = (await host.first.hostLog()).filter((l) => l.text.includes('PermissionDeniedError'));
        expect(denials).toEqual([]);
    });
});

describe('admin lifecycle: disable, enable, uninstall, install again', () => {
    let host: Host;

    beforeAll(async () => {
        host = await startHost();
    });

    afterAll(async () => {
        await host?.stop();
    });

    it('a disabled app answers nothing; enabled again it serves its endpoints and /meta', async () => {
        const a = host.first;
        const off = await a.rest('admin', 'POST', `/api/apps/${APP_ID}/status`, { status: 'manually_disabled' });
        expect(off.status, JSON.stringify(off.body)).toBe(200);
        expect((await a.app())?.status).toBe('manually_disabled');
        expect((await a.api('alice', 'GET', 'metadata/user/me')).status).toBe(404);
        const on = await a.rest('admin', 'POST', `/api/apps/${APP_ID}/status`, { status: 'manually_enabled' });
        expect(on.status, JSON.stringify(on.body)).toBe(200);
        expect((await a.api('alice', 'GET', 'metadata/user/me')).status).toBe(200);
        expect((await a.command('alice', 'team', 'help')).replies.length).toBeGreaterThan(0);
    });

    it('uninstalling removes the app, its command and its bot; installing again brings them back', async () => {
        const a = host.first;
        const del = await a.rest('admin', 'DELETE', `/api/apps/${APP_ID}`);
        expect(del.status, JSON.stringify(del.body)).toBe(200);
        expect(await a.app()).toBeUndefined();
        expect(await a.commands()).not.toEqual(expect.arrayContaining([expect.objectContaining({ command: 'meta' })]));
        expect(await a.userInfo(BOT)).toBeUndefined();
        expect((await a.api('alice', 'GET', 'metadata/user/me')).status).toBe(404);
        const form = new FormData();
        form.append('app', new Blob([fs.readFileSync(DEFAULT_ZIP)]), path.basename(DEFAULT_ZIP));
        const install = await a.rest('admin', 'POST', '/api/apps', form);
        expect(install.status, JSON.stringify(install.body)).toBe(200);
        expect(await a.app()).toMatchObject({ enabled: true });
        expect(await a.userInfo(BOT)).toMatchObject({ type: 'app' });
    });

    it('only admins manage apps', async () => {
        expect((await host.first.rest('alice', 'GET', '/api/apps')).status).toBe(403);
        expect((await host.first.rest(null, 'GET', '/api/apps')).status).toBe(401);
    });
});

describe('durability: what is stored survives restarts, crashes and app updates', () => {
    let host: Host;

    beforeAll(async () => {
        host = await startHost();
    });

    afterAll(async () => {
        await host?.stop();
    });

    it('keeps the installed app (and its settings) across a restart and a crash, without reinstalling it', async () => {
        await host.first.setAppSetting('custom_fields_key', 'meta');
        await host.restart();
        expect(await host.first.app()).toMatchObject({ id: APP_ID, version: appJson.version, enabled: true });
        expect((await host.first.appSettings()).custom_fields_key.value).toBe('meta');
        await host.restart({ hard: true });
        expect(await host.first.app()).toMatchObject({ enabled: true });
        expect((await host.first.appSettings()).custom_fields_key.value).toBe('meta');
        expect(await host.first.commands()).toEqual(expect.arrayContaining([expect.objectContaining({ command: 'meta' })]));
    });

    it('updates the app in place: new version, same bot, same settings', async () => {
        const botBefore = await host.first.userInfo(BOT);
        const updated = await host.updateApp({ version: '9.9.9' });
        expect(updated).toMatchObject({ version: '9.9.9', enabled: true });
        expect((await host.first.userInfo(BOT))?._id).toBe(botBefore?._id);
        expect((await host.first.appSettings()).custom_fields_key.value).toBe('meta');
    });

    it('[app] keeps metadata across a graceful restart, a crash (SIGKILL) and an app update', async () => {
        const put = await putTopic(host, 0, { phase: 'beta' });
        expect(put.status, JSON.stringify(put.body)).toBe(200);
        await host.restart();
        expect(await topicOf(host, 0)).toEqual({ phase: 'beta' });
        await host.restart({ hard: true });
        expect(await topicOf(host, 0)).toEqual({ phase: 'beta' });
        await host.updateApp({ version: '9.9.10' });
        expect(await topicOf(host, 0)).toEqual({ phase: 'beta' });
    });
});

describe('two instances over one store, like a Rocket.Chat cluster', () => {
    let host: Host;

    beforeAll(async () => {
        host = await startHost({ instances: 2 });
    });

    afterAll(async () => {
        await host?.stop();
    });

    it('runs the app on both: the second loads what the first installed from the shared app storage', async () => {
        const [a, b] = host.instances;
        expect(a.port).not.toBe(b.port);
        for (const instance of host.instances) {
            expect(await instance.app()).toMatchObject({ id: APP_ID, version: appJson.version, enabled: true });
            expect(await instance.commands()).toEqual(expect.arrayContaining([expect.objectContaining({ command: 'meta' })]));
        }
        // one bot for the cluster, not one per instance
        const users = (await a.rest('admin', 'GET', '/api/v1/host.users')).body.users as Array<{ username: string }>;
        expect(users.filter((u) => u.username === BOT)).toHaveLength(1);
    });

    it('carries an app settings change and an app update made on one instance to the other', async () => {
        const [a, b] = host.instances;
        await a.setAppSetting('custom_fields_key', 'cluster');
        await expect.poll(async () => (await b.appSettings()).custom_fields_key.value, { timeout: 10_000 }).toBe('cluster');
        await host.updateApp({ version: '9.9.9' });
        expect(await b.app()).toMatchObject({ version: '9.9.9', enabled: true });
        expect((await b.appSettings()).custom_fields_key.value).toBe('cluster');
    });

    it('[app] a write on one instance is read on the other', async () => {
        const put = await putTopic(host, 0, 'shared');
        expect(put.status, JSON.stringify(put.body)).toBe(200);
        expect(await topicOf(host, 1)).toBe('shared');
    });
});

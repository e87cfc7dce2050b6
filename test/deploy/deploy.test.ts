// `npm run deploy` (scripts/deploy.mjs) against the local host: a first install, an update, and refusals that
// must fail with the server's own message and a non-zero exit. The script is run as a user runs it (node, argv).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, DEFAULT_ZIP, SEED_USERS, startHost, withVersion, type Host } from '../support/host';

const root = path.resolve(__dirname, '../..');

function runDeploy(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        // no RC_* from the caller's environment, and no .rcappsconfig lookup outside the repository
        const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RC_')));
        const child = spawn(process.execPath, [path.join(root, 'scripts', 'deploy.mjs'), ...args], { cwd: root, env: { ...base, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
}

describe('npm run deploy', () => {
    let host: Host;
    let url: string;
    let update: string;

    beforeAll(async () => {
        host = await startHost({ install: false });
        url = host.first.url;
        update = withVersion(DEFAULT_ZIP, '0.1.1');
    });

    afterAll(async () => {
        await host?.stop();
        if (update) fs.rmSync(path.dirname(update), { recursive: true, force: true });
    });

    it('installs the app when it is not installed, and says what it did', async () => {
        expect(await host.first.app()).toBeUndefined();
        const run = await runDeploy(['--url', url, '--username', 'admin', '--password', SEED_USERS.admin.password, '--zip', DEFAULT_ZIP]);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toContain('(Rocket.Chat 7.0)'); // /api/info without a login: no patch version, as the server
        expect(run.stdout).toContain('logged in as admin');
        expect(run.stdout).toContain('not installed yet: installing');
        expect(run.stdout).toMatch(/installed: Metadata Store 0\.1\.0, status manually_enabled/);
        const app = await host.first.waitForApp((a) => a?.enabled === true);
        expect(app).toMatchObject({ id: APP_ID, version: '0.1.0' });
        expect(await host.first.commands()).toEqual(expect.arrayContaining([expect.objectContaining({ command: 'meta' })]));
    });

    it('updates the installed app (token login), keeping it enabled and its data', async () => {
        const set = await host.first.command('alice', 'team', 'set deployed=yes');
        expect(set.status).toBe(200);
        const run = await runDeploy(['--url', `${url}/`, '--zip', update], { RC_USER_ID: SEED_USERS.admin.id, RC_TOKEN: SEED_USERS.admin.token });
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toContain('authenticated as admin (token)');
        expect(run.stdout).toContain('installed now: Metadata Store 0.1.0 (manually_enabled): updating');
        expect(run.stdout).toMatch(/updated: Metadata Store 0\.1\.0 → 0\.1\.1, status (auto|manually)_enabled/);
        await host.first.waitForApp((a) => a?.version === '0.1.1' && a.enabled);
        const read = await host.first.api('alice', 'GET', 'metadata/user/me?keys=deployed');
        expect(read.status).toBe(200);
        expect((read.body.document as Record<string, unknown>).deployed).toBe('yes');
    });

    it('fails with the server’s message and exit 1 on a wrong password', async () => {
        const run = await runDeploy(['--url', url, '-u', 'admin', '-p', 'wrong', '--zip', DEFAULT_ZIP]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('deploy failed: login as admin failed: Unauthorized (HTTP 401)');
        expect((await host.first.app())?.version).toBe('0.1.1');
    });

    it('fails with the server’s message when the user may not manage apps, and on a package that is not an app', async () => {
        const alice = await runDeploy(['--url', url, '--username', 'alice@example.invalid', '--password', SEED_USERS.alice.password, '--zip', DEFAULT_ZIP]);
        expect(alice.code).toBe(1);
        expect(alice.stdout).toContain('logged in as alice'); // by e-mail
        expect(alice.stderr).toMatch(/deploy failed: GET \/api\/apps\/[\w-]+ failed: .*\(HTTP 403\)/);

        const bogus = path.join(path.dirname(update), 'bogus.zip');
        fs.writeFileSync(bogus, 'not a zip');
        const notZip = await runDeploy(['--url', url, '--username', 'admin', '--password', SEED_USERS.admin.password, '--zip', bogus]);
        expect(notZip.code).toBe(1);
        expect(notZip.stderr).toContain('is not an app package');
    });

    it('refuses wrong usage with exit 2 and the usage text', async () => {
        const run = await runDeploy(['--url', url, '--username', 'admin']);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('--password is missing');
        expect(run.stderr).toContain('usage: npm run deploy');
    });
});

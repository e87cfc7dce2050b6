// npm run deploy -- --url URL (--username U --password P | --userid ID --token T) [--code 2FA] [--zip FILE]
//
// Packages the bundled zip (scripts/package.mjs) and installs or updates it on a Rocket.Chat server through the
// REST calls `rc-apps deploy` makes: GET /api/info, POST /api/v1/login (or GET /api/v1/me for a token),
// GET /api/apps/<id> (installed?), then POST /api/apps (install) or POST /api/apps/<id> (update) with the
// multipart field `app` (the zip) and `permissions` (app.json's). `rc-apps deploy` itself recompiles the app
// without bundling its dependencies, and that zip fails on the server (the Deno runtime refuses lodash).
//
// Options may also come from the environment (RC_URL, RC_USERNAME, RC_PASSWORD, RC_USER_ID, RC_TOKEN, RC_2FA_CODE)
// or from .rcappsconfig ({url, username, password, userId, token}, as rc-apps reads it); flags win.
// Exit codes: 0 done, 1 the server refused or could not be reached, 2 wrong usage.
/* global fetch, FormData, Blob */
import AdmZip from 'adm-zip';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: npm run deploy -- --url URL (--username U --password P | --userid ID --token T) [--code 2FA] [--zip FILE]

  --url URL          the Rocket.Chat server (e.g. https://chat.example.com)
  --username, -u     an admin's username or e-mail address, with --password, -p
  --userid, -i       an admin's user id, with --token, -t (a personal access token)
  --code, -c         the 2FA code, when the account has two-factor authentication
  --zip FILE         deploy this package instead of packaging dist/<slug>_<version>.zip first
  --help, -h         this text

Environment: RC_URL, RC_USERNAME, RC_PASSWORD, RC_USER_ID, RC_TOKEN, RC_2FA_CODE; or .rcappsconfig.`;

class UsageError extends Error {}

const FLAGS = {
    '--url': 'url',
    '--username': 'username',
    '-u': 'username',
    '--password': 'password',
    '-p': 'password',
    '--userid': 'userId',
    '--user-id': 'userId',
    '-i': 'userId',
    '--token': 'token',
    '-t': 'token',
    '--code': 'code',
    '-c': 'code',
    '--zip': 'zip',
};

export function parseArgs(argv, env = process.env, cwd = root) {
    const flags = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--help' || arg === '-h') {
            flags.help = true;
            continue;
        }
        const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
        const key = FLAGS[name];
        if (!key) {
            throw new UsageError(`unknown option ${arg}`);
        }
        const value = inline ?? argv[++i];
        if (value === undefined || value === '') {
            throw new UsageError(`${name} needs a value`);
        }
        flags[key] = value;
    }
    let config = {};
    const configFile = path.join(cwd, '.rcappsconfig');
    if (fs.existsSync(configFile)) {
        try {
            config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
        } catch (error) {
            throw new UsageError(`.rcappsconfig is not JSON: ${error.message}`);
        }
    }
    const fromEnv = {
        url: env.RC_URL,
        username: env.RC_USERNAME,
        password: env.RC_PASSWORD,
        userId: env.RC_USER_ID,
        token: env.RC_TOKEN,
        code: env.RC_2FA_CODE,
    };
    const options = {};
    for (const key of ['url', 'username', 'password', 'userId', 'token', 'code']) {
        options[key] = flags[key] ?? fromEnv[key] ?? (typeof config[key] === 'string' ? config[key] : undefined);
    }
    options.zip = flags.zip;
    options.help = flags.help === true;
    if (options.help) {
        return options;
    }
    if (!options.url) {
        throw new UsageError('--url is missing');
    }
    if (!/^https?:\/\//.test(options.url)) {
        throw new UsageError(`--url must start with http:// or https:// (got ${options.url})`);
    }
    options.url = options.url.replace(/\/+$/, '');
    const byPassword = options.username || options.password;
    const byToken = options.userId || options.token;
    if (byPassword && byToken && !(options.username && options.password)) {
        throw new UsageError('give either --username and --password, or --userid and --token');
    }
    if (options.username && options.password) {
        options.userId = undefined;
        options.token = undefined;
    } else if (options.userId && options.token) {
        // token login
    } else if (byPassword) {
        throw new UsageError(options.username ? '--password is missing' : '--username is missing');
    } else if (byToken) {
        throw new UsageError(options.userId ? '--token is missing' : '--userid is missing');
    } else {
        throw new UsageError('no credentials: give --username and --password, or --userid and --token');
    }
    return options;
}

/** The server's own words from an error answer: `error`, `message`, `messages`, `reasons`, or the status. */
function serverMessage(res, body) {
    if (body && typeof body === 'object') {
        const parts = [];
        for (const key of ['error', 'message']) {
            if (typeof body[key] === 'string' && body[key] && !parts.includes(body[key])) parts.push(body[key]);
        }
        if (typeof body.details?.message === 'string') parts.push(body.details.message);
        for (const key of ['messages', 'reasons']) {
            if (Array.isArray(body[key])) parts.push(...body[key].map((m) => (typeof m === 'string' ? m : JSON.stringify(m))));
        }
        if (parts.length) return `${parts.join(': ')} (HTTP ${res.status})`;
    }
    if (typeof body === 'string' && body.trim()) return `${body.trim().slice(0, 500)} (HTTP ${res.status})`;
    return `HTTP ${res.status} ${res.statusText}`;
}

class DeployError extends Error {}

async function call(url, what, init = {}) {
    let res;
    try {
        res = await fetch(url, init);
    } catch (error) {
        throw new DeployError(`${what}: cannot reach ${url}: ${error.cause?.message ?? error.message}`);
    }
    const text = await res.text();
    let body = text;
    try {
        body = text ? JSON.parse(text) : {};
    } catch {
        // not JSON: keep the text for the message
    }
    return { res, body, ok: res.ok && typeof body === 'object' && body.success !== false && body.status !== 'error' };
}

export function packageInfo(zipFile) {
    let info;
    try {
        const zip = new AdmZip(zipFile);
        const entry = zip.getEntry('app.json');
        info = entry ? JSON.parse(zip.readAsText(entry)) : undefined;
    } catch (error) {
        throw new DeployError(`${zipFile} is not an app package: ${error.message}`);
    }
    if (!info || typeof info.id !== 'string') {
        throw new DeployError(`${zipFile} is not an app package: no app.json with an id`);
    }
    return info;
}

function packageNow(log) {
    log('packaging the app (npm run package)…');
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) {
        throw new DeployError('packaging failed (see above)');
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
    return path.join(root, 'dist', `${manifest.nameSlug}_${manifest.version}.zip`);
}

/** Installs or updates the package; returns what it did. `log` gets one line per step. */
export async function deploy(options, log = console.log) {
    const zipFile = options.zip ? path.resolve(options.zip) : packageNow(log);
    if (!fs.existsSync(zipFile)) {
        throw new DeployError(`no package at ${zipFile}`);
    }
    const info = packageInfo(zipFile);
    log(`package: ${path.relative(process.cwd(), zipFile) || zipFile} (${info.name} ${info.version}, app id ${info.id})`);

    const server = await call(`${options.url}/api/info`, 'GET /api/info');
    if (!server.res.ok || typeof server.body !== 'object') {
        throw new DeployError(`GET /api/info: ${options.url} does not answer like a Rocket.Chat server: ${serverMessage(server.res, server.body)}`);
    }
    log(`server: ${options.url} (Rocket.Chat ${server.body.version ?? 'version not shown'})`);

    let auth;
    if (options.username) {
        const login = await call(`${options.url}/api/v1/login`, 'POST /api/v1/login', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            // `user`: the server reads a value with an @ as an e-mail, anything else as a username (rc-apps sends `username`)
            body: JSON.stringify({ user: options.username, password: options.password, ...(options.code && { code: options.code }) }),
        });
        if (!login.ok || !login.body.data?.authToken) {
            throw new DeployError(`login as ${options.username} failed: ${serverMessage(login.res, login.body)}`);
        }
        auth = { 'X-User-Id': login.body.data.userId, 'X-Auth-Token': login.body.data.authToken };
        log(`logged in as ${login.body.data.me?.username ?? options.username}`);
    } else {
        auth = { 'X-User-Id': options.userId, 'X-Auth-Token': options.token };
        const me = await call(`${options.url}/api/v1/me`, 'GET /api/v1/me', { headers: auth });
        if (!me.ok) {
            throw new DeployError(`the token of ${options.userId} was refused: ${serverMessage(me.res, me.body)}`);
        }
        log(`authenticated as ${me.body.username ?? options.userId} (token)`);
    }

    const existing = await call(`${options.url}/api/apps/${info.id}`, `GET /api/apps/${info.id}`, { headers: auth });
    let installed;
    if (existing.ok && existing.body.app) {
        installed = existing.body.app;
        log(`installed now: ${installed.name ?? info.name} ${installed.version} (${installed.status}): updating`);
    } else if (existing.res.status === 404) {
        log('not installed yet: installing');
    } else {
        throw new DeployError(`GET /api/apps/${info.id} failed: ${serverMessage(existing.res, existing.body)}`);
    }

    const form = new FormData();
    form.append('app', new Blob([fs.readFileSync(zipFile)], { type: 'application/zip' }), path.basename(zipFile));
    if (Array.isArray(info.permissions)) {
        form.append('permissions', JSON.stringify(info.permissions));
    }
    const target = installed ? `/api/apps/${info.id}` : '/api/apps';
    const upload = await call(`${options.url}${target}`, `POST ${target}`, { method: 'POST', headers: auth, body: form });
    if (!upload.ok || !upload.body.app) {
        throw new DeployError(`${installed ? 'update' : 'install'} refused by the server (POST ${target}): ${serverMessage(upload.res, upload.body)}`);
    }
    const app = upload.body.app;
    const action = installed ? 'updated' : 'installed';
    log(`${action}: ${app.name ?? info.name} ${installed ? `${installed.version} → ` : ''}${app.version}, status ${app.status}`);
    const enabled = app.status === 'auto_enabled' || app.status === 'manually_enabled';
    if (!enabled) {
        throw new DeployError(
            `the server ${action} the app but did not enable it (status ${app.status}); see Administration → Apps → ${info.name} → Logs`,
        );
    }
    return { action, app, previous: installed };
}

async function main() {
    let options;
    try {
        options = parseArgs(process.argv.slice(2));
    } catch (error) {
        if (error instanceof UsageError) {
            console.error(`deploy: ${error.message}\n\n${USAGE}`);
            process.exit(2);
        }
        throw error;
    }
    if (options.help) {
        console.log(USAGE);
        return;
    }
    try {
        await deploy(options);
    } catch (error) {
        if (error instanceof DeployError) {
            console.error(`deploy failed: ${error.message}`);
            process.exit(1);
        }
        throw error;
    }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    main().catch((error) => {
        console.error(error?.stack ?? error);
        process.exit(1);
    });
}

// The interactive prompt of `npm start` (on a terminal): type `/meta …` as a chosen user in a chosen room and see
// the ephemeral replies and the room's new messages. It talks to the host over its REST API like any client.
import readline from 'node:readline';

import { SEED_ROOMS, SEED_USERS } from './seed';

const HELP = `  /command args      run a slash command as the current user in the current room (e.g. /meta set theme=dark)
  :user NAME         act as admin | alice | bob | carol
  :room NAME         general | team | secret | a room id
  :get PATH          GET an app endpoint, e.g. :get metadata/user/me
  :messages          the current room's last messages
  :notifications     all of the current user's ephemeral messages
  :instance N        talk to instance N (cluster mode)
  :help  :quit`;

type Json = Record<string, unknown>;

export function startPrompt(urls: string[], appId: string | undefined, onQuit: () => void): void {
    let base = urls[0];
    let user: (typeof SEED_USERS)[keyof typeof SEED_USERS] = SEED_USERS.alice;
    let room = SEED_ROOMS.team.id;
    let roomName = 'team';
    const seen = new Map<string, number>();
    const headers = () => ({ 'X-User-Id': user.id, 'X-Auth-Token': user.token, 'Content-Type': 'application/json' });
    const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
        const res = await fetch(`${base}${path}`, { method, headers: headers(), body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        let parsed: Json;
        try {
            parsed = JSON.parse(text);
        } catch {
            parsed = { text };
        }
        return { status: res.status, body: parsed };
    };
    const printNotifications = async (all = false) => {
        const since = all ? 0 : (seen.get(user.id) ?? 0);
        const { body } = await call('GET', `/api/v1/host.notifications?since=${since}`);
        for (const n of (body.notifications as Json[]) ?? []) {
            const msg = n.message as Json;
            const extra = msg.customFields ? `   customFields: ${JSON.stringify(msg.customFields)}` : '';
            console.log(`  ↳ (only you, in ${n.roomId}) ${msg.msg ?? ''}${extra}`);
        }
        seen.set(user.id, Number(body.last ?? since));
    };
    const printMessages = async (limit: number) => {
        const { body } = await call('GET', `/api/v1/host.messages?roomId=${encodeURIComponent(room)}&count=${limit}`);
        const messages = ((body.messages as Json[]) ?? []).reverse();
        for (const m of messages) {
            const cf = m.customFields ? `   customFields: ${JSON.stringify(m.customFields)}` : '';
            console.log(`  #${roomName} ${(m.u as Json)?.username}: ${m.msg}${cf}`);
        }
        if (body.error) console.log(`  ${body.error}`);
    };

    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    const prompt = () => {
        rl.setPrompt(`${user.username}@#${roomName}> `);
        rl.prompt();
    };
    console.log(`Interactive: you are ${user.username} in #${roomName}. :help for commands.`);
    void printNotifications().then(prompt);

    rl.on('line', async (line) => {
        const input = line.trim();
        try {
            if (!input) {
                // nothing
            } else if (input === ':quit' || input === ':q') {
                rl.close();
                return;
            } else if (input === ':help') {
                console.log(HELP);
            } else if (input.startsWith(':user ')) {
                const name = input.slice(6).trim() as keyof typeof SEED_USERS;
                if (SEED_USERS[name]) user = SEED_USERS[name];
                else console.log(`  unknown user; one of ${Object.keys(SEED_USERS).join(', ')}`);
            } else if (input.startsWith(':room ')) {
                const name = input.slice(6).trim().replace(/^#/, '');
                const { body } = await call('GET', `/api/v1/rooms.info?${/^(GENERAL|rid-|uid-)/.test(name) ? 'roomId' : 'roomName'}=${encodeURIComponent(name)}`);
                if (body.room) {
                    room = (body.room as Json)._id as string;
                    roomName = ((body.room as Json).name as string) ?? room;
                } else {
                    console.log(`  ${body.error ?? 'no such room'}`);
                }
            } else if (input.startsWith(':instance ')) {
                const n = Number(input.slice(10));
                if (urls[n]) base = urls[n];
                else console.log(`  instances: 0..${urls.length - 1}`);
            } else if (input === ':messages') {
                await printMessages(20);
            } else if (input === ':notifications') {
                await printNotifications(true);
            } else if (input.startsWith(':get ')) {
                if (!appId) {
                    console.log('  no app installed');
                } else {
                    const { status, body } = await call('GET', `/api/apps/public/${appId}/${input.slice(5).trim().replace(/^\//, '')}`);
                    console.log(`  ${status} ${JSON.stringify(body, null, 2).replace(/\n/g, '\n  ')}`);
                }
            } else if (input.startsWith('/')) {
                const [command, ...rest] = input.slice(1).split(' ');
                const before = await call('GET', `/api/v1/host.messages?roomId=${encodeURIComponent(room)}&count=1`);
                const total = Number(before.body.total ?? 0);
                const { status, body } = await call('POST', '/api/v1/commands.run', { command, params: rest.join(' '), roomId: room });
                if (status !== 200) console.log(`  ${status} ${body.error ?? JSON.stringify(body)}`);
                await new Promise((r) => setTimeout(r, 150));
                await printNotifications();
                const after = await call('GET', `/api/v1/host.messages?roomId=${encodeURIComponent(room)}&count=1`);
                const added = Number(after.body.total ?? 0) - total;
                if (added > 0) await printMessages(added);
            } else {
                console.log('  commands start with / (a slash command) or : (the prompt); :help');
            }
        } catch (error) {
            console.log(`  ${(error as Error).message}`);
        }
        prompt();
    });
    rl.on('close', onQuit);
}

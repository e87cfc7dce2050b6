import type { HostOptions } from './cli';
import type { InstanceInfo } from './instance';
import { SEED_ROOMS, SEED_USERS } from './seed';

/** What `npm start` prints once the host is up: who is who, and curl lines to try. */
export function banner(instances: InstanceInfo[], opts: HostOptions): string {
    const first = instances[0];
    const app = first.install?.app ?? first.apps[0];
    const base = first.url;
    const alice = SEED_USERS.alice;
    const auth = `-H 'X-User-Id: ${alice.id}' -H 'X-Auth-Token: ${alice.token}'`;
    const json = "-H 'Content-Type: application/json'";
    const lines: string[] = [];
    lines.push('');
    lines.push(`Rocket.Chat Apps-Engine host — ${instances.length} instance(s) over ${opts.dataDir}`);
    for (const i of instances) {
        lines.push(`  instance ${i.index}: ${i.url}  (pid ${i.pid})`);
    }
    if (app) {
        const what = first.install ? `${first.install.action}: ` : '';
        lines.push(`  app: ${what}${app.name} ${app.version} (${app.id}) — ${app.status}`);
    } else {
        lines.push('  app: none installed');
    }
    lines.push(`  persistence flavour: updateByAssociations=${opts.switches.updateByAssociations}, removeByAssociations=${opts.switches.removeByAssociations}`);
    lines.push('');
    lines.push('Users (X-User-Id / X-Auth-Token always valid; POST /api/v1/login gives fresh tokens):');
    for (const u of Object.values(SEED_USERS)) {
        lines.push(`  ${u.username.padEnd(6)} password ${u.password.padEnd(11)} id ${u.id.padEnd(10)} token ${u.token.padEnd(12)} roles ${u.roles.join(',')}`);
    }
    lines.push('Rooms:');
    for (const r of Object.values(SEED_ROOMS)) {
        lines.push(`  ${r.name.padEnd(13)} id ${r.id.padEnd(19)} ${r.description}`);
    }
    lines.push('');
    lines.push(`Web client: open ${base}/ in a browser and sign in as alice / ${alice.password} (any user above).`);
    lines.push('');
    lines.push('Try:');
    lines.push(`  curl -s ${base}/api/v1/login ${json} -d '{"user":"alice","password":"${alice.password}"}'`);
    lines.push(`  curl -s ${base}/api/v1/commands.run ${auth} ${json} -d '{"command":"meta","params":"set theme=dark","roomId":"${SEED_ROOMS.team.id}"}'`);
    lines.push(`  curl -s '${base}/api/v1/host.notifications' ${auth}`);
    if (app) {
        lines.push(`  curl -s ${base}/api/apps/public/${app.id}/metadata/user/me ${auth}`);
        lines.push(`  curl -s -X PUT ${base}/api/apps/public/${app.id}/metadata/room/${SEED_ROOMS.team.id} ${auth} ${json} -d '{"items":[{"key":"topic","value":"launch","visibility":"public"}]}'`);
    }
    lines.push(`  curl -s '${base}/api/v1/host.messages?roomId=${SEED_ROOMS.team.id}' ${auth}`);
    lines.push(`  curl -s '${base}/api/v1/rooms.info?roomId=${SEED_ROOMS.team.id}' ${auth}`);
    lines.push(`  curl -s '${base}/api/v1/users.info?username=alice' ${auth}`);
    lines.push(`  curl -s ${base}/api/v1/commands.list ${auth}`);
    lines.push(
        `  curl -s ${base}/api/v1/settings/Message_CustomFields_Enabled -H 'X-User-Id: ${SEED_USERS.admin.id}' -H 'X-Auth-Token: ${SEED_USERS.admin.token}' ${json} -d '{"value":true}'`,
    );
    lines.push(`  curl -s '${base}/api/v1/host.log' -H 'X-User-Id: ${SEED_USERS.admin.id}' -H 'X-Auth-Token: ${SEED_USERS.admin.token}'`);
    lines.push('');
    lines.push(`Realtime (DDP, as Rocket.Chat's): ${base.replace(/^http/, 'ws')}/websocket — e.g. @rocket.chat/ddp-client, login {resume: '${alice.token}'},`);
    lines.push(`  stream-notify-user '${alice.id}/message', stream-room-messages '${SEED_ROOMS.team.id}' (host/README.md, "Realtime")`);
    lines.push('');
    return lines.join('\n');
}

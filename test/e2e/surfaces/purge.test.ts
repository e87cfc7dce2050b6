// SPEC §11: "purge on uninstall may delete one record only" — what current Rocket.Chat servers do (`deleteOne`), and
// the host's default. Uninstalling then leaves the app's records behind but one; installed again, every subject must
// still read and take writes at once (the first release wedged such a subject for good). The packaged app in the
// real engine; the purge deletes the first record the store holds, whichever it is, so the test uninstalls once per
// record the subject's log has, and each time checks the subject it wrote.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, DEFAULT_ZIP, startHost, type Host } from '../../support/host';
import type { MetadataView } from './helpers';

let host: Host;

beforeAll(async () => {
    host = await startHost({ persistence: { purge: 'one' } });
});

afterAll(async () => {
    await host?.stop();
});

async function reinstall(): Promise<void> {
    expect((await host.first.rest('admin', 'DELETE', `/api/apps/${APP_ID}`)).status).toBe(200);
    const form = new FormData();
    form.append('app', new Blob([fs.readFileSync(DEFAULT_ZIP)]), path.basename(DEFAULT_ZIP));
    const install = await host.first.rest('admin', 'POST', '/api/apps', form);
    expect(install.status, JSON.stringify(install.body)).toBe(200);
    await host.first.waitForApp((app) => app?.enabled === true);
}

describe('uninstalling on a server whose purge deletes one record', () => {
    it('leaves every subject readable and writable once installed again, however many times', async () => {
        for (let round = 1; round <= 4; round++) {
            for (let i = 0; i < 3; i++) {
                const put = await host.first.api<MetadataView>('alice', 'PUT', 'metadata/user/me', { items: [{ key: `k${round}`, value: i }] });
                expect(put.status, JSON.stringify(put.body)).toBe(200);
            }
            await reinstall();
            const read = await host.first.api<MetadataView>('alice', 'GET', 'metadata/user/me');
            expect(read.status, JSON.stringify(read.body)).toBe(200);
            const write = await host.first.api<MetadataView>('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'after', value: round }] });
            expect(write.status, JSON.stringify(write.body)).toBe(200);
            expect(write.body.items.find((item) => item.key === 'after')?.value).toBe(round);
            expect(write.body.majorRevision).toBeGreaterThan(read.body.majorRevision);
        }
    });
});

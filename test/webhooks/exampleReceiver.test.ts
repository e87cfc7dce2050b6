// examples/webhook-receiver.mjs, run as a user would: it takes a signed delivery once, answers 2xx to the same id
// again without handling it twice, and refuses an unsigned or forged one.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureOf } from '../../src/surfaces/webhooks/signature';

const SECRET = 'example secret';
let child: ChildProcess;
let base: string;
const lines: string[] = [];

beforeAll(async () => {
    child = spawn(process.execPath, [path.join(__dirname, '../../examples/webhook-receiver.mjs')], { env: { ...process.env, WEBHOOK_SECRET: SECRET, PORT: '0' } });
    child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    base = await new Promise<string>((resolve, reject) => {
        child.stderr?.on('data', (chunk: Buffer) => {
            const found = /listening on (\S+)/.exec(chunk.toString());
            if (found) resolve(found[1]);
        });
        child.once('exit', (code) => reject(new Error(`the example exited with ${code}`)));
    });
});

afterAll(() => {
    child?.kill();
});

function deliver(id: string, body: string, signature = signatureOf(SECRET, body)): Promise<number> {
    return fetch(base, { method: 'POST', headers: { 'content-type': 'application/json', 'x-metadata-delivery': id, 'x-metadata-signature': signature }, body }).then((r) => r.status);
}

describe('the example receiver', () => {
    const body = JSON.stringify({ id: 'd-1', type: 'UPDATE', subject: { namespace: 'user', id: 'u1' }, majorRevision: 3, changed: ['status'], removed: [] });

    it('handles a signed delivery once, and answers 2xx to it again without handling it twice', async () => {
        expect([await deliver('d-1', body), await deliver('d-1', body)]).toEqual([204, 200]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(lines.map((line) => JSON.parse(line).id)).toEqual(['d-1']);
    });

    it('refuses a forged or missing signature with 401', async () => {
        expect([await deliver('d-2', body, signatureOf('wrong secret', body)), await deliver('d-3', body, '')]).toEqual([401, 401]);
    });
});

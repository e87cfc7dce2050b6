/*
 * Webhooks in the real engine (the packaged app on the local host, its HTTP bridge sending to a receiver on
 * 127.0.0.1): does following a subject slow its writes, and how soon does a healthy receiver get the change?
 *   write latency   PUT as alice (5 webhooks follow her: 4 answer 204 at once, 1 never answers) against PUT as
 *                   bob (no webhook follows him), interleaved one by one, after a warm-up
 *   delivery        the healthy receiver's arrival time − the client's answer time, per write (target p99 ≤ 100 ms)
 * No assertions.
 *
 *   npm run bench -- --webhook-writes 100
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import { startHost, type HostInstance } from '../test/support/host';

function option(name: string, fallback: number): number {
    const index = process.argv.indexOf(`--${name}`);
    const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
    return Number.isFinite(value) && value >= 0 ? value : fallback;
}

const WRITES = option('webhook-writes', 100);
const WARMUP = 10;
const GAP_MS = option('gap', 15);

function quantile(values: number[], q: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const ms = (n: number) => n.toFixed(1);
const sleep = (n: number) => new Promise((resolve) => setTimeout(resolve, n));

async function main(): Promise<void> {
    /** arrival time (ms since the epoch) of each majorRevision of alice at the first healthy receiver */
    const arrivals = new Map<number, number>();
    const hanging: http.ServerResponse[] = [];
    const receiver = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            const at = Date.now();
            if (req.url === '/hang') return void hanging.push(res);
            if (req.url === '/ok0') {
                const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { majorRevision: number };
                if (!arrivals.has(body.majorRevision)) arrivals.set(body.majorRevision, at);
            }
            res.writeHead(204).end();
        });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    const host = await startHost({ startTimeoutMs: 180_000 });
    try {
        const one: HostInstance = host.first;
        await one.setAppSetting('limit_writes_per_second', 1_000_000);
        const alice = (await one.api<{ subject: { id: string } }>('alice', 'GET', 'metadata/user/me')).body.subject.id;
        for (const url of [`${base}/ok0`, `${base}/ok1`, `${base}/ok2`, `${base}/ok3`, `${base}/hang`]) {
            const res = await one.api('admin', 'POST', 'webhooks', { url, subjects: [`user:${alice}`], secret: 'bench' });
            if (res.status !== 200) throw new Error(`registering ${url}: ${res.status} ${JSON.stringify(res.body)}`);
        }
        const put = async (user: 'alice' | 'bob', i: number) => {
            const started = performance.now();
            const res = await one.api<{ majorRevision: number }>(user, 'PUT', 'metadata/user/me', { items: [{ key: 'counter', value: i, visibility: 'public' }] });
            if (res.status !== 200) throw new Error(`PUT as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
            return { ms: performance.now() - started, answeredAt: Date.now(), revision: res.body.majorRevision };
        };
        const followed: number[] = [];
        const plain: number[] = [];
        const answered = new Map<number, number>();
        for (let i = 0; i < WARMUP + WRITES; i++) {
            const order = i % 2 === 0 ? (['alice', 'bob'] as const) : (['bob', 'alice'] as const);
            for (const user of order) {
                const r = await put(user, i);
                if (i < WARMUP) continue;
                if (user === 'alice') {
                    followed.push(r.ms);
                    answered.set(r.revision, r.answeredAt);
                } else {
                    plain.push(r.ms);
                }
                await sleep(GAP_MS);
            }
        }
        for (const deadline = Date.now() + 5000; [...answered.keys()].some((r) => !arrivals.has(r)) && Date.now() < deadline; ) await sleep(20);
        const delivery = [...answered].filter(([r]) => arrivals.has(r)).map(([r, at]) => (arrivals.get(r) as number) - at);
        const missing = answered.size - delivery.length;
        const p99 = quantile(delivery, 0.99);
        const out = [
            '',
            `Webhooks: the packaged app in the real engine, one instance, ${os.cpus().length} cores; ${WRITES} writes per column after ${WARMUP} of warm-up, interleaved.`,
            '',
            '| measure | median | p99 | target |',
            '| --- | --- | --- | --- |',
            `| PUT, no webhook follows the subject (bob) | ${ms(quantile(plain, 0.5))} ms | ${ms(quantile(plain, 0.99))} ms | – |`,
            `| PUT, 5 webhooks follow it, 1 never answers (alice) | ${ms(quantile(followed, 0.5))} ms | ${ms(quantile(followed, 0.99))} ms | – |`,
            `| ratio 5 webhooks ÷ none | ${(quantile(followed, 0.5) / quantile(plain, 0.5)).toFixed(2)}× | ${(quantile(followed, 0.99) / quantile(plain, 0.99)).toFixed(2)}× | – |`,
            `| delivery: healthy receiver's arrival − the write's answer${missing ? ` (${missing} missing after 5 s)` : ''} | ${ms(quantile(delivery, 0.5))} ms | ${ms(p99)} ms | p99 ≤ 100 ms: ${p99 <= 100 ? 'met' : 'missed'} |`,
        ];
        console.log(out.join('\n'));
    } finally {
        for (const res of hanging) res.destroy();
        receiver.closeAllConnections();
        receiver.close();
        await host.stop();
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});

/*
 * How soon after a write is acknowledged does a subscriber's event go out? For N writes to one
 * subject with S subscribers, over the real service, core, store and events code (the engine faked,
 * persistence in memory with a fixed delay per call to stand for the server round trip), it prints
 * median and p95 of:
 *   write      call → acknowledgement (the answer)
 *   delivery   call → notifyUser, per subscriber
 *   after ack  acknowledgement → notifyUser (negative: delivered before the answer went out)
 *
 *   npm run bench -- --writes 200 --subscribers 10 --latency 1
 */
import { performance } from 'perf_hooks';

import { SETTING } from '../src/settings';
import { harness } from '../test/service/harness';

function option(name: string, fallback: number): number {
    const index = process.argv.indexOf(`--${name}`);
    const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
    return Number.isFinite(value) && value >= 0 ? value : fallback;
}

function quantile(sorted: number[], q: number): number {
    if (sorted.length === 0) return Number.NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function line(label: string, values: number[]): string {
    const sorted = [...values].sort((a, b) => a - b);
    const f = (n: number) => n.toFixed(2).padStart(8);
    return `${label.padEnd(10)} median ${f(quantile(sorted, 0.5))} ms   p95 ${f(quantile(sorted, 0.95))} ms   max ${f(sorted[sorted.length - 1])} ms   (n=${sorted.length})`;
}

async function main(): Promise<void> {
    const writes = option('writes', 200);
    const subscribers = option('subscribers', 10);
    const latencyMs = option('latency', 1);

    const h = harness({ withEvents: true });
    h.engine.settings[SETTING.writesPerSecond] = 0;
    const room = 'r-bench';
    h.engine.addRoom({ id: room, name: 'bench', type: 'c', members: [] });
    for (let i = 0; i < subscribers; i++) {
        h.engine.addUser({ id: `u-s${i}`, username: `s${i}` }).join(room, `u-s${i}`);
        await h.service.subscribe(h.caller(`s${i}`), { namespace: 'user', ref: 'alice' }, room);
    }
    h.db.setLatency(() => new Promise((resolve) => setTimeout(resolve, latencyMs)));

    let started = 0;
    let deliveredAt: number[] = [];
    h.engine.onNotify = () => deliveredAt.push(performance.now());
    const write: number[] = [];
    const delivery: number[] = [];
    const afterAck: number[] = [];
    for (let i = 0; i < writes; i++) {
        deliveredAt = [];
        started = performance.now();
        await h.service.set(h.caller('alice'), { namespace: 'user', ref: 'me' }, { items: [{ key: 'counter', value: i, visibility: 'public' }] });
        const acknowledged = performance.now();
        // Anything not yet delivered would arrive from a timer; give it a moment before counting.
        for (let wait = 0; deliveredAt.length < subscribers && wait < 100; wait++) await new Promise((r) => setTimeout(r, 1));
        write.push(acknowledged - started);
        for (const at of deliveredAt) {
            delivery.push(at - started);
            afterAck.push(at - acknowledged);
        }
    }
    const missing = writes * subscribers - delivery.length;
    console.log(`events bench: ${writes} writes to one subject, ${subscribers} subscribers, ${latencyMs} ms per persistence call, coalescing off`);
    console.log(line('write', write));
    console.log(line('delivery', delivery));
    console.log(line('after ack', afterAck));
    if (missing > 0) console.log(`${missing} events were not delivered within 100 ms of the acknowledgement`);
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});

#!/usr/bin/env node
// A webhook receiver for Metadata Store (SPEC §15), with nothing but Node's standard library:
//   WEBHOOK_SECRET=… PORT=8080 node examples/webhook-receiver.mjs
// It checks X-Metadata-Signature against the raw body (constant-time), answers 401 to anything unsigned or
// forged, answers 2xx to a delivery it has already seen (delivery is at least once: the same X-Metadata-Delivery
// id may come again) without handling it twice, and prints each new change as one JSON line.
// Answer quickly: anything but 2xx within 10 s is retried.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

const secret = process.env.WEBHOOK_SECRET ?? '';
const port = Number(process.env.PORT ?? 8080);
if (!secret) {
    console.error('Set WEBHOOK_SECRET to the secret the webhook was registered with.');
    process.exit(2);
}

/** Delivery ids already handled. A real receiver keeps them where it keeps what it does with the change. */
const seen = new Set();

function signedBy(raw, header) {
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
    const given = Buffer.from(String(header ?? ''));
    return given.length === expected.length && timingSafeEqual(given, expected);
}

function handle(delivery) {
    // Do the real work here (update a cache, call another system, …). Keep it idempotent.
    const subject = `${delivery.subject.namespace}:${delivery.subject.id}`;
    console.log(JSON.stringify({ id: delivery.id, type: delivery.type, subject, majorRevision: delivery.majorRevision, changed: delivery.changed, removed: delivery.removed, cause: delivery.cause }));
}

const server = http.createServer((req, res) => {
    if (req.method !== 'POST') return res.writeHead(405, { allow: 'POST' }).end();
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
        const raw = Buffer.concat(chunks);
        // Verify the bytes as received, before parsing: re-serialised JSON would not match the signature.
        if (!signedBy(raw, req.headers['x-metadata-signature'])) return res.writeHead(401).end('bad signature');
        const id = String(req.headers['x-metadata-delivery'] ?? '');
        if (seen.has(id)) return res.writeHead(200).end('already handled');
        let delivery;
        try {
            delivery = JSON.parse(raw.toString('utf8'));
        } catch {
            return res.writeHead(400).end('not JSON');
        }
        handle(delivery);
        seen.add(id);
        res.writeHead(204).end();
    });
});

server.listen(port, () => console.error(`listening on http://127.0.0.1:${server.address().port}`));

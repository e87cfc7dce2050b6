// Minimal reproduction of the Apps-Engine channel bug in docs/proto-channel-bug.md, without Rocket.Chat:
//   node docs/proto-channel-bug.mjs
// It does what the engine does with two HTTP requests for an app endpoint, the first with the JSON body
// {"__proto__":{}}: the server side (server/runtime/deno/codec.js) encodes both, and the app runtime
// (deno-runtime/main.ts) reads its stdin with `for await (… of decoder.decodeStream(…))` — both with
// @msgpack/msgpack 3.0.0-beta2, the version the engine pins.
import { ReadableStream } from 'node:stream/web';

import { Decoder, Encoder } from '@msgpack/msgpack';

const body = JSON.parse('{"__proto__":{}}'); // what express.json() hands the server: an OWN key "__proto__"
const first = { jsonrpc: '2.0', id: 'r1', method: 'api:hello:post', params: [{ method: 'post', content: body }, {}] };
const second = { jsonrpc: '2.0', id: 'r2', method: 'api:hello:get', params: [{ method: 'get', content: {} }, {}] };

// The server side: encoding works, the key goes out.
const encoder = new Encoder();
const wire = new Uint8Array([...encoder.encode(first), ...encoder.encode(second)]);
console.log(`server: encoded both requests (${wire.length} bytes)`);

// The runtime side: the decoder refuses the key, the loop that reads every message ends, and the second
// request (any later call, from any user) is never read. The engine waits for answers until its timeout,
// then restarts the runtime once its pings have failed.
const stdin = new ReadableStream({ start(controller) { controller.enqueue(wire); controller.close(); } });
const received = [];
try {
    for await (const message of new Decoder().decodeStream(stdin)) received.push(message.id);
    console.log('runtime: read', received);
} catch (error) {
    console.log(`runtime: the read loop ended with "${error.message}" after reading ${JSON.stringify(received)}; r2 is never read`);
    process.exitCode = received.includes('r2') ? 1 : 0;
}

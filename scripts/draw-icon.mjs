#!/usr/bin/env node
// Draws icon.png, the app's icon (app.json "iconFile"): a bold white tag on a rounded square in Rocket.Chat red.
// Node built-ins only: shapes are signed distance functions, sampled 4×4 per pixel for smooth edges, and the PNG is
// written by hand (zlib for its image data). Run `node scripts/draw-icon.mjs` after changing it, and commit both.
//
// Why these shapes: the tag reads as "a label on something" (metadata) and stays one solid white form at 32 px,
// where the Marketplace and the admin list show it; its hole is big enough to survive that size as a dot.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIZE = 256;
const SAMPLES = 4; // per axis
const RED = [0xf5, 0x45, 0x5c];
const WHITE = [0xff, 0xff, 0xff];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
const out = path.join(root, manifest.iconFile);

// --- shapes, in a unit square (0…1), distances negative inside ---------------------------------------------------

/** A square of side 1 with rounded corners. */
function roundedSquare(x, y, radius = 0.2) {
    const qx = Math.abs(x - 0.5) - (0.5 - radius);
    const qy = Math.abs(y - 0.5) - (0.5 - radius);
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Distance to a closed polygon (Inigo Quilez's sdPolygon). */
function polygon(points, x, y) {
    let d = Infinity;
    let sign = 1;
    for (let i = 0, j = points.length - 1; i < points.length; j = i, i += 1) {
        const [ax, ay] = points[i];
        const [bx, by] = points[j];
        const ex = bx - ax;
        const ey = by - ay;
        const wx = x - ax;
        const wy = y - ay;
        const t = Math.min(Math.max((wx * ex + wy * ey) / (ex * ex + ey * ey), 0), 1);
        d = Math.min(d, Math.hypot(wx - ex * t, wy - ey * t));
        const c = [y >= ay, y < by, ex * wy > ey * wx];
        if (c.every(Boolean) || c.every((v) => !v)) sign = -sign;
    }
    return sign * d;
}

// The tag, drawn pointing left in its own frame, then turned 45° so it points up-left, as label icons do.
const LENGTH = 0.56;
const HEIGHT = 0.34;
const POINT = 0.17;
const CORNER = 0.045; // rounds every corner of the tag
const HOLE = 0.052;
const TAG = [
    [-LENGTH / 2, 0],
    [-LENGTH / 2 + POINT, -HEIGHT / 2],
    [LENGTH / 2, -HEIGHT / 2],
    [LENGTH / 2, HEIGHT / 2],
    [-LENGTH / 2 + POINT, HEIGHT / 2],
].map(([x, y]) => [x * shrink(), y * shrink()]);

/** The polygon is drawn smaller by the corner radius, and grown back by it, which rounds its corners. */
function shrink() {
    return 1 - (2 * CORNER) / HEIGHT / 2;
}

function tag(x, y) {
    const angle = Math.PI / 4;
    const dx = x - 0.5;
    const dy = y - 0.5;
    const u = dx * Math.cos(angle) + dy * Math.sin(angle);
    const v = -dx * Math.sin(angle) + dy * Math.cos(angle);
    const body = polygon(TAG, u, v) - CORNER;
    const hole = Math.hypot(u - (-LENGTH / 2 + POINT * 1.05), v) - HOLE;
    return Math.max(body, -hole);
}

// --- rendering ----------------------------------------------------------------------------------------------------

function pixel(px, py) {
    let square = 0;
    let glyph = 0;
    for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
            const x = (px + (sx + 0.5) / SAMPLES) / SIZE;
            const y = (py + (sy + 0.5) / SAMPLES) / SIZE;
            if (roundedSquare(x, y) <= 0) {
                square += 1;
                if (tag(x, y) <= 0) glyph += 1;
            }
        }
    }
    const n = SAMPLES * SAMPLES;
    const white = square === 0 ? 0 : glyph / square;
    const rgb = RED.map((c, i) => Math.round(c + (WHITE[i] - c) * white));
    return [...rgb, Math.round((255 * square) / n)];
}

function render() {
    const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
    for (let y = 0; y < SIZE; y += 1) {
        const row = y * (1 + SIZE * 4);
        rows[row] = 0; // filter: none
        for (let x = 0; x < SIZE; x += 1) Buffer.from(pixel(x, y)).copy(rows, row + 1 + x * 4);
    }
    return rows;
}

// --- PNG ----------------------------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});

function crc32(bytes) {
    let c = 0xffffffff;
    for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
}

function png(rows) {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(SIZE, 0);
    header.writeUInt32BE(SIZE, 4);
    header[8] = 8; // bits per channel
    header[9] = 6; // RGBA
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk('IHDR', header),
        chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
        chunk('IEND', Buffer.alloc(0)),
    ]);
}

const file = png(render());
fs.writeFileSync(out, file);
console.log(`draw-icon: ${path.relative(root, out)}, ${SIZE}×${SIZE}, ${file.length} bytes`);

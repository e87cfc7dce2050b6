import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as { iconFile: string };

describe('the icon (app.json iconFile, drawn by scripts/draw-icon.mjs)', () => {
    it('is a PNG of at least 256×256 and stays small', () => {
        const png = fs.readFileSync(path.join(root, manifest.iconFile));
        expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
        expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
        expect(Math.min(png.readUInt32BE(16), png.readUInt32BE(20))).toBeGreaterThanOrEqual(256);
        expect(png.length).toBeLessThan(32 * 1024);
    });
});

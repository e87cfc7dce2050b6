// /meta with hostile input, through the real parser, service, core and store: every reply says what to fix,
// and nothing is written. (The same inputs in the real engine: test/e2e/surfaces/hostile.test.ts.)
import { describe, expect, it } from 'vitest';

import { DEFAULT_LIMITS } from '../../src/core/limits';
import { translator } from '../../src/i18n/catalog';
import { formatError } from '../../src/surfaces/command/formatError';
import { parseMetaCommand } from '../../src/surfaces/command/parseMetaCommand';
import { runMetaCommand } from '../../src/surfaces/command/runMetaCommand';
import { SETTING } from '../../src/settings';
import { harness } from '../service/harness';

const tr = translator('en');

function setup() {
    const h = harness();
    h.engine.settings[SETTING.writesPerSecond] = 0;
    /** What `/meta <line>` replies (arguments split on spaces, as the server does for unquoted text). */
    const meta = async (line: string, as = 'alice'): Promise<string> => {
        try {
            const command = parseMetaCommand(line.split(' ').filter(Boolean), { roomId: 'r-general' });
            return await runMetaCommand({ service: h.service, caller: h.caller(as), tr, roomId: 'r-general', rooms: async () => new Map(), userNames: async () => new Map(), now: h.clock.now }, command);
        } catch (error) {
            return formatError(error, tr);
        }
    };
    const major = async (ref = 'alice') => (await h.service.get(h.caller('root'), { namespace: 'user', ref })).majorRevision;
    return { h, meta, major };
}

const deepArray = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const deepRelaxed = (levels: number) => `${'{a:'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('/meta refuses values nested past the limit with its message, whatever the depth', () => {
    const limit = DEFAULT_LIMITS.nestingDepth;

    it.each([limit + 1, 100, 5000, 100_000])('set, merge, state and --cause at %i levels', async (levels) => {
        const { meta, major } = setup();
        for (const line of [
            `set k=${deepArray(levels)}`,
            `set k=${deepObject(levels)}`,
            `set k=${deepRelaxed(levels)}`,
            `merge ${deepObject(levels)}`,
            `merge ${deepRelaxed(levels)}`,
            `state votes add ${deepArray(levels)}`,
            `set k=1 --cause ${deepObject(levels + 1)}`,
        ]) {
            const reply = await meta(line);
            expect(reply, line.slice(0, 40)).toContain(`more than the ${limit} this server allows. Nothing was written: store it flatter.`);
            expect(reply).toMatch(/^This nests \d+ levels deep/);
        }
        expect(await major()).toBe(0);
    });

    it('and accepts a value right at the limit under a one-segment key', async () => {
        const { meta, major } = setup();
        expect(await meta(`set k=${deepArray(limit - 1)}`)).toMatch(/^✓ Saved/);
        expect(await meta(`state votes add ${deepArray(limit - 1)}`)).toMatch(/^✓ Added/);
        expect(await major()).toBe(1);
    });

    it('counts the key: a value at the limit under a two-segment key is refused', async () => {
        const { meta } = setup();
        expect(await meta(`set a.b=${deepArray(limit - 1)}`)).toMatch(/^This nests 33 levels deep \(a key's parts count as levels\)/);
    });
});

describe('/meta refuses __proto__ inside values by name, instead of dropping it', () => {
    it.each([
        'set o={"__proto__":{"x":1},"a":1}',
        'set o={__proto__:{x:1},a:1}',
        'set o=[{"b":{"__proto__":1}}]',
        'state votes add {"__proto__":1}',
        'merge {"a":{"__proto__":{"x":1}}}',
        'merge {__proto__:{x:1}}',
        'set k=1 --cause {"__proto__":1}',
    ])('%s', async (line) => {
        const { meta, major } = setup();
        const reply = await meta(line);
        expect(reply).toContain('A member named `__proto__` cannot be stored: rename it.');
        expect(reply).not.toMatch(/^✓/);
        expect(await major()).toBe(0);
        expect(({} as Record<string, unknown>).x).toBeUndefined();
    });
});

describe('/meta state … null gives the state fix', () => {
    it('points to removing your own value, never to `/meta remove KEY`', async () => {
        const { meta } = setup();
        const reply = await meta('state votes add null');
        expect(reply).toContain('/meta state votes remove VALUE');
        expect(reply).not.toContain('/meta remove votes');
    });
});

describe('/meta with huge input', () => {
    it('refuses a value over the size limit with the size limit, and writes nothing', async () => {
        const { meta, major } = setup();
        const reply = await meta(`set k=[${'"xxxxxxxxxx",'.repeat(20_000)}1]`);
        expect(reply).toMatch(/^The value of `k` is \d+ bytes, more than the 16384 bytes a value may have\. Nothing was written\.$/);
        expect(await major()).toBe(0);
    });
});

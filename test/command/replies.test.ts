// The replies of `/meta` through the real parser, service, core and store: what a write replaced or
// removed, merges and unsubscribes that found nothing, who holds each state value, direct rooms by name.
import { describe, expect, it } from 'vitest';

import { translator } from '../../src/i18n/catalog';
import { formatError } from '../../src/surfaces/command/formatError';
import { parseMetaCommand } from '../../src/surfaces/command/parseMetaCommand';
import { runMetaCommand } from '../../src/surfaces/command/runMetaCommand';
import { SETTING } from '../../src/settings';
import { harness } from '../service/harness';

const tr = translator('en');
const USERNAMES = new Map([['u-alice', 'alice'], ['u-bob', 'bob'], ['u-carol', 'carol']]);

function setup() {
    const h = harness();
    h.engine.settings[SETTING.writesPerSecond] = 0;
    /** What `/meta <line>` typed in `room` replies to `as` (arguments split on spaces). */
    const meta = async (line: string, as = 'alice', room = 'r-general'): Promise<string> => {
        try {
            const command = parseMetaCommand(line.split(' ').filter(Boolean), { roomId: room });
            return await runMetaCommand(
                {
                    service: h.service,
                    caller: h.caller(as),
                    tr,
                    roomId: room,
                    rooms: async (ids) => new Map(ids.filter((id) => id === 'r-dm').map((id) => [id, { directMembers: ['alice', 'bob'] }])),
                    userNames: async (ids) => new Map(ids.filter((id) => USERNAMES.has(id)).map((id) => [id, USERNAMES.get(id) as string])),
                    now: h.clock.now,
                },
                command,
            );
        } catch (error) {
            return formatError(error, tr);
        }
    };
    return { h, meta };
}

describe('a write lists the keys it replaced or removed', () => {
    it('setting a=2 removes a.b.c, and the reply says so', async () => {
        const { h, meta } = setup();
        await meta('set a.b.c=1 a.d=x');
        h.clock.advance(10);
        const reply = await meta('set a=2');
        expect(reply.split('\n').slice(1, 3)).toEqual(['• `a` = `2` · number · rev 2 · private', '• removed, because the keys above replace them: `a.b.c`, `a.d`']);
    });

    it('writing values that are already so says they are unchanged', async () => {
        const { h, meta } = setup();
        await meta('set theme=dark');
        h.clock.advance(10);
        expect(await meta('set theme=dark')).toContain('• `theme` = `dark` · unchanged · rev 1 · private');
    });

    it('removing a key lists the keys under it that went too', async () => {
        const { h, meta } = setup();
        await meta('set contact.mail=m contact.phone=p');
        h.clock.advance(10);
        expect(await meta('remove contact')).toBe(
            '✓ Removed `contact` from @alice · majorRevision 2\n• also removed, as they lie under the keys named: `contact.mail`, `contact.phone`',
        );
    });
});

describe('merge', () => {
    it('removing a missing key says it was not there', async () => {
        const { h, meta } = setup();
        await meta('set keep=1 gone=1');
        h.clock.advance(10);
        expect(await meta('merge {"gone":null,"ghost":null,"new":1}')).toBe(
            ['✓ Merged into @alice · majorRevision 2', '• set: `new`', '• removed: `gone`', '• not there, so nothing to remove: `ghost`'].join('\n'),
        );
    });

    it('replacing a branch with a value lists what it removed', async () => {
        const { h, meta } = setup();
        await meta('set a.b.c=1');
        h.clock.advance(10);
        expect(await meta('merge {"a":2}')).toContain('• removed: `a.b.c`');
    });
});

describe('subscriptions', () => {
    it('unsubscribing from nothing says so; from a subscription confirms it', async () => {
        const { meta } = setup();
        expect(await meta('unsubscribe @bob')).toBe(
            'You were not subscribed to @bob, so there was nothing to end. `/meta subscriptions` lists what you are subscribed to.',
        );
        await meta('subscribe @bob');
        expect(await meta('unsubscribe @bob')).toBe('✓ Unsubscribed from @bob.');
        expect(await meta('unsubscribe @bob')).toContain('You were not subscribed to @bob');
    });
});

describe('state', () => {
    it('the summary names who holds each value', async () => {
        const { meta } = setup();
        await meta('state here votes add pizza --type set', 'alice');
        await meta('state here votes add pizza', 'bob');
        expect(await meta('state here votes add pasta', 'bob')).toBe(
            '✓ Added `pasta` to `votes` on #general\nstate `votes` (set): `pizza` ×2 (@alice, @bob), `pasta` ×1 (@bob)',
        );
        expect(await meta('get here')).toContain('state `votes` (set): `pizza` ×2 (@alice, @bob), `pasta` ×1 (@bob)');
    });
});

describe('direct rooms', () => {
    it('are named by the other user', async () => {
        const { meta } = setup();
        expect(await meta('set here topic=lunch', 'alice', 'r-dm')).toMatch(/^✓ Saved on direct room with @bob · majorRevision 1\n/);
        expect(await meta('get here', 'bob', 'r-dm')).toMatch(/^\*direct room with @alice\* · majorRevision 1/);
    });
});

describe('a typo of an action', () => {
    it('`/meta gte` suggests `get`', async () => {
        const { meta } = setup();
        expect(await meta('gte theme')).toBe(
            '`gte` is not a /meta command. Did you mean `/meta get`? The commands are: help, get, set, update, remove, merge, state, history, subscribe, unsubscribe, subscriptions, lock, unlock, locks, choose.\nType `/meta help` for the syntax.',
        );
    });

    it('a word far from every action lists them all', async () => {
        const { meta } = setup();
        expect(await meta('frobnicate')).toContain('`frobnicate` is not a /meta command. Use one of: help, get');
    });
});

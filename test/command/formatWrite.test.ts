import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/catalog';
import { formatMerged, formatRemoved, formatSaved, formatStateChange, patchPaths } from '../../src/surfaces/command/formatWrite';
import { item, planning, view } from './views';

const tr = translator('en');

describe('the reply to a write', () => {
    it('confirms a set with each value, revision and visibility', () => {
        const after = view([item('theme', 'dark', 3, 'public'), item('mood', 'fine', 3)]);
        expect(formatSaved('set', after, [{ key: 'theme', value: 'dark' }, { key: 'mood', value: 'fine' }], tr)).toBe(
            ['✓ Saved on @alice · majorRevision 3', '• `theme` = `dark` · rev 3 · public', '• `mood` = `fine` · rev 3 · private'].join('\n'),
        );
    });

    it('says the stored type when it could surprise: a number, true/false, an object, a list, text that reads as a number', () => {
        const after = view([item('n', 5, 3), item('ok', true, 3), item('o', { a: 1 }, 3), item('l', [1], 3), item('s', '5', 3), item('t', 'hi', 3)]);
        const written = ['n', 'ok', 'o', 'l', 's', 't'].map((key) => ({ key, value: 0 }));
        expect(formatSaved('set', after, written, tr).split('\n')).toEqual([
            '✓ Saved on @alice · majorRevision 3',
            '• `n` = `5` · number · rev 3 · private',
            '• `ok` = `true` · boolean · rev 3 · private',
            '• `o` = `{"a":1}` · object · rev 3 · private',
            '• `l` = `[1]` · list · rev 3 · private',
            '• `s` = `"5"` · text · rev 3 · private',
            '• `t` = `hi` · rev 3 · private',
            '`n` is stored as a number, not as text (Rocket.Chat removes straight quotes before the app sees the command). For the text, write `n=“5”`.',
        ]);
    });

    it('lists the keys a write replaced and removed (setting a=2 removes a.b.c), and the values it left unchanged', () => {
        const after = view([item('a', 2, 4), item('b', 'x', 2)]);
        const text = formatSaved('set', after, [{ key: 'a', value: 2 }, { key: 'b', value: 'x' }], tr, { changed: ['a'], removed: ['a.b.c'] });
        expect(text.split('\n').slice(1)).toEqual([
            '• `a` = `2` · number · rev 4 · private',
            '• `b` = `x` · unchanged · rev 2 · private',
            '• removed, because the keys above replace them: `a.b.c`',
            '`a` is stored as a number, not as text (Rocket.Chat removes straight quotes before the app sees the command). For the text, write `a=“2”`.',
        ]);
    });

    it('says the same in German, without English words', () => {
        const text = formatSaved('set', view([item('a', 2, 4)]), [{ key: 'a', value: 2 }], translator('de'), { changed: ['a'], removed: ['a.b.c'] });
        expect(text).toBe(
            [
                '✓ Gespeichert bei @alice · majorRevision 4',
                '• `a` = `2` · Zahl · Rev 4 · privat',
                '• entfernt, weil die Schlüssel oben sie ersetzen: `a.b.c`',
                '`a` ist als Zahl gespeichert, nicht als Text (Rocket.Chat entfernt gerade Anführungszeichen, bevor die App den Befehl sieht). Für den Text schreiben Sie `a=“2”`.',
            ].join('\n'),
        );
    });

    it('confirms an update', () => {
        expect(formatSaved('update', view([item('theme', 'light', 4)]), [{ key: 'theme', value: 'light' }], tr)).toMatch(
            /^✓ Updated on @alice · majorRevision 4/,
        );
    });

    it('confirms removed keys', () => {
        expect(formatRemoved(view([], { majorRevision: 5 }), ['theme', 'color'], tr)).toBe(
            '✓ Removed `theme`, `color` from @alice · majorRevision 5',
        );
    });

    it('confirms removing the whole set', () => {
        expect(formatRemoved(view([], { subject: planning, majorRevision: 6 }), undefined, tr)).toBe(
            '✓ Removed all items from #planning · majorRevision 6',
        );
    });

    it('a merge lists what it replaced, and says which nulls found nothing to remove', () => {
        const text = formatMerged(view([], { majorRevision: 8 }), { a: 2, gone: null as never, ghost: null as never }, tr, { changed: ['a'], removed: ['a.b.c', 'gone'] });
        expect(text).toBe(
            ['✓ Merged into @alice · majorRevision 8', '• set: `a`', '• removed: `a.b.c`, `gone`', '• not there, so nothing to remove: `ghost`'].join('\n'),
        );
    });

    it('a merge that changed nothing says so', () => {
        expect(formatMerged(view([], { majorRevision: 8 }), { ghost: null as never }, tr, { changed: [], removed: [] })).toBe(
            ['✓ Merged into @alice · majorRevision 8', '• not there, so nothing to remove: `ghost`', '• nothing changed: everything was already so'].join('\n'),
        );
    });

    it('a remove lists the keys under the removed key that went with it', () => {
        expect(formatRemoved(view([], { majorRevision: 5 }), ['contact'], tr, { changed: [], removed: ['contact.mail', 'contact.phone'] })).toBe(
            '✓ Removed `contact` from @alice · majorRevision 5\n• also removed, as they lie under the keys named: `contact.mail`, `contact.phone`',
        );
    });

    it('confirms a merge with what it set and removed', () => {
        expect(formatMerged(view([], { majorRevision: 7 }), { contact: { email: 'x', phone: null as never }, theme: 'dark' }, tr)).toBe(
            ['✓ Merged into @alice · majorRevision 7', '• set: `contact.email`, `theme`', '• removed: `contact.phone`'].join('\n'),
        );
    });

    it('confirms a state add with the key\'s new summary', () => {
        const after = view([], {
            subject: planning,
            state: { votes: { type: 'set', byUser: { u1: ['pizza'] }, summary: [{ value: 'pizza', count: 1, users: ['u1'] }] } },
        });
        expect(formatStateChange(after, { key: 'votes', op: 'add', value: 'pizza' }, tr)).toBe(
            '✓ Added `pizza` to `votes` on #planning\nstate `votes` (set): `pizza` ×1 (u1)',
        );
    });

    it('says the type of a state value when it could surprise', () => {
        expect(formatStateChange(view([]), { key: 'votes', op: 'add', value: 5 }, tr)).toBe('✓ Added `5` (number) to `votes` on @alice');
        expect(formatStateChange(view([]), { key: 'votes', op: 'add', value: '5' }, tr)).toBe('✓ Added `"5"` (text) to `votes` on @alice');
    });

    it('confirms clearing a register entry', () => {
        expect(formatStateChange(view([]), { key: 'status', op: 'remove' }, tr)).toBe('✓ Cleared your entry in `status` on @alice');
    });
});

describe('reading a merge patch as keys', () => {
    it('treats arrays and empty objects as leaves', () => {
        expect(patchPaths({ a: [1], b: {}, c: { d: 1 } })).toEqual({ set: ['a', 'b', 'c.d'], removed: [] });
    });
});

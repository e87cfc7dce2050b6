import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/catalog';
import { formatMerged, formatRemoved, formatSaved, formatStateChange, patchPaths } from '../../src/surfaces/command/formatWrite';
import { item, planning, view } from './views';

const tr = translator('en');

describe('the reply to a write', () => {
    it('confirms a set with each value, revision and visibility', () => {
        const after = view([item('theme', 'dark', 3, 'public'), item('n', 5, 3)]);
        expect(formatSaved('set', after, [{ key: 'theme', value: 'dark' }, { key: 'n', value: 5 }], tr)).toBe(
            ['✓ Saved on @alice · majorRevision 3', '• `theme` = `dark` · rev 3 · public', '• `n` = `5` · rev 3 · private'].join('\n'),
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
            '✓ Added `pizza` to `votes` on #planning\nstate `votes` (set): `pizza` ×1',
        );
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

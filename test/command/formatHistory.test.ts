import { describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/catalog';
import { HistoryView } from '../../src/service/types';
import { formatHistory, MAX_HISTORY_LINES } from '../../src/surfaces/command/formatHistory';
import { NO_NAMES } from '../../src/surfaces/command/subjectLabel';

const tr = (key: Parameters<typeof t>[0], params?: Parameters<typeof t>[1]) => t(key, params, 'en');

function view(entries: HistoryView['entries']): HistoryView {
    return { subject: { namespace: 'user', id: 'u1', name: 'alice' }, majorRevision: entries.at(-1)?.majorRevision ?? 0, entries };
}

const entry = (revision: number, changed: Record<string, unknown>, removed: string[] = []) => ({
    majorRevision: revision,
    at: '2024-05-01T12:34:56.000Z',
    actor: 'u1',
    changed: Object.entries(changed).map(([key, value]) => ({ key, value: value as never, visibility: 'public' as const })),
    removed,
});

describe('the reply to /meta history', () => {
    it('shows each change with its revision, time, who and what', () => {
        const text = formatHistory(view([entry(1, { theme: 'dark' }), entry(2, {}, ['theme'])]), undefined, { rooms: new Map(), users: new Map([['u1', 'alice']]) }, tr);
        expect(text.split('\n')).toEqual([
            '*History of @alice* (now at revision 2), newest last:',
            '`r1` 2024-05-01 12:34 UTC · @alice: set `theme`=`dark`',
            '`r2` 2024-05-01 12:34 UTC · @alice: removed `theme`',
        ]);
    });

    it(`shows the newest ${MAX_HISTORY_LINES} changes only`, () => {
        const text = formatHistory(view(Array.from({ length: 15 }, (_, i) => entry(i + 1, { k: i }))), undefined, NO_NAMES, tr);
        expect(text.split('\n')).toHaveLength(MAX_HISTORY_LINES + 1);
        expect(text).toContain('`r15`');
        expect(text).not.toContain('`r5`');
    });

    it('with a key, shows only the changes at or under it', () => {
        const text = formatHistory(view([entry(1, { 'contact.mail': 'a@b' }), entry(2, { theme: 'x' })]), 'contact', NO_NAMES, tr);
        expect(text).toContain('`r1`');
        expect(text).not.toContain('`r2`');
    });

    it('says so when nothing is kept', () => {
        expect(formatHistory(view([]), undefined, NO_NAMES, tr)).toBe('@alice has no history kept (now at revision 0).');
    });
});

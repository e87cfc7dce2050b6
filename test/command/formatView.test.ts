import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/catalog';
import { formatView, MAX_TABLE_ROWS } from '../../src/surfaces/command/formatView';
import { item, planning, view } from './views';

const tr = translator('en');

describe('the reply to get', () => {
    it('says so when a subject has no metadata', () => {
        expect(formatView(view([]), tr)).toBe('@alice has no metadata yet (majorRevision 0).');
    });

    it('shows items as an aligned monospace table', () => {
        const text = formatView(view([item('theme', 'dark', 3, 'public'), item('contact.email', 'a@b.c', 2)]), tr);
        expect(text).toBe(
            [
                '*@alice* · majorRevision 3 · 2 item(s)',
                '```',
                'key           | value | rev | visibility',
                '--------------+-------+-----+-----------',
                'theme         | dark  | 3   | public',
                'contact.email | a@b.c | 2   | private',
                '```',
            ].join('\n'),
        );
    });

    it('shows non-text values as JSON, so 5 and "5" differ', () => {
        const text = formatView(view([item('n', 5), item('s', '5')]), tr);
        expect(text).toMatch(/^n +\| 5 /m);
        expect(text).toMatch(/^s +\| "5" /m);
    });

    it('cuts long values', () => {
        const text = formatView(view([item('bio', 'y'.repeat(500))]), tr);
        expect(text).toContain(`${'y'.repeat(39)}…`);
        expect(text).not.toContain('y'.repeat(41));
    });

    it('cannot be broken out of its code block by a value with backticks', () => {
        const text = formatView(view([item('x', '```danger```')]), tr);
        expect(text.match(/```/g)).toHaveLength(2);
    });

    it('lists at most a screenful of rows and says how many more there are', () => {
        const items = Array.from({ length: MAX_TABLE_ROWS + 5 }, (_, i) => item(`k${String(i).padStart(3, '0')}`, i));
        const text = formatView(view(items), tr);
        expect(text).toContain('k049');
        expect(text).not.toContain('k050');
        expect(text).toContain('… and 5 more item(s)');
    });

    it('names requested keys that were not found', () => {
        expect(formatView(view([item('theme', 'dark')]), tr, ['theme', 'color'])).toContain('Not found: `color`');
    });

    it('summarises each state key with counts, naming who holds each value', () => {
        const text = formatView(
            view([], {
                subject: planning,
                majorRevision: 2,
                state: {
                    votes: {
                        type: 'set',
                        byUser: { u1: ['pizza'], u2: ['pizza', 'pasta'] },
                        summary: [
                            { value: 'pizza', count: 2, users: ['u1', 'u2'] },
                            { value: 'pasta', count: 1, users: ['u2'] },
                        ],
                    },
                },
            }),
            tr,
            undefined,
            { rooms: new Map(), users: new Map([['u1', 'alice'], ['u2', 'bob']]) },
        );
        expect(text).toBe('*#planning* · majorRevision 2 · 0 item(s)\nstate `votes` (set): `pizza` ×2 (@alice, @bob), `pasta` ×1 (@bob)');
    });

    it('speaks the reader\'s language', () => {
        expect(formatView(view([]), translator('de-DE'))).toBe('@alice hat noch keine Metadaten (majorRevision 0).');
    });
});

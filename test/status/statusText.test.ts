import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/catalog';
import { statusText } from '../../src/surfaces/status/statusText';
import { item, notice } from './fakeEngine';

const tr = translator('en');
const SERVER_MENTION = /(?:^|\s|>)@([0-9a-zA-Z-_.]+)/gm;

describe('the status line of a room change', () => {
    it('says who changed which public keys, with their values, and what was removed', () => {
        const text = statusText(
            notice({
                changed: ['color', 'theme'],
                removed: ['old'],
                set: { majorRevision: 3, items: [item('color', 'red', 'public'), item('theme', 'dark', 'public')] },
                before: { majorRevision: 2, items: [item('old', 1, 'public')] },
            }),
            tr,
        );
        expect(text).toBe('alice changed metadata: `color` = `red`, `theme` = `dark` · removed: `old`');
    });

    it('never names a private item, only counts it (public channels are readable by non-members)', () => {
        const text = statusText(
            notice({ changed: ['secret', 'theme'], set: { majorRevision: 3, items: [item('secret', 'hunter2'), item('theme', 'dark', 'public')] } }),
            tr,
        )!;
        expect(text).toBe('alice changed metadata: `theme` = `dark`, 1 private item(s)');
        expect(text).not.toContain('secret');
    });

    it('counts a removed key as private unless it was public before the write', () => {
        const text = statusText(
            notice({ removed: ['gone', 'hidden'], before: { majorRevision: 2, items: [item('gone', 1, 'public'), item('hidden', 2)] } }),
            tr,
        );
        expect(text).toBe('alice removed metadata: `gone`, 1 private item(s)');
    });

    it('counts removed keys as private when it cannot tell what they were', () => {
        expect(statusText(notice({ removed: ['a', 'b'] }), tr)).toBe('alice removed metadata: 2 private item(s)');
    });

    it('counts an item that just turned private as private', () => {
        const text = statusText(notice({ changed: ['theme'], set: { majorRevision: 3, items: [item('theme', 'dark', 'private')] } }), tr);
        expect(text).toBe('alice changed metadata: 1 private item(s)');
    });

    it('reports a state change', () => {
        expect(statusText(notice({ stateChanged: ['votes'] }), tr)).toBe('alice updated state: `votes`');
    });

    it('says nothing when nothing changed', () => {
        expect(statusText(notice(), tr)).toBeUndefined();
    });

    it('lists at most ten keys and counts the rest', () => {
        const keys = Array.from({ length: 14 }, (_, i) => `k${i}`);
        const text = statusText(notice({ removed: keys, before: { majorRevision: 1, items: keys.map((key) => item(key, 1, 'public')) } }), tr)!;
        expect(text).toContain('`k9`');
        expect(text).not.toContain('`k10`');
        expect(text).toContain('+4 more');
    });

    it('cuts long keys and long values', () => {
        const key = `a.${'b'.repeat(200)}`;
        const text = statusText(notice({ changed: [key], set: { majorRevision: 1, items: [item(key, 'v'.repeat(300), 'public')] } }), tr)!;
        expect(text.length).toBeLessThan(140);
    });

    it('mentions nobody, whatever the values say', () => {
        const text = statusText(
            notice({ changed: ['topic'], set: { majorRevision: 1, items: [item('topic', '@all meeting, ping @bob', 'public')] } }),
            tr,
        )!;
        expect([...text.matchAll(SERVER_MENTION)]).toEqual([]);
    });

    it('mentions nobody when the actor name would look like a mention', () => {
        const text = statusText(notice({ actor: { id: 'x', username: '@all', roles: [] }, stateChanged: ['v'] }), tr)!;
        expect([...text.matchAll(SERVER_MENTION)]).toEqual([]);
    });
});

import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/catalog';
import { statusText } from '../../src/surfaces/status/statusText';
import { item, notice } from '../support/changes';

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

    // A public channel's messages are read by non-members, who may not read private items: a status message
    // tells what such a reader sees of the change (access/visibility.ts), and nothing of private items.
    it('never names a private item, nor counts it', () => {
        const text = statusText(
            notice({ changed: ['secret', 'theme'], set: { majorRevision: 3, items: [item('secret', 'hunter2'), item('theme', 'dark', 'public')] } }),
            tr,
        )!;
        expect(text).toBe('alice changed metadata: `theme` = `dark`');
        expect(text).not.toMatch(/secret|hunter2|private/);
    });

    it('names a removed key only if it was public before the write', () => {
        const text = statusText(
            notice({ removed: ['gone', 'hidden'], before: { majorRevision: 2, items: [item('gone', 1, 'public'), item('hidden', 2)] } }),
            tr,
        );
        expect(text).toBe('alice removed metadata: `gone`');
    });

    it('says nothing of removed keys when it cannot tell they were public', () => {
        expect(statusText(notice({ removed: ['a', 'b'] }), tr)).toBeUndefined();
    });

    it('a public key turned private reads as removed, like in events and history', () => {
        const text = statusText(notice({
            changed: ['theme'],
            set: { majorRevision: 3, items: [item('theme', 'dark', 'private')] },
            before: { majorRevision: 2, items: [item('theme', 'dark', 'public')] },
        }), tr);
        expect(text).toBe('alice removed metadata: `theme`');
    });

    it('posts nothing for a change to private items only', () => {
        expect(statusText(notice({ changed: ['secret'], set: { majorRevision: 3, items: [item('secret', 'hunter2')] } }), tr)).toBeUndefined();
    });

    it('reports a state change', () => {
        expect(statusText(notice({ stateChanged: ['votes'] }), tr)).toBe('alice updated state: `votes`');
    });

    it('says nothing when nothing changed', () => {
        expect(statusText(notice(), tr)).toBeUndefined();
    });

    it('lists at most ten keys and counts the rest', () => {
        // Keys come sorted (as a write reports them): k00 … k13.
        const keys = Array.from({ length: 14 }, (_, i) => `k${String(i).padStart(2, '0')}`);
        const text = statusText(notice({ removed: keys, before: { majorRevision: 1, items: keys.map((key) => item(key, 1, 'public')) } }), tr)!;
        expect(text).toContain('`k09`');
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

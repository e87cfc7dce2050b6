import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/catalog';
import { formatSubscribed, formatSubscriptions, formatUnsubscribed } from '../../src/surfaces/command/formatSubscriptions';
import { roomLabels } from '../../src/surfaces/command/subjectLabel';
import { alice, planning } from './views';

const tr = translator('en');
const names = { rooms: new Map([['r-1', '#planning']]), users: new Map<string, string>() };

describe('subscription replies', () => {
    it('says changes arrive in this room', () => {
        expect(formatSubscribed({ subject: alice, roomId: 'ROOM1', createdAt: '2024-05-01T10:00:00Z' }, 'ROOM1', names, tr)).toBe(
            "✓ Subscribed to @alice: every change arrives in this room, from the app's bot.",
        );
    });

    it('names the room changes arrive in when it is another one', () => {
        expect(formatSubscribed({ subject: alice, roomId: 'r-1', createdAt: '2024-05-01T10:00:00Z' }, 'ROOM1', names, tr)).toContain(
            'arrives in #planning',
        );
    });

    it('confirms an unsubscribe by the target typed', () => {
        expect(formatUnsubscribed({ namespace: 'room', ref: 'ROOM1' }, 'ROOM1', true, tr)).toBe('✓ Unsubscribed from here.');
    });

    it('unsubscribing from something you were not subscribed to says so', () => {
        expect(formatUnsubscribed({ namespace: 'user', ref: 'bob' }, 'ROOM1', false, tr)).toBe(
            'You were not subscribed to @bob, so there was nothing to end. `/meta subscriptions` lists what you are subscribed to.',
        );
    });

    it('names a direct room by the other member, as the caller sees it', () => {
        const labels = roomLabels(new Map([['d-1', { directMembers: ['alice', 'bob'] }], ['d-2', { directMembers: ['bob', 'carol'] }]]), 'alice', tr);
        expect(labels).toEqual(new Map([['d-1', 'direct room with @bob'], ['d-2', 'direct room of @bob, @carol']]));
        const dm = { namespace: 'room' as const, id: 'd-1', name: 'd-1' };
        expect(formatSubscribed({ subject: dm, roomId: 'd-1', createdAt: '2024-05-01T10:00:00Z' }, 'ROOM1', { rooms: labels, users: new Map() }, tr)).toBe(
            "✓ Subscribed to direct room with @bob: every change arrives in direct room with @bob, from the app's bot.",
        );
        expect(roomLabels(new Map([['d-1', { directMembers: ['alice', 'bob'] }]]), 'bob', translator('de')).get('d-1')).toBe('Direktnachrichten mit @alice');
    });

    it('lists subscriptions with where they deliver', () => {
        const text = formatSubscriptions(
            [
                { subject: alice, roomId: 'ROOM1', createdAt: '2024-05-01T10:00:00Z' },
                { subject: planning, roomId: 'r-9', createdAt: '2024-06-02T08:00:00Z' },
            ],
            'ROOM1',
            names,
            tr,
        );
        expect(text).toBe(
            ['Your subscriptions (2):', '• @alice → this room (since 2024-05-01)', '• #planning → room:r-9 (since 2024-06-02)'].join('\n'),
        );
    });

    it('says how to subscribe when there is nothing yet', () => {
        expect(formatSubscriptions([], 'ROOM1', names, tr)).toContain('/meta subscribe @username');
    });
});

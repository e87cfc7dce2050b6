import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/catalog';
import { formatSubscribed, formatSubscriptions, formatUnsubscribed } from '../../src/surfaces/command/formatSubscriptions';
import { alice, planning } from './views';

const tr = translator('en');
const names = new Map([['r-1', 'planning']]);

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
        expect(formatUnsubscribed({ namespace: 'room', ref: 'ROOM1' }, 'ROOM1', tr)).toBe('✓ Unsubscribed from here.');
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

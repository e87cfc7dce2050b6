import { describe, expect, it } from 'vitest';

import { translator } from '../../src/i18n/catalog';
import { eventText } from '../../src/surfaces/events/eventText';
import { MetadataEvent } from '../../src/surfaces/events/metadataEvent';

function event(part: Partial<MetadataEvent>): MetadataEvent {
    return {
        type: 'UPDATE',
        subject: { namespace: 'user', id: 'u-alice', name: 'alice' },
        majorRevision: 3,
        items: [],
        document: {},
        state: {},
        changed: [],
        removed: [],
        stateChanged: [],
        actor: { id: 'u-bob', username: 'bob' },
        at: '2024-01-01T00:00:00.000Z',
        ...part,
    };
}

describe('the text of an event', () => {
    it('an update says whose metadata changed, who changed it and which keys', () => {
        expect(eventText(event({ changed: ['a', 'b'], removed: ['c'], stateChanged: ['votes'] })))
            .toBe('Metadata of user alice changed by bob (revision 3): set a, b; removed c; state votes.');
    });

    it('a room is named with #', () => {
        expect(eventText(event({ subject: { namespace: 'room', id: 'r', name: 'general' }, changed: ['a'] }))).toContain('room #general');
    });

    it('long key lists are cut short with a count', () => {
        const changed = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
        expect(eventText(event({ changed }))).toContain('set k1, k2, k3, k4, k5 and 2 more');
    });

    it('a snapshot says the subscription started and how much is there', () => {
        expect(eventText(event({ type: 'SNAPSHOT', items: [] }))).toBe(
            'Subscribed to the metadata of user alice (revision 3, 0 items). Changes will be shown here.',
        );
    });

    it('reads in the subscriber\'s language', () => {
        const de = translator('de');
        expect(eventText(event({ changed: ['a'], removed: ['b'] }), de)).toBe('Metadaten von Benutzer alice geändert von bob (Revision 3): gesetzt a; entfernt b.');
        expect(eventText(event({ type: 'SNAPSHOT', items: [] }), de)).toBe('Metadaten von Benutzer alice abonniert (Revision 3, 0 Einträge). Änderungen erscheinen hier.');
    });

    it('never mentions anyone', () => {
        expect(eventText(event({ changed: ['a'], actor: { id: 'x', username: 'all' } }))).not.toContain('@');
    });
});

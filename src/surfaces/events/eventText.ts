import { MetadataEvent } from './metadataEvent';

const MAX_KEYS_SHOWN = 5;

/**
 * The short human line that carries an event. Names are written without `@`, so the text can never
 * mention anyone; the data is in `customFields.metadataEvent`.
 */
export function eventText(event: MetadataEvent): string {
    const subject = event.subject.namespace === 'room' ? `room #${event.subject.name}` : `user ${event.subject.name}`;
    if (event.type === 'SNAPSHOT') {
        const count = event.items.length;
        return `Subscribed to the metadata of ${subject} (revision ${event.majorRevision}, ${count} item${count === 1 ? '' : 's'}). ` +
            'Changes will be shown here.';
    }
    const parts = [
        event.changed.length > 0 ? `set ${keyList(event.changed)}` : '',
        event.removed.length > 0 ? `removed ${keyList(event.removed)}` : '',
        event.stateChanged.length > 0 ? `state ${keyList(event.stateChanged)}` : '',
    ].filter(Boolean);
    return `Metadata of ${subject} changed by ${event.actor.username} (revision ${event.majorRevision}): ${parts.join('; ')}.`;
}

function keyList(keys: string[]): string {
    const shown = keys.slice(0, MAX_KEYS_SHOWN).join(', ');
    return keys.length > MAX_KEYS_SHOWN ? `${shown} and ${keys.length - MAX_KEYS_SHOWN} more` : shown;
}

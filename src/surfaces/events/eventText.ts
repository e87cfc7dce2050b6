import { Translate, translator } from '../../i18n/catalog';
import { MetadataEvent } from './metadataEvent';

const MAX_KEYS_SHOWN = 5;

/**
 * The short human line that carries an event, in the subscriber's language. Names are written
 * without `@`, so the text can never mention anyone; the data is in `customFields.metadataEvent`.
 */
export function eventText(event: MetadataEvent, tr: Translate = translator()): string {
    const subject = subjectText(event.subject, tr);
    if (event.type === 'SNAPSHOT') {
        const count = event.items.length;
        const items = count === 1 ? tr('Event_Items_One') : tr('Event_Items_Many', { count });
        return tr('Event_Snapshot', { subject, major: event.majorRevision, items });
    }
    const parts = [
        event.changed.length > 0 ? tr('Event_Set', { keys: keyList(event.changed, tr) }) : '',
        event.removed.length > 0 ? tr('Event_Removed', { keys: keyList(event.removed, tr) }) : '',
        event.stateChanged.length > 0 ? tr('Event_State', { keys: keyList(event.stateChanged, tr) }) : '',
    ].filter(Boolean);
    return tr('Event_Update', { subject, actor: event.actor.username, major: event.majorRevision, changes: parts.join('; ') });
}

const SUBJECT_TEXT = { user: 'Event_User', room: 'Event_Room', message: 'Event_Message' } as const;

/** `user alice`, `room #general`, `a message in #general`: an event's subject in the subscriber's language. */
export function subjectText(subject: { namespace: keyof typeof SUBJECT_TEXT; name: string }, tr: Translate): string {
    return tr(SUBJECT_TEXT[subject.namespace], { name: subject.name });
}

function keyList(keys: string[], tr: Translate): string {
    const shown = keys.slice(0, MAX_KEYS_SHOWN).join(', ');
    return keys.length > MAX_KEYS_SHOWN ? tr('Event_More', { keys: shown, count: keys.length - MAX_KEYS_SHOWN }) : shown;
}

/** The text as the subscriber reads it: the sender knows their language. */
export function eventTextFor(event: MetadataEvent): (language?: string) => string {
    return (language) => eventText(event, translator(language));
}

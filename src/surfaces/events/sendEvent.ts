import { Chat } from '../../service/ports';
import { eventTextFor } from './eventText';
import { MetadataEvent } from './metadataEvent';

/**
 * An event reaches its subscriber as an ephemeral message from the app's bot (SPEC §9): a short text in their
 * language, and the event itself in `customFields.metadataEvent` for bots and clients.
 */
export function sendEvent(chat: Pick<Chat, 'notify'>, subscriberId: string, roomId: string, event: MetadataEvent): Promise<void> {
    return chat.notify(subscriberId, roomId, eventTextFor(event), { metadataEvent: event });
}

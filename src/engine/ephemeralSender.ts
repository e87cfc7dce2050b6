import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

import { EventSender, LockEvent, MetadataEvent } from '../surfaces/events/metadataEvent';

/**
 * Events reach a subscriber as an ephemeral message from the app's bot (nothing is stored, only
 * their open sessions see it; needs `message.write`). The event rides in `customFields`.
 */
export function createEphemeralSender(read: IRead, modify: IModify): EventSender {
    let bot: Promise<IUser | undefined> | undefined;
    const appUser = () => (bot ??= read.getUserReader().getAppUser());
    return {
        async send(subscriberId: string, roomId: string, text: (language?: string) => string, event: MetadataEvent | LockEvent): Promise<void> {
            const [sender, subscriber, room] = await Promise.all([
                appUser(),
                read.getUserReader().getById(subscriberId),
                read.getRoomReader().getById(roomId),
            ]);
            if (!sender) throw new Error('the app has no bot user to send events as');
            if (!subscriber) throw new Error(`no user ${subscriberId} to send the event to`);
            if (!room) throw new Error(`the delivery room ${roomId} no longer exists`);
            const message: IMessage = {
                room,
                sender,
                text: text(subscriber.settings?.preferences?.language),
                groupable: false,
                parseUrls: false,
                customFields: { metadataEvent: event },
            };
            await modify.getNotifier().notifyUser(subscriber, message);
        },
    };
}

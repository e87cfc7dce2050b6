import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';

import { DeliveryRooms } from '../service/ports';

/** The caller's direct room with the app's bot, created when it does not exist yet (needs `room.write`). */
export function createBotDirectRooms(read: IRead, modify: IModify): DeliveryRooms {
    return {
        async directRoomWith(caller) {
            const bot = await read.getUserReader().getAppUser();
            if (!bot) throw new Error('the app has no bot user');
            const usernames = [bot.username, caller.username];
            const existing = await read.getRoomReader().getDirectByUsernames(usernames).catch(() => undefined);
            if (existing?.id) return existing.id;
            const creator = modify.getCreator();
            const builder = creator.startRoom()
                .setType(RoomType.DIRECT_MESSAGE)
                .setCreator(bot)
                .setMembersToBeAddedByUsernames(usernames);
            const roomId = await creator.finish(builder);
            if (!roomId) throw new Error('the server did not create the direct room');
            return roomId;
        },
    };
}

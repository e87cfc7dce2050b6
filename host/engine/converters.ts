// Conversions between the stored documents (Rocket.Chat's shapes) and the engine's objects, following Rocket.Chat's
// converters (apps/meteor/app/apps/server/converters/{users,rooms,messages,settings}.ts): same field mapping,
// same "creator is the full user", same leftovers in `_unmappedProperties_`, same errors for a message without a
// room.
import type { IMessage, IMessageRaw } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UserStatusConnection, UserType } from '@rocket.chat/apps-engine/definition/users';

import type { MessageDoc, RoomDoc, RoomKind, SettingDoc, UserDoc, UserRef } from '../store/docs';
import { randomId } from '../store/ids';
import type { Rooms } from '../store/Rooms';
import type { Users } from '../store/Users';

function userType(type: UserDoc['type'] | undefined): UserType {
    switch (type) {
        case 'user':
            return UserType.USER;
        case 'bot':
            return UserType.BOT;
        case 'app':
            return UserType.APP;
        default:
            return UserType.UNKNOWN;
    }
}

function statusConnection(status: string | undefined): UserStatusConnection {
    switch (status) {
        case 'online':
            return UserStatusConnection.ONLINE;
        case 'away':
            return UserStatusConnection.AWAY;
        case 'busy':
            return UserStatusConnection.BUSY;
        case 'offline':
            return UserStatusConnection.OFFLINE;
        default:
            return UserStatusConnection.UNDEFINED;
    }
}

export class Converters {
    constructor(
        private readonly users: Users,
        private readonly rooms: Rooms,
    ) {}

    // --- users -----------------------------------------------------------------------------------------

    userToApp(user: UserDoc | undefined): IUser | undefined {
        if (!user) {
            return undefined;
        }
        return {
            id: user._id,
            username: user.username,
            emails: user.emails ?? [],
            type: userType(user.type),
            isEnabled: user.active,
            name: user.name ?? user.username,
            roles: user.roles,
            bio: user.bio,
            status: user.status ?? 'offline',
            statusText: user.statusText,
            statusConnection: statusConnection(user.statusConnection),
            utcOffset: user.utcOffset ?? 0,
            createdAt: user.createdAt,
            updatedAt: user._updatedAt,
            lastLoginAt: user.lastLogin as Date,
            appId: user.appId,
            customFields: user.customFields,
            settings: { preferences: { ...(user.settings?.preferences?.language && { language: user.settings.preferences.language }) } },
        } as IUser;
    }

    userById(id: string | undefined): IUser | undefined {
        return id ? this.userToApp(this.users.findById(id)) : undefined;
    }

    /** Rocket.Chat's convertToRocketChat: engine field names → document field names (only the given ones). */
    appUserToDoc(user: Partial<IUser>): Partial<UserDoc> {
        const out: Record<string, unknown> = {
            _id: user.id,
            username: user.username,
            emails: user.emails,
            type: user.type,
            active: user.isEnabled,
            name: user.name,
            roles: user.roles,
            bio: user.bio,
            status: user.status,
            statusConnection: user.statusConnection,
            utcOffset: user.utcOffset,
            createdAt: user.createdAt,
            _updatedAt: user.updatedAt,
            lastLogin: user.lastLoginAt,
            appId: user.appId,
        };
        for (const key of Object.keys(out)) {
            if (out[key] === undefined || out[key] === null || out[key] === '') {
                delete out[key];
            }
        }
        return out as Partial<UserDoc>;
    }

    static userRef(user: Pick<UserDoc, '_id' | 'username' | 'name'>): UserRef {
        return { _id: user._id, username: user.username, ...(user.name && { name: user.name }) };
    }

    // --- rooms -----------------------------------------------------------------------------------------

    static roomTypeToApp(t: RoomKind): RoomType {
        switch (t) {
            case 'c':
                return RoomType.CHANNEL;
            case 'p':
                return RoomType.PRIVATE_GROUP;
            case 'd':
                return RoomType.DIRECT_MESSAGE;
            default:
                return RoomType.LIVE_CHAT;
        }
    }

    roomToApp(room: RoomDoc | undefined): IRoom | undefined {
        if (!room) {
            return undefined;
        }
        const {
            _id,
            fname,
            name,
            uids,
            msgs,
            ts,
            _updatedAt,
            lm,
            customFields,
            description,
            default: isDefault,
            ro,
            sysMes,
            t,
            u,
            prid,
            ...unmapped
        } = room;
        const converted: Record<string, unknown> = {
            id: _id,
            displayName: fname,
            slugifiedName: name,
            userIds: uids,
            messageCount: msgs,
            createdAt: ts,
            updatedAt: _updatedAt,
            lastModifiedAt: lm,
            customFields,
            description,
            isDefault: Boolean(isDefault),
            isReadOnly: Boolean(ro),
            displaySystemMessages: sysMes === undefined ? true : sysMes,
            type: Converters.roomTypeToApp(t),
            creator: u ? this.userById(u._id) : undefined,
            parentRoom: prid ? this.roomToApp(this.rooms.findById(prid)) : undefined,
            _unmappedProperties_: unmapped,
        };
        for (const key of Object.keys(converted)) {
            if (converted[key] === undefined) {
                delete converted[key];
            }
        }
        return converted as unknown as IRoom;
    }

    roomById(id: string | undefined): IRoom | undefined {
        return id ? this.roomToApp(this.rooms.findById(id)) : undefined;
    }

    /** Rocket.Chat's convertAppRoom(room, isPartial): only the fields present are converted. */
    appRoomToDoc(room: Partial<IRoom> & { _unmappedProperties_?: Record<string, unknown> }, isPartial: boolean): Partial<RoomDoc> {
        const creator = room.creator?.id ? this.users.findById(room.creator.id) : undefined;
        const out: Partial<RoomDoc> = {
            ...(room.id && { _id: room.id }),
            ...(room.type !== undefined && { t: room.type as RoomKind }),
            ...(room.createdAt !== undefined && { ts: room.createdAt }),
            ...(room.messageCount !== undefined && { msgs: room.messageCount || 0 }),
            ...(room.updatedAt !== undefined && { _updatedAt: room.updatedAt }),
            ...(room.displayName && { fname: room.displayName }),
            ...(room.type !== RoomType.DIRECT_MESSAGE && room.slugifiedName && { name: room.slugifiedName }),
            ...(room.isDefault !== undefined && { default: room.isDefault }),
            ...(room.isReadOnly !== undefined && { ro: room.isReadOnly }),
            ...(room.displaySystemMessages !== undefined && { sysMes: room.displaySystemMessages }),
            ...(creator && { u: Converters.userRef(creator) }),
            ...(room.userIds && { uids: room.userIds }),
            ...(room.lastModifiedAt && { lm: room.lastModifiedAt }),
            ...(room.customFields && { customFields: room.customFields }),
            ...(room.description !== undefined && { description: room.description }),
            ...(room.parentRoom !== undefined && { prid: room.parentRoom.id }),
        };
        if (!isPartial) {
            Object.assign(out, room._unmappedProperties_);
        }
        return out;
    }

    // --- messages --------------------------------------------------------------------------------------

    messageToApp(message: MessageDoc | undefined): IMessage | undefined {
        if (!message) {
            return undefined;
        }
        const { _id, tmid, reactions, parseUrls, msg, ts, _updatedAt, editedAt, emoji, avatar, alias, customFields, groupable, blocks, t, rid, editedBy, attachments, u, ...unmapped } =
            message;
        const sender = this.userById(u?._id) ?? (u ? ({ id: u._id, username: u.username, name: u.name } as IUser) : undefined);
        const converted: Record<string, unknown> = {
            id: _id,
            threadId: tmid,
            reactions,
            parseUrls,
            text: msg,
            createdAt: ts,
            updatedAt: _updatedAt,
            editedAt,
            emoji,
            avatarUrl: avatar,
            alias,
            customFields,
            groupable,
            blocks,
            type: t,
            room: this.roomById(rid),
            editor: editedBy ? this.userById(editedBy._id) : undefined,
            attachments,
            sender,
            _unmappedProperties_: unmapped,
        };
        for (const key of Object.keys(converted)) {
            if (converted[key] === undefined) {
                delete converted[key];
            }
        }
        return converted as unknown as IMessage;
    }

    messageToRaw(message: MessageDoc): IMessageRaw {
        const { _id, tmid, reactions, parseUrls, msg, ts, _updatedAt, editedAt, emoji, avatar, alias, customFields, groupable, blocks, rid, editedBy, attachments, u, t } = message;
        return {
            id: _id,
            threadId: tmid,
            reactions,
            parseUrls,
            text: msg,
            createdAt: ts,
            updatedAt: _updatedAt,
            editedAt,
            emoji,
            avatarUrl: avatar,
            alias,
            customFields,
            groupable,
            blocks,
            roomId: rid,
            editor: editedBy,
            attachments,
            sender: u,
            type: t,
        } as unknown as IMessageRaw;
    }

    /**
     * Rocket.Chat's convertAppMessage. A message whose room does not exist is refused ("Invalid room provided on the
     * message.") unless partial (an update carries only its changes).
     */
    appMessageToDoc(message: Partial<IMessage> & { _unmappedProperties_?: Record<string, unknown> }, isPartial: boolean): Partial<MessageDoc> {
        let rid: string | undefined;
        if (message.room?.id) {
            rid = this.rooms.findById(message.room.id)?._id;
        }
        if (!rid && !isPartial) {
            throw new Error('Invalid room provided on the message.');
        }
        let u: UserRef | undefined;
        if (message.sender?.id) {
            const user = this.users.findById(message.sender.id);
            u = user ? Converters.userRef(user) : { _id: message.sender.id, username: message.sender.username, name: message.sender.name };
        }
        let editedBy: MessageDoc['editedBy'];
        if (message.editor?.id) {
            const editor = this.users.findById(message.editor.id);
            editedBy = editor ? { _id: editor._id, username: editor.username } : undefined;
        }
        const out: Record<string, unknown> = {
            _id: message.id ?? (isPartial ? undefined : randomId()),
            ...('threadId' in message && { tmid: message.threadId }),
            rid,
            u,
            msg: message.text,
            ts: message.createdAt ?? (isPartial ? undefined : new Date()),
            _updatedAt: message.updatedAt,
            ...(editedBy && { editedBy }),
            ...('editedAt' in message && { editedAt: message.editedAt }),
            ...('emoji' in message && { emoji: message.emoji }),
            ...('avatarUrl' in message && { avatar: message.avatarUrl }),
            ...('alias' in message && { alias: message.alias }),
            ...('customFields' in message && { customFields: message.customFields }),
            ...('groupable' in message && { groupable: message.groupable }),
            ...(message.attachments && { attachments: message.attachments }),
            ...('reactions' in message && { reactions: message.reactions }),
            ...('parseUrls' in message && { parseUrls: message.parseUrls }),
            ...('blocks' in message && { blocks: message.blocks }),
        };
        if (isPartial) {
            for (const key of Object.keys(out)) {
                if (out[key] === undefined) {
                    delete out[key];
                }
            }
        } else {
            Object.assign(out, message._unmappedProperties_);
        }
        return out as Partial<MessageDoc>;
    }

    // --- settings --------------------------------------------------------------------------------------

    settingToApp(setting: SettingDoc | undefined): ISetting | undefined {
        if (!setting) {
            return undefined;
        }
        const types: Record<SettingDoc['type'], SettingType> = {
            boolean: SettingType.BOOLEAN,
            code: SettingType.CODE,
            int: SettingType.NUMBER,
            select: SettingType.SELECT,
            string: SettingType.STRING,
            password: SettingType.PASSWORD,
        };
        return {
            id: setting._id,
            type: types[setting.type] ?? SettingType.STRING,
            packageValue: setting.packageValue,
            value: setting.value,
            required: false,
            public: Boolean(setting.public),
            i18nLabel: setting.i18nLabel ?? setting._id,
            i18nDescription: setting.i18nDescription,
            createdAt: setting.createdAt,
            updatedAt: setting._updatedAt,
        };
    }
}

import type { IMessage, IMessageRaw } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom, IRoomRaw } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { RoomBridge, type GetMessagesOptions, type GetRoomsFilters, type GetRoomsOptions } from '@rocket.chat/apps-engine/server/bridges/RoomBridge';

import type { HostContext } from '../engine/context';
import { createDirect, createRoom } from '../lib/rooms';
import type { RoomDoc, RoomRole } from '../store/docs';

/**
 * Rooms as Rocket.Chat's AppRoomBridge (apps/meteor/app/apps/server/bridges/rooms.ts) serves them.
 *
 * Updates: the engine's room updater sends `{id, ...changes}` (only what the app changed) and the server
 * `$set`s the converted fields, so `setCustomFields`/`addCustomField` replace the room's whole `customFields`
 * object (merge before writing). The engine itself checks the builder's room before it sends anything: it refuses to
 * finish() a room without a creator ("Invalid creator assigned to the room."), a slugifiedName or a displayName —
 * #general (id GENERAL, created by the server without an owner) and direct rooms (no name) — unless the app fills
 * those in on the builder's copy, which this engine (1.62, changes only) never sends.
 */
export class HostRoomBridge extends RoomBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async create(room: IRoom, members: Array<string>, _appId: string): Promise<string> {
        const creatorId = room.creator?.id;
        const creator = creatorId ? this.ctx.users.findById(creatorId) : undefined;
        switch (room.type) {
            case RoomType.CHANNEL:
            case RoomType.PRIVATE_GROUP: {
                if (!creator) {
                    throw new Error('Invalid user');
                }
                const doc = this.ctx.convert.appRoomToDoc(room, false);
                const { name, t, ro, customFields, ...extra } = doc;
                return createRoom(this.ctx, {
                    t: t as 'c' | 'p',
                    name: name ?? '',
                    creator,
                    members,
                    ro,
                    customFields,
                    extra: { ...extra, _id: undefined } as Partial<RoomDoc>,
                })._id;
            }
            case RoomType.DIRECT_MESSAGE:
                if (!creatorId) {
                    throw new Error('Invalid user');
                }
                return createDirect(this.ctx, creatorId, members)._id;
            default:
                throw new Error('Only channels, private groups and direct messages can be created.');
        }
    }

    protected async getById(roomId: string, _appId: string): Promise<IRoom> {
        return this.ctx.convert.roomById(roomId) as IRoom;
    }

    protected async getByName(roomName: string, _appId: string): Promise<IRoom> {
        return this.ctx.convert.roomToApp(this.ctx.rooms.findByName(roomName)) as IRoom;
    }

    protected async getCreatorById(roomId: string, _appId: string): Promise<IUser | undefined> {
        const room = this.ctx.rooms.findById(roomId);
        return room?.u?._id ? this.ctx.convert.userById(room.u._id) : undefined;
    }

    protected async getCreatorByName(roomName: string, _appId: string): Promise<IUser | undefined> {
        const room = this.ctx.rooms.findByName(roomName);
        return room?.u?._id ? this.ctx.convert.userById(room.u._id) : undefined;
    }

    protected async getDirectByUsernames(usernames: Array<string>, _appId: string): Promise<IRoom | undefined> {
        return this.ctx.convert.roomToApp(this.ctx.rooms.findDirectContainingAllUsernames(usernames));
    }

    protected async getMembers(roomId: string, _appId: string): Promise<Array<IUser>> {
        return this.ctx.rooms.memberIds(roomId).map((id) => this.ctx.convert.userById(id) as IUser);
    }

    protected async getAllRooms(filters: GetRoomsFilters, options: GetRoomsOptions, _appId: string): Promise<Array<IRoomRaw>> {
        let rooms = this.ctx.rooms.list(filters?.types ? { types: filters.types as string[] } : {});
        if (filters?.discussions === true) rooms = rooms.filter((r) => r.prid);
        if (filters?.discussions === false) rooms = rooms.filter((r) => !r.prid);
        const skip = options?.skip ?? 0;
        const limit = options?.limit ?? 100;
        return rooms.slice(skip, skip + limit).map((r) => this.toRaw(r));
    }

    protected async update(room: IRoom, members: Array<string>, _appId: string): Promise<void> {
        const fields = this.ctx.convert.appRoomToDoc(room, true);
        delete fields._id;
        if (!this.ctx.rooms.set(room.id, fields)) {
            throw new Error('Room id not found');
        }
        for (const username of members ?? []) {
            const member = this.ctx.users.findByUsername(username);
            if (member) {
                this.ctx.rooms.addMember(room.id, member);
            }
        }
    }

    protected async createDiscussion(room: IRoom, _parentMessage: IMessage | undefined, _reply: string | undefined, members: Array<string>, _appId: string): Promise<string> {
        const parent = room.parentRoom?.id ? this.ctx.rooms.findById(room.parentRoom.id) : undefined;
        if (!parent) {
            throw new Error('There must be a parent room to create a discussion.');
        }
        const creator = room.creator?.id ? this.ctx.users.findById(room.creator.id) : undefined;
        if (!creator) {
            throw new Error('Invalid user');
        }
        const fname = room.displayName ?? 'discussion';
        return createRoom(this.ctx, {
            t: parent.t === 'c' ? 'c' : 'p',
            name: `${fname.replace(/[^0-9a-zA-Z-_.]/g, '-')}-${Date.now().toString(36)}`,
            creator,
            members,
            extra: { fname, prid: parent._id },
        })._id;
    }

    protected async delete(roomId: string, _appId: string): Promise<void> {
        this.ctx.rooms.remove(roomId);
    }

    protected async getModerators(roomId: string, _appId: string): Promise<Array<IUser>> {
        return this.withRole(roomId, 'moderator');
    }

    protected async getOwners(roomId: string, _appId: string): Promise<Array<IUser>> {
        return this.withRole(roomId, 'owner');
    }

    protected async getLeaders(roomId: string, _appId: string): Promise<Array<IUser>> {
        return this.withRole(roomId, 'leader');
    }

    protected async getMessages(roomId: string, options: GetMessagesOptions, _appId: string): Promise<IMessageRaw[]> {
        const order = options?.sort?.createdAt === 'desc' ? 'desc' : 'asc';
        return this.ctx.messages
            .listByRoom(roomId, { order, limit: options?.limit, offset: options?.skip ?? 0, includeThreads: Boolean(options?.showThreadMessages) })
            .filter((m) => !m.t)
            .map((m) => this.ctx.convert.messageToRaw(m));
    }

    protected async removeUsers(roomId: string, usernames: Array<string>, _appId: string): Promise<void> {
        if (!roomId) {
            throw new Error('roomId was not provided.');
        }
        for (const username of usernames) {
            const user = this.ctx.users.findByUsername(username);
            if (user) {
                this.ctx.rooms.removeMember(roomId, user._id);
            }
        }
    }

    protected async getUnreadByUser(roomId: string, uid: string, _options: GetMessagesOptions, _appId: string): Promise<IMessageRaw[]> {
        if (!this.ctx.rooms.isMember(roomId, uid)) {
            throw new Error('User not subscribed to room');
        }
        // The host does not track what users have read.
        return [];
    }

    protected async getUserUnreadMessageCount(roomId: string, uid: string, _appId: string): Promise<number> {
        if (!this.ctx.rooms.isMember(roomId, uid)) {
            throw new Error('User not subscribed to room');
        }
        return 0;
    }

    // --------------------------------------------------------------------------------------------------------

    private withRole(roomId: string, role: RoomRole): IUser[] {
        return this.ctx.rooms.memberIdsWithRole(roomId, role).map((id) => this.ctx.convert.userById(id) as IUser);
    }

    private toRaw(room: RoomDoc): IRoomRaw {
        return {
            id: room._id,
            slugifiedName: room.name as string,
            displayName: room.fname,
            type: room.t as IRoomRaw['type'],
            creator: room.u ? { _id: room.u._id, username: room.u.username, ...(room.u.name && { name: room.u.name }) } : undefined,
            userIds: room.uids,
            usernames: room.usernames,
            isDefault: room.default,
            isReadOnly: room.ro,
            displaySystemMessages: room.sysMes,
            messageCount: room.msgs,
            createdAt: room.ts,
            updatedAt: room._updatedAt,
            lastModifiedAt: room.lm,
            description: room.description,
            customFields: room.customFields,
            parentRoomId: room.prid,
        } as IRoomRaw;
    }
}

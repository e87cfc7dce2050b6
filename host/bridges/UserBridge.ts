import type { IUser, IUserCreationOptions, UserType } from '@rocket.chat/apps-engine/definition/users';
import { UserBridge } from '@rocket.chat/apps-engine/server/bridges/UserBridge';

import type { HostContext } from '../engine/context';
import type { UserDoc } from '../store/docs';
import { randomId } from '../store/ids';

/**
 * Users as Rocket.Chat's AppUserBridge (apps/meteor/app/apps/server/bridges/users.ts) serves them.
 *
 * The app's bot: on install and on every update the engine calls `getAppUser(appId)` and, when there is none,
 * `create({username: '<nameSlug>.bot', type: 'app', roles: ['app'], appId, …})`. Like the server, the host only
 * creates `app`/`bot` users (a taken username fails the install), and ignores `joinDefaultChannels`: the bot is a
 * member of no room, which the server does not need for it to post (app users skip the membership check).
 *
 * `update(user, fields)` is Mongo's `$set` of the given fields: `updateCustomFields` replaces the whole
 * `customFields` object.
 */
export class HostUserBridge extends UserBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async getById(id: string, _appId: string): Promise<IUser> {
        return this.ctx.convert.userById(id) as IUser;
    }

    protected async getByUsername(username: string, _appId: string): Promise<IUser> {
        return this.ctx.convert.userToApp(this.ctx.users.findByUsername(username)) as IUser;
    }

    protected async getAppUser(appId?: string): Promise<IUser | undefined> {
        if (!appId) {
            return undefined;
        }
        return this.ctx.convert.userToApp(this.ctx.users.findByAppId(appId));
    }

    protected async getActiveUserCount(): Promise<number> {
        return this.ctx.users.countActiveHumans();
    }

    protected async getUserUnreadMessageCount(_uid: string, _appId: string): Promise<number> {
        // The host does not track read receipts.
        return 0;
    }

    protected async getUserRoomIds(userId: string, _appId: string): Promise<string[]> {
        return this.ctx.rooms.roomIdsOf(userId);
    }

    protected async create(data: Partial<IUser>, appId: string, _options?: IUserCreationOptions): Promise<string> {
        const fields = this.ctx.convert.appUserToDoc(data);
        const now = new Date();
        const user: UserDoc = {
            roles: [],
            active: true,
            ...fields,
            _id: fields._id ?? randomId(),
            username: fields.username as string,
            type: fields.type as UserDoc['type'],
            createdAt: fields.createdAt ?? now,
            _updatedAt: now,
            appId: fields.appId ?? appId,
        };
        switch (user.type) {
            case 'bot':
            case 'app':
                if (!user.username || this.ctx.users.isUsernameTaken(user.username)) {
                    throw new Error(`The username "${user.username}" is already being used. Rename or remove the user using it to install this App`);
                }
                this.ctx.users.insert(user);
                break;
            default:
                throw new Error('Creating normal users is currently not supported');
        }
        return user._id;
    }

    protected async remove(user: IUser, _appId: string): Promise<boolean> {
        if (!user) {
            return true;
        }
        this.ctx.users.remove(user.id);
        return true;
    }

    protected async update(user: IUser, updates: Partial<IUser>, _appId: string): Promise<boolean> {
        if (!user) {
            throw new Error('User not provided');
        }
        const fields = { ...updates } as Record<string, unknown>;
        if (Object.keys(fields).length === 0) {
            return true;
        }
        // The server sets presence through its Presence service, then `$set`s the rest as given.
        if (fields.status) {
            fields.statusConnection = fields.status;
        }
        this.ctx.users.set(user.id, fields as Partial<UserDoc>);
        return true;
    }

    protected async deleteUsersCreatedByApp(appId: string, type: UserType.APP | UserType.BOT): Promise<boolean> {
        const victims = this.ctx.users.list().filter((u) => u.appId === appId && u.type === type);
        for (const user of victims) {
            this.ctx.users.remove(user._id);
        }
        return victims.length > 0;
    }

    protected async deactivate(userId: string, _confirmRelinquish: boolean, _appId: string): Promise<boolean> {
        if (!userId) {
            throw new Error('Invalid user id');
        }
        this.ctx.users.set(userId, { active: false });
        return true;
    }
}

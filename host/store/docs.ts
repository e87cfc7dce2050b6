// Documents as Rocket.Chat stores them in MongoDB (the fields the host needs, same names). The bridges convert
// between these and the engine's IUser / IRoom / IMessage exactly where Rocket.Chat's converters do.

export type UserKind = 'user' | 'bot' | 'app';

export interface UserDoc {
    _id: string;
    username: string;
    name?: string;
    type: UserKind;
    active: boolean;
    roles: string[];
    status?: string;
    statusText?: string;
    statusConnection?: string;
    utcOffset?: number;
    emails?: Array<{ address: string; verified: boolean }>;
    bio?: string;
    createdAt: Date;
    _updatedAt: Date;
    lastLogin?: Date;
    /** set on an app's bot user */
    appId?: string;
    customFields?: Record<string, unknown>;
    /** users.setPreferences writes `language` both here and under settings.preferences, as the server does */
    language?: string;
    settings?: { preferences?: { language?: string; [preference: string]: unknown } };
}

export type RoomKind = 'c' | 'p' | 'd' | 'l';

export interface UserRef {
    _id: string;
    username: string;
    name?: string;
}

export interface RoomDoc {
    _id: string;
    t: RoomKind;
    /** slug; absent on direct rooms */
    name?: string;
    /** display name; absent on direct rooms */
    fname?: string;
    /** the creator; absent on #general, as on a real server */
    u?: UserRef;
    default?: boolean;
    ro?: boolean;
    sysMes?: boolean;
    ts: Date;
    _updatedAt: Date;
    lm?: Date;
    msgs: number;
    usersCount: number;
    customFields?: Record<string, unknown>;
    description?: string;
    topic?: string;
    /** direct rooms: the members' ids and usernames */
    uids?: string[];
    usernames?: string[];
    /** discussions: the parent room */
    prid?: string;
}

export type RoomRole = 'owner' | 'moderator' | 'leader';

export interface SubscriptionDoc {
    rid: string;
    uid: string;
    roles: RoomRole[];
    ts: Date;
}

export interface MessageDoc {
    _id: string;
    rid: string;
    msg: string;
    ts: Date;
    u: UserRef;
    _updatedAt: Date;
    /** who a message notifies, computed like the server does (see host/lib/mentions.ts) */
    mentions?: UserRef[];
    customFields?: Record<string, unknown>;
    attachments?: unknown[];
    blocks?: unknown[];
    alias?: string;
    avatar?: string;
    emoji?: string;
    groupable?: boolean;
    parseUrls?: boolean;
    tmid?: string;
    editedAt?: Date;
    editedBy?: { _id: string; username: string };
    reactions?: Record<string, { usernames: string[] }>;
    /** system message type */
    t?: string;
    [unmapped: string]: unknown;
}

/** An ephemeral message as the server broadcasts it to one user's sessions (notify.ephemeralMessage). */
export interface NotificationRecord {
    seq: number;
    /** the user it was sent to */
    userId: string;
    roomId: string | null;
    kind: 'ephemeral' | 'uiInteraction';
    ts: string;
    /** which host instance emitted it */
    instance: string | null;
    /** the message (kind ephemeral) or the UIKit interaction (kind uiInteraction) */
    message: Record<string, unknown>;
}

export interface SettingDoc {
    _id: string;
    type: 'boolean' | 'string' | 'int' | 'code' | 'select' | 'password';
    value: unknown;
    packageValue: unknown;
    public?: boolean;
    secret?: boolean;
    i18nLabel?: string;
    i18nDescription?: string;
    group?: string;
    createdAt?: Date;
    _updatedAt?: Date;
}

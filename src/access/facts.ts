import { Namespace } from '../core/types';

/**
 * Everything the access rules look at, gathered by the service before it asks. Keeping the rules
 * over plain facts lets them be tested without the engine and keeps them in one place.
 */
export interface AccessFacts {
    callerId: string;
    callerRoles: string[];
    /** roles that count as admins (app setting) */
    adminRoles: string[];
    subject: UserSubjectFacts | RoomSubjectFacts;
}

export interface UserSubjectFacts {
    namespace: Extract<Namespace, 'user'>;
    userId: string;
}

/** Rocket.Chat room types: `c` channel, `p` private group, `d` direct, `l` livechat (others: unknown). */
export type RoomType = 'c' | 'p' | 'd' | 'l' | string;

export interface RoomSubjectFacts {
    namespace: Extract<Namespace, 'room'>;
    roomType: RoomType;
    callerIsMember: boolean;
    callerIsOwner: boolean;
    callerIsModerator: boolean;
    /** app setting: every member may write the room's items */
    membersMayWrite: boolean;
}

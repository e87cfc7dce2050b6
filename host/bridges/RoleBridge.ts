import type { IRole } from '@rocket.chat/apps-engine/definition/roles';
import { RoleBridge } from '@rocket.chat/apps-engine/server/bridges/RoleBridge';

/** The roles a fresh Rocket.Chat has (the host has no custom roles). */
const ROLES: IRole[] = [
    { id: 'admin', name: 'admin', description: 'Admin', mandatory2fa: false, protected: true, scope: 'Users' },
    { id: 'user', name: 'user', description: '', mandatory2fa: false, protected: true, scope: 'Users' },
    { id: 'bot', name: 'bot', description: '', mandatory2fa: false, protected: true, scope: 'Users' },
    { id: 'app', name: 'app', description: '', mandatory2fa: false, protected: true, scope: 'Users' },
    { id: 'guest', name: 'guest', description: '', mandatory2fa: false, protected: true, scope: 'Users' },
    { id: 'owner', name: 'owner', description: 'Owner', mandatory2fa: false, protected: true, scope: 'Subscriptions' },
    { id: 'moderator', name: 'moderator', description: 'Moderator', mandatory2fa: false, protected: true, scope: 'Subscriptions' },
    { id: 'leader', name: 'leader', description: 'Leader', mandatory2fa: false, protected: true, scope: 'Subscriptions' },
] as IRole[];

export class HostRoleBridge extends RoleBridge {
    protected async getOneByIdOrName(idOrName: string, _appId: string): Promise<IRole | null> {
        return ROLES.find((r) => r.id === idOrName || r.name === idOrName) ?? null;
    }

    protected async getCustomRoles(_appId: string): Promise<Array<IRole>> {
        return [];
    }
}

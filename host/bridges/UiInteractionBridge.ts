import type { IUIKitInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UiInteractionBridge } from '@rocket.chat/apps-engine/server/bridges/UiInteractionBridge';

import type { HostContext } from '../engine/context';

/** UIKit interactions (open a modal, …) are pushed to the user's sessions; the host records them as notifications. */
export class HostUiInteractionBridge extends UiInteractionBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async notifyUser(user: IUser, interaction: IUIKitInteraction, _appId: string): Promise<void> {
        this.ctx.notifications.insert({
            userId: user.id,
            roomId: null,
            kind: 'uiInteraction',
            instance: this.ctx.instanceId,
            message: interaction as unknown as Record<string, unknown>,
        });
    }
}

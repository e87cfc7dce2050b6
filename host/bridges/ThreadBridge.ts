import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { ThreadBridge } from '@rocket.chat/apps-engine/server/bridges/ThreadBridge';

import type { HostContext } from '../engine/context';

/** A thread: its first message followed by the replies (messages whose tmid is the thread's id). */
export class HostThreadBridge extends ThreadBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async getById(messageId: string, _appId: string): Promise<Array<IMessage>> {
        const parent = this.ctx.messages.findById(messageId);
        if (!parent) {
            return [];
        }
        const replies = this.ctx.messages.listByRoom(parent.rid).filter((m) => m.tmid === messageId);
        return [parent, ...replies].map((m) => this.ctx.convert.messageToApp(m) as IMessage);
    }
}

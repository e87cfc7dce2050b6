import { IConfigurationExtend, IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { IMessage, IMessageDeleteContext, IPostMessageDeleted, IPreMessageDeletePrevent } from '@rocket.chat/apps-engine/definition/messages';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';

/*
 * Tests only (test/e2e/hostMessageDelete.test.ts, test/browser/messages.test.ts; packaged by test/support/probeApp.ts): an app that shows what the local host
 * hands an app when a message is deleted, and edits and deletes messages through the engine as an app does.
 *
 *   IPostMessageDeleted       records each call (what arrived in which argument) in its persistence, associated
 *                             with misc `probe:deleted`; `GET /api/v1/host.persistence?contains=probe:deleted` reads it
 *   IPreMessageDeletePrevent  prevents deleting a message whose text contains `#keep`
 *   /probe post TEXT          the app's bot posts TEXT in the room, with a button under it (UIKit blocks)
 *   /probe edit ID TEXT       the bot edits message ID in place (modify.getUpdater().message): TEXT, new blocks
 *   /probe delete ID          the bot deletes message ID (modify.getDeleter().deleteMessage)
 */

const DELETED = 'probe:deleted';

function blocks(text: string) {
    return [
        { type: 'section', blockId: 'probe-text', text: { type: 'mrkdwn', text } },
        { type: 'actions', blockId: 'probe-actions', elements: [{ type: 'button', actionId: 'probe-button', text: { type: 'plain_text', text: `About ${text}` }, value: text }] },
    ];
}

class ProbeCommand implements ISlashCommand {
    public command = 'probe';
    public i18nParamsExample = '';
    public i18nDescription = '';
    public providesPreview = false;

    public async executor(context: SlashCommandContext, read: IRead, modify: IModify): Promise<void> {
        const [action, ...rest] = context.getArguments();
        const bot = await read.getUserReader().getAppUser();
        if (!bot) throw new Error('the app has no user');
        if (action === 'post') {
            const text = rest.join(' ');
            const message = modify.getCreator().startMessage().setRoom(context.getRoom()).setSender(bot).setText(text).setBlocks(blocks(text) as never);
            await modify.getCreator().finish(message);
            return;
        }
        const [id, ...words] = rest;
        if (action === 'edit') {
            const text = words.join(' ');
            const builder = await modify.getUpdater().message(id, bot);
            builder.setEditor(bot).setText(text).setBlocks(blocks(text) as never);
            await modify.getUpdater().finish(builder);
            return;
        }
        if (action === 'delete') {
            const message = await read.getMessageReader().getById(id);
            if (!message) throw new Error(`no message ${id}`);
            await modify.getDeleter().deleteMessage(message, bot);
            return;
        }
        throw new Error(`unknown action ${action}`);
    }
}

export default class ProbeApp extends App implements IPreMessageDeletePrevent, IPostMessageDeleted {
    protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
        await configuration.slashCommands.provideSlashCommand(new ProbeCommand());
    }

    public async executePreMessageDeletePrevent(message: IMessage): Promise<boolean> {
        return (message.text ?? '').includes('#keep');
    }

    public async executePostMessageDeleted(message: IMessage, read: IRead, http: IHttp, persistence: IPersistence, modify: IModify, context: IMessageDeleteContext): Promise<void> {
        await persistence.createWithAssociation(
            {
                messageId: message.id,
                roomId: message.room?.id,
                text: message.text,
                sender: message.sender?.username,
                context: { messageId: context?.message?.id, userId: context?.user?.id, username: context?.user?.username },
                // each argument is the accessor its position promises
                accessors: {
                    read: typeof read?.getMessageReader === 'function',
                    http: typeof http?.get === 'function',
                    persistence: typeof persistence?.createWithAssociation === 'function',
                    modify: typeof modify?.getUpdater === 'function',
                },
            },
            new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, DELETED),
        );
    }
}

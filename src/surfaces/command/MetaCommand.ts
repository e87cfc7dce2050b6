import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { isMetadataError } from '../../core/errors';
import { translator } from '../../i18n/catalog';
import { Caller, ServiceFactory } from '../../service/types';
import { isCommandSyntaxError } from './CommandSyntaxError';
import { formatError } from './formatError';
import { parseMetaCommand } from './parseMetaCommand';
import { runMetaCommand } from './runMetaCommand';
import { RoomFacts } from './subjectLabel';

/**
 * Opens the panel of the room the command ran in (`/meta` without arguments, SPEC §17; src/surfaces/ui), for the
 * engine's proxy of the app that runs this call.
 */
export type OpenPanel = (
    app: IApp, sender: IUser, room: IRoom, triggerId: string | undefined, read: IRead, modify: IModify, http: IHttp, persis: IPersistence,
) => Promise<void>;

/** `/meta`: parse → service → a reply only the caller sees; without arguments, the panel of the room. */
export class MetaCommand implements ISlashCommand {
    public command = 'meta';
    public i18nDescription = 'Meta_Command_Description';
    public i18nParamsExample = 'Meta_Command_Params';
    public providesPreview = false;

    /**
     * `app` is held as an own property on purpose: the engine finds it there and hands each call a
     * proxy whose getLogger() is that call's logger (a logger kept from configuration time records nothing).
     */
    constructor(
        private readonly app: IApp,
        private readonly services: ServiceFactory<IRead, IModify, IPersistence, ILogger, IHttp>,
        private readonly openPanel?: OpenPanel,
    ) {}

    public async executor(
        context: SlashCommandContext,
        read: IRead,
        modify: IModify,
        http: IHttp,
        persis: IPersistence,
    ): Promise<void> {
        const logger = this.app.getLogger();
        const sender = context.getSender();
        const roomId = context.getRoom().id;
        const tr = translator(sender.settings?.preferences?.language);
        if (context.getArguments().length === 0 && this.openPanel) {
            try {
                await this.openPanel(this.app, sender, context.getRoom(), context.getTriggerId(), read, modify, http, persis);
                return;
            } catch (error) {
                // without the bar (no `ui.interact`, an old client), the help is the answer to a bare `/meta`
                logger.error('/meta could not open the panel', error instanceof Error ? error.message : String(error));
            }
        }
        let text: string;
        try {
            const command = parseMetaCommand(context.getArguments(), { roomId });
            text = await runMetaCommand(
                {
                    service: this.services(read, modify, persis, logger, http),
                    caller: callerOf(sender),
                    tr,
                    roomId,
                    rooms: (ids) => roomFacts(read, ids),
                    userNames: (ids) => userNames(read, ids),
                    now: () => Date.now(),
                },
                command,
            );
        } catch (error) {
            if (!isCommandSyntaxError(error) && !isMetadataError(error)) {
                logger.error('/meta failed', error instanceof Error ? error.stack ?? error.message : String(error));
            }
            text = formatError(error, tr);
        }
        await this.reply(context, read, modify, text, logger);
    }

    /** Ephemeral, from the app's bot: nothing is stored and nobody else sees it. */
    private async reply(context: SlashCommandContext, read: IRead, modify: IModify, text: string, logger: ILogger): Promise<void> {
        try {
            const notifier = modify.getNotifier();
            const builder = notifier.getMessageBuilder().setRoom(context.getRoom()).setText(text).setGroupable(false);
            // Without an app user the notifier fills in the bot itself.
            const appUser = await read.getUserReader().getAppUser();
            if (appUser) builder.setSender(appUser);
            const threadId = context.getThreadId();
            if (threadId) builder.setThreadId(threadId);
            await notifier.notifyUser(context.getSender(), builder.getMessage());
        } catch (error) {
            logger.error('/meta could not reply', error instanceof Error ? error.message : String(error));
        }
    }
}

function callerOf(user: IUser): Caller {
    return { id: user.id, username: user.username, roles: user.roles ?? [] };
}

/** Display names for ids, best effort: a name is decoration, and a reply falls back to the id. */
async function namesOf(ids: readonly string[], lookup: (id: string) => Promise<string | undefined>): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    await Promise.all(
        ids.map(async (id) => {
            const name = await lookup(id).catch(() => undefined);
            if (name) names.set(id, name);
        }),
    );
    return names;
}

/** A room's name, or for a direct room (which has none) its members' usernames. Best effort, as names. */
async function roomFacts(read: IRead, roomIds: readonly string[]): Promise<Map<string, RoomFacts>> {
    const facts = new Map<string, RoomFacts>();
    await Promise.all(
        roomIds.map(async (id) => {
            const room = await read.getRoomReader().getById(id).catch(() => undefined);
            if (!room) return;
            if (room.type !== RoomType.DIRECT_MESSAGE) {
                const name = room.slugifiedName || room.displayName;
                if (name) facts.set(id, { name });
                return;
            }
            facts.set(id, { directMembers: await directMembers(read, room) });
        }),
    );
    return facts;
}

/** `usernames` is what servers fill for direct rooms (deprecated in the typings); the member list otherwise. */
async function directMembers(read: IRead, room: IRoom): Promise<string[]> {
    if (Array.isArray(room.usernames) && room.usernames.length > 0) return [...room.usernames].sort();
    const members = await read.getRoomReader().getMembers(room.id).catch(() => [] as IUser[]);
    return (members ?? []).map((member) => member?.username).filter((username): username is string => Boolean(username)).sort();
}

function userNames(read: IRead, userIds: readonly string[]): Promise<Map<string, string>> {
    return namesOf(userIds, async (id) => (await read.getUserReader().getById(id))?.username);
}

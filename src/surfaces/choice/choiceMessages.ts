import { translator } from '../../i18n/catalog';
import { Chat, ChoiceMessages } from '../../service/ports';
import { choiceBlocks, choiceText, namedUsers } from './choiceBlocks';

/**
 * The bot's messages with choices over the chat port: each render looks up the names it shows (a name is
 * decoration: an id stands in when a lookup fails). The summary is for everyone in the room, so it is in the app's
 * default language.
 */
export function createChoiceMessages(deps: { appId: string; chat: Chat; userNames(ids: readonly string[]): Promise<ReadonlyMap<string, string>> }): ChoiceMessages {
    const tr = translator();
    const render = async (summary: Parameters<ChoiceMessages['show']>[1]) => {
        const names = await deps.userNames(namedUsers(summary)).catch(() => new Map<string, string>());
        return { text: choiceText(summary, tr), blocks: choiceBlocks(deps.appId, summary, names, tr) };
    };
    return {
        async post(roomId, summary) {
            const { text, blocks } = await render(summary);
            return deps.chat.postBlocks(roomId, text, blocks);
        },
        async show(messageId, summary) {
            const { text, blocks } = await render(summary);
            return deps.chat.updateBlocks(messageId, text, blocks);
        },
        withdraw: (messageId) => deps.chat.deleteMessage(messageId),
    };
}

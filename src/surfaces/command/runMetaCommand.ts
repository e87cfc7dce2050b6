import { Translate } from '../../i18n/catalog';
import { Caller, MetadataService } from '../../service/types';
import { MAX_HISTORY_LIMIT } from '../../core/history';
import { formatHistory } from './formatHistory';
import { formatView } from './formatView';
import { formatMerged, formatRemoved, formatSaved, formatStateChange } from './formatWrite';
import { formatSubscribed, formatSubscriptions, formatUnsubscribed } from './formatSubscriptions';
import { ParsedCommand } from './ParsedCommand';

export interface CommandRun {
    service: MetadataService;
    caller: Caller;
    tr: Translate;
    /** the room the command was typed in */
    roomId: string;
    /** room names for the rooms subscriptions deliver to (best effort; unnamed rooms show their id) */
    roomNames(roomIds: readonly string[]): Promise<Map<string, string>>;
    /** usernames for user ids (best effort, as room names) */
    userNames(userIds: readonly string[]): Promise<Map<string, string>>;
}

/** Calls the service for one parsed command and returns the reply text. Service errors propagate. */
export async function runMetaCommand(run: CommandRun, command: ParsedCommand): Promise<string> {
    const { service, caller, tr, roomId } = run;
    switch (command.action) {
        case 'help':
            return tr('Meta_Help');
        case 'get':
            return formatView(await service.get(caller, command.target, command.keys), tr, command.keys);
        case 'set':
            return formatSaved('set', await service.set(caller, command.target, command.request), command.request.items ?? [], tr);
        case 'update':
            return formatSaved('update', await service.update(caller, command.target, command.request), command.request.items, tr);
        case 'remove': {
            const view = await service.remove(caller, command.target, command.request);
            return formatRemoved(view, command.request.items?.map((item) => item.key), tr);
        }
        case 'merge':
            return formatMerged(await service.merge(caller, command.target, command.request), command.request.patch, tr);
        case 'state':
            return formatStateChange(await service.state(caller, command.target, command.request), command.request, tr);
        case 'subscribe': {
            const subscription = await service.subscribe(caller, command.target, command.roomId);
            return formatSubscribed(subscription, roomId, await run.roomNames([subscription.roomId]), tr);
        }
        case 'unsubscribe':
            await service.unsubscribe(caller, command.target);
            return formatUnsubscribed(command.target, roomId, tr);
        case 'history': {
            const view = await service.history(caller, command.target, { since: 'latest', limit: MAX_HISTORY_LIMIT });
            return formatHistory(view, command.key, await run.userNames([...new Set(view.entries.map((entry) => entry.actor))]), tr);
        }
        case 'subscriptions': {
            const subscriptions = await service.subscriptions(caller);
            const names = await run.roomNames([...new Set(subscriptions.map((subscription) => subscription.roomId))]);
            return formatSubscriptions(subscriptions, roomId, names, tr);
        }
    }
}

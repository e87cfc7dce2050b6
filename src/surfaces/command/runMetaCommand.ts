import { MAX_HISTORY_LIMIT } from '../../core/history';
import { Translate } from '../../i18n/catalog';
import { Caller, MetadataService, MetadataView, SubjectInfo, SubjectTarget } from '../../service/types';
import { formatHistory } from './formatHistory';
import { formatLockChange, formatLocks } from './formatLocks';
import { formatView, stateHolders } from './formatView';
import { formatMerged, formatRemoved, formatSaved, formatStateChange, WriteChange } from './formatWrite';
import { formatSubscribed, formatSubscriptions, formatUnsubscribed } from './formatSubscriptions';
import { ParsedCommand } from './ParsedCommand';
import { ReplyNames, RoomFacts, roomLabels, subjectLabel } from './subjectLabel';

export interface CommandRun {
    service: MetadataService;
    caller: Caller;
    tr: Translate;
    /** the room the command was typed in */
    roomId: string;
    /** names of rooms, and the members of direct rooms (best effort: rooms it cannot read are left out) */
    rooms(roomIds: readonly string[]): Promise<Map<string, RoomFacts>>;
    /** usernames for user ids (best effort, as rooms) */
    userNames(userIds: readonly string[]): Promise<Map<string, string>>;
    /** the service's clock (ms), to tell this command's history entry from older ones */
    now(): number;
}

/** Calls the service for one parsed command and returns the reply text. Service errors propagate. */
export async function runMetaCommand(run: CommandRun, command: ParsedCommand): Promise<string> {
    const { service, caller, tr, roomId } = run;
    switch (command.action) {
        case 'help':
            return tr('Meta_Help');
        case 'get': {
            const view = await service.get(caller, command.target, command.keys);
            return formatView(view, tr, command.keys, await namesOf(run, [view.subject], [], stateHolders(view.state)));
        }
        case 'set':
        case 'update': {
            const since = run.now();
            const view = command.action === 'set'
                ? await service.set(caller, command.target, command.request)
                : await service.update(caller, command.target, command.request);
            const [change, names] = await Promise.all([changeOf(run, command.target, view, since), namesOf(run, [view.subject])]);
            return formatSaved(command.action, view, command.request.items ?? [], tr, change, names);
        }
        case 'remove': {
            const since = run.now();
            const view = await service.remove(caller, command.target, command.request);
            const [change, names] = await Promise.all([changeOf(run, command.target, view, since), namesOf(run, [view.subject])]);
            return formatRemoved(view, command.request.items?.map((item) => item.key), tr, change, names);
        }
        case 'merge': {
            const since = run.now();
            const view = await service.merge(caller, command.target, command.request);
            const [change, names] = await Promise.all([changeOf(run, command.target, view, since), namesOf(run, [view.subject])]);
            return formatMerged(view, command.request.patch, tr, change, names);
        }
        case 'state': {
            const view = await service.state(caller, command.target, command.request);
            return formatStateChange(view, command.request, tr, await namesOf(run, [view.subject], [], stateHolders(view.state)));
        }
        case 'subscribe': {
            const subscription = await service.subscribe(caller, command.target, command.roomId);
            return formatSubscribed(subscription, roomId, await namesOf(run, [subscription.subject], [subscription.roomId]), tr);
        }
        case 'unsubscribe': {
            const subscribed = await service.subscriptions(caller);
            await service.unsubscribe(caller, command.target);
            const was = subscribed.some((subscription) => answersTo(subscription.subject, command.target, caller));
            return formatUnsubscribed(command.target, roomId, was, tr);
        }
        case 'history': {
            const view = await service.history(caller, command.target, { since: 'latest', limit: MAX_HISTORY_LIMIT });
            const actors = [...new Set(view.entries.map((entry) => entry.actor))];
            return formatHistory(view, command.key, await namesOf(run, [view.subject], [], actors), tr);
        }
        case 'lock': {
            const changed = await service.acquireLock(caller, command.target, command.request);
            return formatLockChange(changed, tr, await namesOf(run, [changed.subject]));
        }
        case 'unlock': {
            const changed = await service.releaseLock(caller, command.target, command.name);
            return formatLockChange(changed, tr, await namesOf(run, [changed.subject]));
        }
        case 'choose': {
            const view = await service.choose(caller, command.target, command.request);
            return tr('Meta_Choose_Posted', { room: subjectLabel({ namespace: 'room', id: view.subject.roomId ?? '', name: view.subject.name }), id: view.subject.id });
        }
        case 'locks': {
            const view = await service.locks(caller, command.target);
            return formatLocks(view, tr, await namesOf(run, [view.subject]));
        }
        case 'subscriptions': {
            const subscriptions = await service.subscriptions(caller);
            const subjects = subscriptions.map((subscription) => subscription.subject);
            return formatSubscriptions(subscriptions, roomId, await namesOf(run, subjects, subscriptions.map((s) => s.roomId)), tr);
        }
    }
}

/**
 * What the write just made did, from the subject's history: the entry at the view's revision, if this
 * caller wrote it since `since` (else the write changed nothing and the revision is an older one's).
 * Undefined when history cannot tell; the reply then says what was asked only.
 */
async function changeOf(run: CommandRun, target: SubjectTarget, view: MetadataView, since: number): Promise<WriteChange | undefined> {
    if (view.majorRevision < 1) return { changed: [], removed: [] };
    try {
        const history = await run.service.history(run.caller, target, { since: view.majorRevision - 1, limit: 1 });
        const entry = history.entries.find((candidate) => candidate.majorRevision === view.majorRevision);
        if (entry && entry.actor === run.caller.id && entry.at >= new Date(since).toISOString()) {
            return { changed: entry.changed.map((change) => change.key), removed: entry.removed };
        }
        return { changed: [], removed: [] };
    } catch {
        return undefined;
    }
}

/** Labels for the rooms a reply names (direct rooms by their members) and the usernames it shows. */
async function namesOf(
    run: CommandRun,
    subjects: readonly SubjectInfo[],
    roomIds: readonly string[] = [],
    userIds: readonly string[] = [],
): Promise<ReplyNames> {
    const rooms = new Set([...subjects.filter((subject) => subject.namespace === 'room').map((subject) => subject.id), ...roomIds]);
    const [facts, users] = await Promise.all([
        rooms.size > 0 ? run.rooms([...rooms]).catch(() => new Map<string, RoomFacts>()) : new Map<string, RoomFacts>(),
        userIds.length > 0 ? run.userNames(userIds).catch(() => new Map<string, string>()) : new Map<string, string>(),
    ]);
    return { rooms: roomLabels(facts, run.caller.username, run.tr), users };
}

/** Does a subscription's subject answer to the target as typed (`me`, an id or a name)? */
function answersTo(subject: SubjectInfo, target: SubjectTarget, caller: Caller): boolean {
    if (subject.namespace !== target.namespace) return false;
    if (target.namespace === 'user' && target.ref === 'me') return subject.id === caller.id;
    return subject.id === target.ref || subject.name.toLowerCase() === target.ref.toLowerCase();
}

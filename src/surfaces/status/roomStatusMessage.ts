import { ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import { translator } from '../../i18n/catalog';
import { Chat } from '../../service/ports';
import { AfterWriteEffect, ChangeNotice } from '../../service/types';
import { AppSettingsValues } from '../../settings';
import { Coalescer } from '../events/coalescer';
import { StatusChange, statusChange, statusLine } from './statusText';

export interface StatusMessageDeps {
    chat: Pick<Chat, 'post'>;
    settings: AppSettingsValues;
    logger: Pick<ILogger, 'debug' | 'warn' | 'error'>;
    /** the instance's coalescer: without one, every change posts at once */
    coalescer?: Coalescer;
}

/**
 * After a write to a room's metadata: a short "who changed what" message in that room from the
 * app's bot (SPEC §9), unless the admin turned status messages off. State operations post none
 * unless the admin asked for them too, and one user's burst of changes to one room within the
 * coalescing window is one message. Never throws.
 */
export function createRoomStatusMessage(deps: StatusMessageDeps): AfterWriteEffect {
    return async (notice) => {
        if (notice.subject.namespace !== 'room' || !deps.settings.roomStatusMessages) return;
        const worth = worthAStatusMessage(notice, deps.settings);
        if (!worth) return;
        const post = async (merged: ChangeNotice) => {
            try {
                await postStatus(deps, merged);
            } catch (error) {
                deps.logger.error('room status message failed', describe(error));
            }
        };
        if (!deps.coalescer) return post(worth);
        await deps.coalescer.push(worth, deps.settings.coalesceWindowMs, post, statusBurstKey(worth));
    };
}

/**
 * What of a change a status message may tell: state keys only when the admin turned on status
 * messages for state operations. Undefined when nothing is left to tell.
 */
export function worthAStatusMessage(notice: ChangeNotice, settings: Pick<AppSettingsValues, 'stateStatusMessages'>): ChangeNotice | undefined {
    const told = settings.stateStatusMessages ? notice : { ...notice, stateChanged: [] };
    return told.changed.length + told.removed.length + told.stateChanged.length > 0 ? told : undefined;
}

/** One user's changes to one room coalesce into one message; different users' never merge. */
export function statusBurstKey(notice: ChangeNotice): string {
    return `status:${notice.subject.namespace}:${notice.subject.id}:${notice.actor.id}`;
}

async function postStatus({ chat, logger }: StatusMessageDeps, notice: ChangeNotice): Promise<void> {
    const change = statusChange(notice);
    if (!change) return; // nothing the room may see changed
    // Everybody in the room reads it, each in their own language: the app's default (English) it is.
    const text = statusLine(notice.actor.username, change, translator());
    let posted: boolean;
    try {
        posted = await chat.post(notice.subject.id, text, changeFields(notice, change));
    } catch (error) {
        // Message customFields are refused unless the admin enabled them and their schema fits.
        logger.debug('status message refused with customFields; sending without', describe(error));
        posted = await chat.post(notice.subject.id, text);
    }
    if (!posted) logger.warn('room status message skipped: room or app user not found', notice.subject.id);
}

/**
 * Describes the change for bots and clients as the text does (nothing of private items). `priority` is
 * there because the server's default message schema requires it; an admin's own schema may still
 * refuse the message, which then goes without fields.
 */
function changeFields(notice: ChangeNotice, change: StatusChange): Record<string, unknown> {
    return {
        priority: 'low',
        metadataChange: {
            subject: { namespace: notice.subject.namespace, id: notice.subject.id, name: notice.subject.name },
            majorRevision: notice.majorRevision,
            changed: change.changed.map((item) => item.key),
            removed: change.removed,
            stateChanged: change.stateChanged,
            actor: { id: notice.actor.id, username: notice.actor.username },
            at: notice.at,
        },
    };
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

import { ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import { holdsItems } from '../../core/choice';
import { Chat } from '../../service/ports';
import { AfterWriteEffect, ChangeNotice } from '../../service/types';
import { AppSettingsValues } from '../../settings';
import { isUsableFieldName, mirroredCustomFields } from './mirroredCustomFields';
import { unreachableText } from './unreachableText';

export interface MirrorDeps {
    chat: Pick<Chat, 'updateCustomFields' | 'notify'>;
    settings: AppSettingsValues;
    logger: Pick<ILogger, 'warn' | 'error'>;
}

/**
 * After a write: the subject's public items, nested, under one key of the room's or user's
 * customFields (SPEC §10). It always writes the whole public document, so a failure (logged, never
 * thrown) is repaired by the next write.
 */
export function createCustomFieldsMirror(deps: MirrorDeps): AfterWriteEffect {
    return async (notice) => {
        // Users' and rooms' items are mirrored; a message holds no one's items (SPEC §19), only its choices.
        if (!holdsItems(notice.subject.namespace)) return;
        const fieldName = deps.settings.customFieldsKey;
        if (!isUsableFieldName(fieldName)) {
            deps.logger.warn('customFields mirror skipped: unusable field name', fieldName);
            return;
        }
        try {
            await mirror(deps, notice, fieldName);
        } catch (error) {
            deps.logger.error(`customFields mirror failed for ${notice.subject.namespace}:${notice.subject.id}`, describe(error));
        }
    };
}

async function mirror(deps: MirrorDeps, notice: ChangeNotice, fieldName: string): Promise<void> {
    const { subject } = notice;
    // The server replaces the whole customFields object: what `mirroredCustomFields` makes holds the others too.
    const update = await deps.chat.updateCustomFields(subject, (existing) => mirroredCustomFields(existing, fieldName, notice.set.items));
    if (update.status === 'missing') {
        deps.logger.warn(`customFields mirror skipped: ${subject.namespace} or app user not found`, subject.id);
    } else if (update.status === 'refused') {
        deps.logger.warn(`customFields mirror not written for room:${subject.id}: the engine refuses rooms without a ${update.lacks.join(', ')}`);
        await tellWriter(deps, notice, unreachableText(subject.name || subject.id, update.lacks));
    }
}

/** The writer sees why the mirror was not written (an ephemeral message from the app's bot in the room). */
async function tellWriter(deps: MirrorDeps, notice: ChangeNotice, text: string): Promise<void> {
    try {
        await deps.chat.notify(notice.actor.id, notice.subject.id, () => text);
    } catch (error) {
        deps.logger.error(`customFields mirror: could not tell ${notice.actor.username} why room:${notice.subject.id} was not mirrored`, describe(error));
    }
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

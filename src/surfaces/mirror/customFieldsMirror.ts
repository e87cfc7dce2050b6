import { ILogger, IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AfterWriteEffect, ChangeNotice } from '../../service/types';
import { AppSettingsValues } from '../../settings';
import { isUsableFieldName, mirroredCustomFields } from './mirroredCustomFields';
import { prepareRoomUpdate, unreachableText } from './roomUpdate';

export interface MirrorDeps {
    read: IRead;
    modify: IModify;
    settings: AppSettingsValues;
    logger: ILogger;
}

/**
 * After a write: the subject's public items, nested, under one key of the room's or user's
 * customFields (SPEC §10). It always writes the whole public document, so a failure (logged, never
 * thrown) is repaired by the next write.
 */
export function createCustomFieldsMirror(deps: MirrorDeps): AfterWriteEffect {
    return async (notice) => {
        const fieldName = deps.settings.customFieldsKey;
        if (!isUsableFieldName(fieldName)) {
            deps.logger.warn('customFields mirror skipped: unusable field name', fieldName);
            return;
        }
        try {
            if (notice.subject.namespace === 'room') await mirrorRoom(deps, notice, fieldName);
            else await mirrorUser(deps, notice, fieldName);
        } catch (error) {
            deps.logger.error(`customFields mirror failed for ${notice.subject.namespace}:${notice.subject.id}`, describe(error));
        }
    };
}

async function mirrorRoom({ read, modify, logger }: MirrorDeps, notice: ChangeNotice, fieldName: string): Promise<void> {
    const [room, appUser] = await Promise.all([read.getRoomReader().getById(notice.subject.id), read.getUserReader().getAppUser()]);
    if (!room || !appUser) {
        logger.warn('customFields mirror skipped: room or app user not found', notice.subject.id);
        return;
    }
    const fields = mirroredCustomFields(room.customFields, fieldName, notice.set.items);
    if (!fields) return;
    // The updater replaces the whole customFields object: `fields` already holds the others.
    const builder = await modify.getUpdater().room(room.id, appUser);
    // Rooms made without a creator or a name (#general, direct rooms): see roomUpdate.ts.
    const prepared = prepareRoomUpdate(builder, appUser);
    if (!prepared.ok) {
        const text = unreachableText(notice.subject.name || room.id, prepared.missing);
        logger.warn(`customFields mirror not written for room:${room.id}: the engine refuses rooms without a ${prepared.missing.join(', ')}`);
        await tellWriter({ read, modify, logger }, notice, room, appUser, text);
        return;
    }
    builder.setCustomFields(fields as { [key: string]: object });
    await modify.getUpdater().finish(builder);
}

/** The writer sees why the mirror was not written (an ephemeral message from the app's bot in the room). */
async function tellWriter({ read, modify, logger }: Pick<MirrorDeps, 'read' | 'modify' | 'logger'>, notice: ChangeNotice, room: IRoom, appUser: IUser, text: string): Promise<void> {
    try {
        const writer = await read.getUserReader().getById(notice.actor.id);
        if (!writer) return;
        await modify.getNotifier().notifyUser(writer, { room, sender: appUser, text, groupable: false, parseUrls: false });
    } catch (error) {
        logger.error(`customFields mirror: could not tell ${notice.actor.username} why room:${room.id} was not mirrored`, describe(error));
    }
}

async function mirrorUser({ read, modify, logger }: MirrorDeps, notice: ChangeNotice, fieldName: string): Promise<void> {
    const user = await read.getUserReader().getById(notice.subject.id);
    if (!user) {
        logger.warn('customFields mirror skipped: user not found', notice.subject.id);
        return;
    }
    const fields = mirroredCustomFields(user.customFields, fieldName, notice.set.items);
    if (!fields) return;
    await modify.getUpdater().getUserUpdater().updateCustomFields(user, fields);
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

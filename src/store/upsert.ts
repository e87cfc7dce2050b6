import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

export type UpsertResult =
    | { ok: true }
    /** `written: false` = confirmed that nothing landed; `undefined` = unknown (the read-back failed too) */
    | { ok: false; error: unknown; written: false | undefined };

/**
 * `updateByAssociations(exact, data, upsert)`, judged by what is stored rather than by its answer:
 * some server versions run `upsertedId.toString()` after the write and throw whenever the record
 * already existed, so an error alone does not mean the write failed. On an error the records are read
 * back (one more call) and `landed` decides. The answer's value is never used: it differs by version.
 */
export async function upsertConfirmed(
    read: IPersistenceRead,
    persistence: IPersistence,
    associations: RocketChatAssociationRecord[],
    data: object,
    landed: (records: unknown[]) => boolean,
): Promise<UpsertResult> {
    try {
        await persistence.updateByAssociations(associations, data, true);
        return { ok: true };
    } catch (error) {
        let records: unknown[];
        try {
            records = (await read.readByAssociations(associations)) ?? [];
        } catch {
            return { ok: false, error, written: undefined };
        }
        return landed(records) ? { ok: true } : { ok: false, error, written: false };
    }
}

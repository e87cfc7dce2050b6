import { MetadataError } from './errors';
import { expectArray, expectRecord, expectString, rejectUnknownFields } from './fields';
import { StateOp } from './types';

/**
 * What an admin removes to repair a subject: items by key, or all; state entries by key (all users',
 * or one user's), or all. Keys are taken as stored: they may predate today's limits.
 */
export interface RepairRequest {
    items?: string[] | 'all';
    state?: { key: string; userId?: string }[] | 'all';
}

const MAX_KEY_LENGTH = 1024;

export function parseRepairRequest(body: unknown): RepairRequest {
    const record = expectRecord(body, 'the request body');
    rejectUnknownFields(record, ['items', 'state'], 'the repair request');
    const request: RepairRequest = {};
    if (record.items !== undefined) request.items = record.items === 'all' ? 'all' : expectArray(record.items, 'items').map((key, i) => storedKey(key, `items[${i}]`));
    if (record.state !== undefined) {
        request.state = record.state === 'all'
            ? 'all'
            : expectArray(record.state, 'state').map((entry, i) => {
                const field = `state[${i}]`;
                const fields = expectRecord(entry, field, 'an object {key, userId?}');
                rejectUnknownFields(fields, ['key', 'userId'], field);
                const key = storedKey(fields.key, `${field}.key`);
                return fields.userId === undefined ? { key } : { key, userId: expectString(fields.userId, `${field}.userId`) };
            });
    }
    if (request.items === undefined && request.state === undefined) {
        throw new MetadataError('invalid_request', 'name what to remove: "items" (a list of keys, or "all") and/or "state" (a list of {key, userId?}, or "all")');
    }
    return request;
}

/** The state ops that carry the entries a repair removes. */
export function opsToRepair(ops: readonly StateOp[], state: RepairRequest['state']): StateOp[] {
    if (state === undefined) return [];
    if (state === 'all') return [...ops];
    return ops.filter((op) => state.some((entry) => entry.key === op.key && (entry.userId === undefined || entry.userId === op.userId)));
}

function storedKey(value: unknown, field: string): string {
    const key = expectString(value, field);
    if (key === '' || key.length > MAX_KEY_LENGTH) throw new MetadataError('invalid_key', `${field} must be a key of 1 to ${MAX_KEY_LENGTH} characters`);
    return key;
}

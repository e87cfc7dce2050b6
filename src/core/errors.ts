/** Every error the app answers with, by code; the HTTP status is part of the contract (SPEC §7). */
export const ERROR_STATUS = {
    invalid_request: 400,
    invalid_key: 400,
    invalid_value: 400,
    type_mismatch: 400,
    operation_not_allowed: 400,
    forbidden: 403,
    subject_not_found: 404,
    item_not_found: 404,
    lock_not_found: 404,
    revision_conflict: 409,
    history_compacted: 410,
    /** a write naming a lock the caller does not hold, or an acquire of a lock another holds (SPEC §16) */
    locked: 423,
    too_large: 413,
    rate_limited: 429,
    /** contention across instances, or a write whose fate a long pause hid: retry after `retryAfter` seconds */
    try_again: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class MetadataError extends Error {
    readonly status: number;

    constructor(
        readonly code: ErrorCode,
        message: string,
        /** Extra fields for the error body, e.g. `majorRevision` and `items` of a conflict. */
        readonly details: Record<string, unknown> = {},
    ) {
        super(message);
        this.name = 'MetadataError';
        this.status = ERROR_STATUS[code];
    }

    toJSON(): { code: ErrorCode; message: string } & Record<string, unknown> {
        return { code: this.code, message: this.message, ...this.details };
    }
}

export function isMetadataError(error: unknown): error is MetadataError {
    return error instanceof MetadataError;
}

import { ErrorCode, isMetadataError, MetadataError } from '../../core/errors';
import { I18nKey, Translate } from '../../i18n/catalog';
import { isCommandSyntaxError } from './CommandSyntaxError';
import { reasonOf } from './errorReasons';
import { code } from './formatView';

const ERROR_TEXT: Record<ErrorCode, I18nKey> = {
    invalid_request: 'Meta_Error_invalid_request',
    invalid_key: 'Meta_Error_invalid_key',
    invalid_value: 'Meta_Error_invalid_value',
    type_mismatch: 'Meta_Error_type_mismatch',
    operation_not_allowed: 'Meta_Error_operation_not_allowed',
    forbidden: 'Meta_Error_forbidden',
    subject_not_found: 'Meta_Error_subject_not_found',
    item_not_found: 'Meta_Error_item_not_found',
    lock_not_found: 'Meta_Error_lock_not_found',
    locked: 'Meta_Error_locked',
    revision_conflict: 'Meta_Error_revision_conflict',
    history_compacted: 'Meta_Error_history_compacted',
    too_large: 'Meta_Error_too_large',
    rate_limited: 'Meta_Error_rate_limited',
    try_again: 'Meta_Error_try_again',
};

/**
 * What the caller reads when a command fails: what was wrong and what to do about it. Anything but
 * a syntax or service error is our fault, and gets an apology without internals.
 */
export function formatError(error: unknown, tr: Translate): string {
    if (isCommandSyntaxError(error)) {
        return [tr(error.key, error.params), ...error.more.map((sentence) => tr(sentence.key, sentence.params)), tr('Meta_Help_Hint')].join('\n');
    }
    if (isMetadataError(error)) {
        if (error.code === 'revision_conflict') return conflictText(error, tr);
        const reason = reasonOf(error);
        if (reason) return tr(reason.key, reason.params);
        // An error without a known reason: English embeds the service's message, other languages say what the code means.
        // The texts go on after the message with their own ". …": a message's own final period would double it.
        return tr(ERROR_TEXT[error.code] ?? 'Meta_Error_Unexpected', { message: error.message.replace(/\.\s*$/, '') });
    }
    return tr('Meta_Error_Unexpected');
}

/** Names the current revisions, so the retry can be typed straight from the reply. */
function conflictText(error: MetadataError, tr: Translate): string {
    const major = typeof error.details.majorRevision === 'number' ? error.details.majorRevision : '?';
    const items = Array.isArray(error.details.items) ? (error.details.items as unknown[]).filter(isItemRevision) : [];
    const current = items.map(({ key, revision }) =>
        revision === 0 ? tr('Meta_Conflict_Item_Missing', { key: code(key) }) : tr('Meta_Conflict_Item', { key: code(key), rev: revision }),
    );
    const majorFlag = code(`--major ${major}`);
    const revFlags = code(items.map(({ key, revision }) => `--rev ${key}=${revision}`).join(' '));
    return tr('Meta_Error_revision_conflict', {
        major,
        items: current.length > 0 ? ` ${current.join(', ')}.` : '',
        retry: items.length > 0 ? tr('Meta_Conflict_Retry_Either', { major: majorFlag, revs: revFlags }) : majorFlag,
    });
}

function isItemRevision(value: unknown): value is { key: string; revision: number } {
    const candidate = value as { key?: unknown; revision?: unknown } | null;
    return (
        typeof candidate === 'object' &&
        candidate !== null &&
        typeof candidate.key === 'string' &&
        typeof candidate.revision === 'number'
    );
}

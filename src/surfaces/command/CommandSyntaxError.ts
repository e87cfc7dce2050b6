import { I18nKey, I18nParams } from '../../i18n/catalog';

/** A text of the catalog with its parameters. */
export interface Sentence {
    key: I18nKey;
    params: I18nParams;
}

/**
 * A `/meta` line that cannot be understood; `key` names the text telling the user what to fix, `more`
 * any further sentences that help.
 */
export class CommandSyntaxError extends Error {
    constructor(
        readonly key: I18nKey,
        readonly params: I18nParams = {},
        readonly more: readonly Sentence[] = [],
    ) {
        super(key);
        this.name = 'CommandSyntaxError';
    }
}

export function isCommandSyntaxError(error: unknown): error is CommandSyntaxError {
    return error instanceof CommandSyntaxError;
}

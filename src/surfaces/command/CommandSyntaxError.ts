import { I18nKey, I18nParams } from '../../i18n/catalog';

/** A `/meta` line that cannot be understood; `key` names the text telling the user what to fix. */
export class CommandSyntaxError extends Error {
    constructor(
        readonly key: I18nKey,
        readonly params: I18nParams = {},
    ) {
        super(key);
        this.name = 'CommandSyntaxError';
    }
}

export function isCommandSyntaxError(error: unknown): error is CommandSyntaxError {
    return error instanceof CommandSyntaxError;
}

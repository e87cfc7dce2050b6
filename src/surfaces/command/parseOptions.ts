import { isOneOf } from '../../core/fields';
import { Cause, STATE_TYPES, StateType, Visibility } from '../../core/types';
import { CommandSyntaxError } from './CommandSyntaxError';
import { parseCause } from './parseValue';

export type Flag = 'rev' | 'major' | 'public' | 'private' | 'cause' | 'all' | 'type' | 'ttl' | 'wait' | 'lock';

export interface RevisionOption {
    key: string;
    revision: number;
}

export interface Options {
    revisions: RevisionOption[];
    majorRevision?: number;
    visibility?: Visibility;
    cause?: Cause;
    all: boolean;
    type?: StateType;
    /** seconds, checked by the lock rules (core/locks.ts) */
    ttl?: number;
    wait?: number;
    /** a write's lock (SPEC §16) */
    lock?: string;
}

const VALUE_EXAMPLES: Partial<Record<Flag, string>> = {
    rev: '--rev theme=3',
    major: '--major 4',
    cause: '--cause "weekly sync"',
    type: '--type set',
    ttl: '--ttl 60',
    wait: '--wait 10',
    lock: '--lock seat',
};
const KNOWN_FLAGS: readonly Flag[] = ['rev', 'major', 'public', 'private', 'cause', 'all', 'type', 'ttl', 'wait', 'lock'];
const WHOLE_NUMBER = /^-?\d+$/;

/**
 * Separates `--flags` (anywhere after the action word, `--flag value` or `--flag=value`) from the
 * positional arguments, which keep their order.
 */
export function splitOptions(
    action: string,
    args: readonly string[],
    allowed: readonly Flag[],
): { positionals: string[]; options: Options } {
    const positionals: string[] = [];
    const options: Options = { revisions: [], all: false };
    const seen = new Set<Flag>();
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (!arg.startsWith('--')) {
            positionals.push(arg);
            continue;
        }
        const eq = arg.indexOf('=');
        const written = eq < 0 ? arg : arg.slice(0, eq);
        const flag = written.slice(2).toLowerCase() as Flag;
        if (!KNOWN_FLAGS.includes(flag)) throw new CommandSyntaxError('Meta_Syntax_Unknown_Flag', { flag: written });
        if (!allowed.includes(flag)) throw new CommandSyntaxError('Meta_Syntax_Flag_Not_Here', { flag: written, action });
        if (flag !== 'rev' && seen.has(flag)) throw new CommandSyntaxError('Meta_Syntax_Flag_Twice', { flag: written });
        seen.add(flag);
        const example = VALUE_EXAMPLES[flag];
        if (example === undefined) {
            if (eq >= 0) throw new CommandSyntaxError('Meta_Syntax_Flag_Takes_No_Value', { flag: written });
            applySwitch(options, flag);
            continue;
        }
        let value: string | undefined;
        if (eq >= 0) value = arg.slice(eq + 1);
        else if (i + 1 < args.length && !args[i + 1].startsWith('--')) value = args[++i];
        if (value === undefined || value === '') {
            throw new CommandSyntaxError('Meta_Syntax_Flag_Needs_Value', { flag: written, example });
        }
        applyValue(options, flag, value);
    }
    return { positionals, options };
}

function applySwitch(options: Options, flag: Flag): void {
    if (flag === 'all') {
        options.all = true;
        return;
    }
    const visibility: Visibility = flag === 'public' ? 'public' : 'private';
    if (options.visibility !== undefined && options.visibility !== visibility) {
        throw new CommandSyntaxError('Meta_Syntax_Visibility_Both');
    }
    options.visibility = visibility;
}

function applyValue(options: Options, flag: Flag, value: string): void {
    switch (flag) {
        case 'rev':
            options.revisions.push(parseRevisionOption(value, options.revisions));
            return;
        case 'major':
            options.majorRevision = parseRevisionNumber(value, 'Meta_Syntax_Major_Format', { got: value });
            return;
        case 'cause':
            options.cause = parseCause(value);
            return;
        case 'type': {
            const type = value.toLowerCase();
            if (!isOneOf(type, STATE_TYPES)) throw new CommandSyntaxError('Meta_Syntax_Type_Format', { got: value });
            options.type = type;
            return;
        }
        case 'ttl':
        case 'wait': {
            const seconds = Number(value);
            if (!WHOLE_NUMBER.test(value) || !Number.isSafeInteger(seconds)) throw new CommandSyntaxError('Meta_Syntax_Seconds_Format', { flag: `--${flag}`, got: value });
            options[flag] = seconds;
            return;
        }
        case 'lock':
            options.lock = value;
            return;
        default:
            return;
    }
}

function parseRevisionOption(value: string, earlier: readonly RevisionOption[]): RevisionOption {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new CommandSyntaxError('Meta_Syntax_Rev_Format', { got: value });
    const key = value.slice(0, eq);
    const revision = parseRevisionNumber(value.slice(eq + 1), 'Meta_Syntax_Rev_Format', { got: value });
    if (earlier.some((option) => option.key === key)) throw new CommandSyntaxError('Meta_Syntax_Rev_Twice', { key });
    return { key, revision };
}

/** -1 means "no check", so it is accepted; the service decides what a revision must match. */
function parseRevisionNumber(
    text: string,
    errorKey: 'Meta_Syntax_Major_Format' | 'Meta_Syntax_Rev_Format',
    params: { got: string },
): number {
    const number = Number(text);
    if (!WHOLE_NUMBER.test(text) || !Number.isSafeInteger(number) || number < -1) {
        throw new CommandSyntaxError(errorKey, params);
    }
    return number;
}

import { JsonObject, JsonValue } from '../../core/json';
import { ItemRef, ItemWrite, WriteOptions } from '../../core/types';
import { validateLockName, validateTtl, validateWait } from '../../core/locks';
import { SubjectTarget } from '../../service/types';
import { CommandSyntaxError } from './CommandSyntaxError';
import { CommandContext, ParsedCommand } from './ParsedCommand';
import { Flag, Options, splitOptions } from './parseOptions';
import { isObject, joinQuotedRuns, parseValue, readValue } from './parseValue';

const WRITE_FLAGS: readonly Flag[] = ['rev', 'major', 'public', 'private', 'cause', 'lock'];
const REMOVE_FLAGS: readonly Flag[] = ['rev', 'major', 'cause', 'all', 'lock'];
const MERGE_FLAGS: readonly Flag[] = ['major', 'cause', 'lock'];
const LOCK_FLAGS: readonly Flag[] = ['ttl', 'wait'];
const STATE_FLAGS: readonly Flag[] = ['type', 'cause'];
const ME: SubjectTarget = { namespace: 'user', ref: 'me' };

/**
 * `/meta` arguments (as the server split them: quoted runs are one argument, without their quotes)
 * to the request they stand for. Throws CommandSyntaxError saying what to fix. Pure.
 */
export function parseMetaCommand(args: readonly string[], context: CommandContext): ParsedCommand {
    if (args.length === 0) return { action: 'help' };
    const [word, ...rest] = joinQuotedRuns(args);
    const action = word.toLowerCase();
    switch (action) {
        case 'help':
            return { action: 'help' };
        case 'get':
            return parseGet(rest, context);
        case 'set':
        case 'update':
            return parseWrite(action, rest, context);
        case 'remove':
            return parseRemove(rest, context);
        case 'merge':
            return parseMerge(rest, context);
        case 'state':
            return parseState(rest, context);
        case 'subscribe':
        case 'unsubscribe':
            return parseSubscription(action, rest, context);
        case 'subscriptions':
            noMoreArgs(action, rest);
            return { action: 'subscriptions' };
        case 'history':
            return parseHistory(rest, context);
        case 'choose':
            return parseChoose(rest, context);
        case 'lock':
        case 'unlock':
            return parseLock(action, rest, context);
        case 'locks': {
            const { target, rest: extra } = takeTarget(splitOptions(action, rest, []).positionals, context);
            noMoreArgs(action, extra);
            return { action: 'locks', target };
        }
        default: {
            const suggestion = nearestAction(action);
            if (suggestion) throw new CommandSyntaxError('Meta_Syntax_Unknown_Action_Suggest', { action: word, suggestion, actions: ACTIONS.join(', ') });
            throw new CommandSyntaxError('Meta_Syntax_Unknown_Action', { action: word, actions: ACTIONS.join(', ') });
        }
    }
}

/** Every action `/meta` knows (docs/reference.md names each; test/docs/reference.test.ts checks). */
export const ACTIONS = ['help', 'get', 'set', 'update', 'remove', 'merge', 'state', 'history', 'subscribe', 'unsubscribe', 'subscriptions', 'lock', 'unlock', 'locks', 'choose'] as const;

/** A typo of an action (`gte`, `sett`, `subscibe`): the action one or two edits away, a swap counting as one. */
export function nearestAction(word: string): string | undefined {
    const allowed = word.length <= 4 ? 1 : 2;
    let best: { action: string; distance: number } | undefined;
    for (const action of ACTIONS) {
        const distance = editDistance(word, action);
        if (distance <= allowed && (best === undefined || distance < best.distance)) best = { action, distance };
    }
    return best?.action;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
    if (Math.abs(a.length - b.length) > 2 || a.length > 40) return Infinity;
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

function parseGet(args: readonly string[], context: CommandContext): ParsedCommand {
    const { positionals } = splitOptions('get', args, []);
    const { target, rest } = takeTarget(positionals, context);
    rest.forEach((key) => refuseLateTarget('get', key));
    return rest.length > 0 ? { action: 'get', target, keys: rest } : { action: 'get', target };
}

function parseHistory(args: readonly string[], context: CommandContext): ParsedCommand {
    const { positionals } = splitOptions('history', args, []);
    const { target, rest } = takeTarget(positionals, context);
    rest.forEach((key) => refuseLateTarget('history', key));
    if (rest.length > 1) throw new CommandSyntaxError('Meta_Syntax_History_Args', { arg: rest.slice(1).join(' ') });
    return rest.length === 1 ? { action: 'history', target, key: rest[0] } : { action: 'history', target };
}

/**
 * `choose [#room|here] QUESTION CHOICE… [--type T]`: a message with choices, in the room the command ran in unless
 * another is named. Each argument is text as typed (quotes hold spaces); the service checks the rest (core/choice.ts).
 */
function parseChoose(args: readonly string[], context: CommandContext): ParsedCommand {
    const { positionals, options } = splitOptions('choose', args, ['type']);
    const first = positionals[0] === undefined ? undefined : readTarget(positionals[0], context);
    if (first?.namespace === 'user') throw new CommandSyntaxError('Meta_Syntax_Choose_In_Room', { arg: positionals[0] });
    const target = first ?? { namespace: 'room' as const, ref: context.roomId };
    const [question, ...choices] = (first ? positionals.slice(1) : positionals).map(textOf);
    if (question === undefined || choices.length === 0) throw new CommandSyntaxError('Meta_Syntax_Choose_Usage');
    return { action: 'choose', target, request: { question, choices, ...(options.type ? { type: options.type } : {}) } };
}

/** An argument as text: quotes that held spaces go; `5`, `true` or `[x]` are choices like any other text. */
function textOf(arg: string): string {
    const reading = readValue(arg);
    return reading.ok && typeof reading.value === 'string' ? reading.value : arg;
}

/** `lock [TARGET] NAME [--ttl N] [--wait N]`, `unlock [TARGET] NAME`: the ranges are the lock rules' (core/locks.ts). */
function parseLock(action: 'lock' | 'unlock', args: readonly string[], context: CommandContext): ParsedCommand {
    const { positionals, options } = splitOptions(action, args, action === 'lock' ? LOCK_FLAGS : []);
    const { target, rest } = takeTarget(positionals, context);
    rest.forEach((arg) => refuseLateTarget(action, arg));
    if (rest.length === 0) throw new CommandSyntaxError('Meta_Syntax_Lock_Needs_Name', { action });
    noMoreArgs(action, rest.slice(1));
    const name = validateLockName(rest[0]);
    if (action === 'unlock') return { action, target, name };
    return { action, target, request: { name, ttl: validateTtl(options.ttl), wait: validateWait(options.wait) } };
}

function parseWrite(action: 'set' | 'update', args: readonly string[], context: CommandContext): ParsedCommand {
    const { positionals, options } = splitOptions(action, args, WRITE_FLAGS);
    const { target, rest } = takeTarget(positionals, context);
    const items = rest.map((arg) => parseAssignment(action, arg));
    if (items.length === 0) throw new CommandSyntaxError('Meta_Syntax_Write_Needs_Items', { action });
    refuseDuplicates(items.map((item) => item.key));
    const revisions = revisionsFor(items.map((item) => item.key), options);
    const writes: ItemWrite[] = items.map(({ key, value }) => ({
        key,
        value,
        ...(revisions.has(key) ? { revision: revisions.get(key) } : {}),
        ...(options.visibility ? { visibility: options.visibility } : {}),
    }));
    return { action, target, request: { items: writes, ...writeOptions(options) } };
}

function parseRemove(args: readonly string[], context: CommandContext): ParsedCommand {
    const { positionals, options } = splitOptions('remove', args, REMOVE_FLAGS);
    const { target, rest } = takeTarget(positionals, context);
    for (const key of rest) {
        refuseLateTarget('remove', key);
        if (key.includes('=')) throw new CommandSyntaxError('Meta_Syntax_Remove_Takes_Keys', { arg: key });
    }
    if (options.all && rest.length > 0) throw new CommandSyntaxError('Meta_Syntax_Remove_All_And_Keys');
    if (!options.all && rest.length === 0) throw new CommandSyntaxError('Meta_Syntax_Remove_Needs_Keys');
    if (options.all && options.revisions.length > 0) {
        throw new CommandSyntaxError('Meta_Syntax_Rev_Unknown_Key', { key: options.revisions[0].key });
    }
    refuseDuplicates(rest);
    const revisions = revisionsFor(rest, options);
    const items: ItemRef[] = rest.map((key) => (revisions.has(key) ? { key, revision: revisions.get(key) } : { key }));
    return {
        action: 'remove',
        target,
        request: { ...(options.all ? {} : { items }), ...writeOptions(options) },
    };
}

function parseMerge(args: readonly string[], context: CommandContext): ParsedCommand {
    const { positionals, options } = splitOptions('merge', args, MERGE_FLAGS);
    const { target, rest } = takeTarget(positionals, context);
    // Unquoted JSON with spaces arrives split into several arguments: it is one patch.
    const text = rest.join(' ');
    const patch = rest.length > 0 ? parseValue(text) : undefined;
    if (patch === undefined || !isObject(patch)) throw new CommandSyntaxError('Meta_Syntax_Merge_Needs_Object');
    // `null` members are the patch's way to say "remove"; the service reads them so.
    return { action: 'merge', target, request: { patch: patch as JsonObject, ...writeOptions(options) } };
}

function parseState(args: readonly string[], context: CommandContext): ParsedCommand {
    const { positionals, options } = splitOptions('state', args, STATE_FLAGS);
    const { target, rest } = takeTarget(positionals, context);
    const [key, opWord, ...values] = rest;
    if (key === undefined || opWord === undefined) throw new CommandSyntaxError('Meta_Syntax_State_Usage');
    refuseLateTarget('state', key);
    const op = opWord.toLowerCase();
    if (op !== 'add' && op !== 'remove') throw new CommandSyntaxError('Meta_Syntax_State_Bad_Op', { op: opWord });
    if (values.length > 1) throw new CommandSyntaxError('Meta_Syntax_State_One_Value');
    if (op === 'add' && values.length === 0) throw new CommandSyntaxError('Meta_Syntax_State_Needs_Value', { key });
    const value = values.length === 1 ? parseValue(values[0], values[0], (fixed) => `${key} ${op} ${fixed}`) : undefined;
    // Not the items' advice (`/meta remove KEY` would remove an item): a state entry is taken out by `remove`.
    if (value === null) throw new CommandSyntaxError('Meta_Syntax_State_Null_Value', { key });
    return {
        action: 'state',
        target,
        request: {
            key,
            op,
            ...(value !== undefined ? { value: value as JsonValue } : {}),
            ...(options.type ? { type: options.type } : {}),
            ...(options.cause !== undefined ? { cause: options.cause } : {}),
        },
    };
}

function parseSubscription(
    action: 'subscribe' | 'unsubscribe',
    args: readonly string[],
    context: CommandContext,
): ParsedCommand {
    const { positionals } = splitOptions(action, args, []);
    const [first, ...rest] = positionals;
    if (first === undefined) throw new CommandSyntaxError('Meta_Syntax_Needs_Target', { action });
    const target = readTarget(first, context);
    if (!target) throw new CommandSyntaxError('Meta_Syntax_Not_A_Target', { arg: first });
    noMoreArgs(action, rest);
    return action === 'subscribe' ? { action, target, roomId: context.roomId } : { action, target };
}

/** The first positional names the subject when it is `@user`, `#room`, `me` or `here`; else `me`. */
function takeTarget(positionals: readonly string[], context: CommandContext): { target: SubjectTarget; rest: string[] } {
    const [first, ...rest] = positionals;
    const target = first === undefined ? undefined : readTarget(first, context);
    return target ? { target, rest } : { target: ME, rest: [...positionals] };
}

function readTarget(arg: string, context: CommandContext): SubjectTarget | undefined {
    const word = arg.toLowerCase();
    if (word === 'me') return ME;
    if (word === 'here') return { namespace: 'room', ref: context.roomId };
    // Names never hold `=`: `@x=1` is an (invalid) assignment, reported as such by the service.
    if (!/^[@#]/.test(arg) || arg.includes('=')) return undefined;
    const name = arg.slice(1);
    if (name === '') throw new CommandSyntaxError('Meta_Syntax_Target_Empty', { target: arg });
    return { namespace: arg.startsWith('@') ? 'user' : 'room', ref: name };
}

function refuseLateTarget(action: string, arg: string): void {
    if (/^[@#]/.test(arg)) throw new CommandSyntaxError('Meta_Syntax_Target_First', { arg, action });
}

function parseAssignment(action: string, arg: string): { key: string; value: JsonValue } {
    const eq = arg.indexOf('=');
    if (eq < 0) {
        refuseLateTarget(action, arg);
        throw new CommandSyntaxError('Meta_Syntax_Needs_Value', { arg });
    }
    if (eq === 0) throw new CommandSyntaxError('Meta_Syntax_Empty_Key', { arg });
    const key = arg.slice(0, eq);
    return { key, value: nonNull(key, parseValue(arg.slice(eq + 1), arg, (fixed) => `${key}=${fixed}`)) };
}

function nonNull(key: string, value: ReturnType<typeof parseValue>): JsonValue {
    if (value === null) throw new CommandSyntaxError('Meta_Syntax_Null_Value', { key });
    return value as JsonValue;
}

function refuseDuplicates(keys: readonly string[]): void {
    const seen = new Set<string>();
    for (const key of keys) {
        if (seen.has(key)) throw new CommandSyntaxError('Meta_Syntax_Key_Twice', { key });
        seen.add(key);
    }
}

/** `--rev` may only name keys the command writes: anything else is a typo worth reporting. */
function revisionsFor(keys: readonly string[], options: Options): Map<string, number> {
    const revisions = new Map<string, number>();
    for (const { key, revision } of options.revisions) {
        if (!keys.includes(key)) throw new CommandSyntaxError('Meta_Syntax_Rev_Unknown_Key', { key });
        revisions.set(key, revision);
    }
    return revisions;
}

function writeOptions(options: Options): WriteOptions {
    return {
        ...(options.majorRevision !== undefined ? { majorRevision: options.majorRevision } : {}),
        ...(options.cause !== undefined ? { cause: options.cause } : {}),
        ...(options.lock !== undefined ? { lock: validateLockName(options.lock) } : {}),
    };
}

function noMoreArgs(action: string, rest: readonly string[]): void {
    if (rest.length > 0) throw new CommandSyntaxError('Meta_Syntax_Extra_Argument', { action, arg: rest[0] });
}

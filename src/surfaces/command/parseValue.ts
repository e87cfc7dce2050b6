import { JsonObject, NullableJsonValue } from '../../core/json';
import { Cause } from '../../core/types';
import { CommandSyntaxError } from './CommandSyntaxError';
import { parseRelaxedJson } from './relaxedJson';

/**
 * How a VALUE reads. `fix` is the value as it should have been typed, when we can tell; `asText` how
 * to type the same characters so they are stored as text.
 */
export type ValueReading =
    | { ok: true; value: NullableJsonValue }
    | { ok: false; problem: 'unclosed_quote'; quote: string; fix: string }
    | { ok: false; problem: 'not_json'; fix?: string; asText?: string };

/** Typographic quotes, as phones and Macs type them: opening mark → the marks that close it. */
const TYPOGRAPHIC_DOUBLE: Record<string, string> = { '“': '”“', '„': '“”', '”': '”' };
const TYPOGRAPHIC_SINGLE: Record<string, string> = { '‘': '’‘', '‚': '‘’' };
const TYPOGRAPHIC_IN_JSON = /[“”„]/g;
/** Longest fix a reply suggests; a longer one would bury the message. */
const MAX_FIX_CHARS = 200;
const MAX_ARG_CHARS = 60;

/**
 * Reads a VALUE as typed (after the server's splitting, which strips straight quotes that close):
 *  - “…” / „…“ (typographic double quotes) hold text, as typed;
 *  - ‘…’ (typographic single quotes) work like '…': what is inside is read as below;
 *  - a straight quote the server left in place was not closed: refused, never stored as damaged text;
 *  - `{…}` / `[…]` must be JSON, or the object form the server leaves after stripping the inner
 *    quotes (`{a:1}`); typographic quotes inside read as `"`; anything else is refused;
 *  - JSON otherwise (`5`, `true`, `"5"`, `null`), else the text itself.
 */
export function readValue(text: string): ValueReading {
    const first = text.charAt(0);
    if (isTypographicQuote(first)) return readTypographic(text, first);
    if (first === '"' || first === "'") return readStraightQuoted(text, first);
    return readBare(text);
}

/**
 * An opening straight quote the server did not strip: JSON text (`"5"`); quotes inside quotes
 * (`x="'a b'"` arrives as `'a b'`), read as the server reads the outer ones; or one never closed.
 */
function readStraightQuoted(text: string, quote: string): ValueReading {
    const json = parseStrictJson(text);
    if (json !== undefined) return { ok: true, value: json };
    if (text.length > 1 && text.endsWith(quote)) {
        const content = text.slice(1, -1);
        return quote === "'" ? readBare(content) : { ok: true, value: content };
    }
    const inner = text.slice(1);
    if (quote === "'") {
        // '{"a":1} without its closing quote arrives as '{a:1}: read what is inside to show the fix.
        const reading = readBare(inner);
        if (reading.ok && typeof reading.value === 'object' && reading.value !== null) {
            const fix = `'${JSON.stringify(reading.value)}'`;
            if (fix.length <= MAX_FIX_CHARS) return { ok: false, problem: 'unclosed_quote', quote, fix };
        }
    }
    return { ok: false, problem: 'unclosed_quote', quote, fix: `${quote}${shortened(inner)}${quote}` };
}

function readTypographic(text: string, open: string): ValueReading {
    const double = open in TYPOGRAPHIC_DOUBLE;
    const closers = double ? TYPOGRAPHIC_DOUBLE[open] : TYPOGRAPHIC_SINGLE[open];
    const inner = text.slice(1);
    if (inner.length === 0 || !closers.includes(inner.charAt(inner.length - 1))) {
        return { ok: false, problem: 'unclosed_quote', quote: open, fix: `${open}${shortened(inner)}${closers.charAt(0)}` };
    }
    const content = inner.slice(0, -1);
    return double ? { ok: true, value: content } : readBare(content);
}

/** Unquoted: JSON, the object form, or text; but what opens like an object or list must be one. */
function readBare(text: string): ValueReading {
    const json = parseStrictJson(text);
    if (json !== undefined) return { ok: true, value: json };
    if (!/^\s*[[{]/.test(text)) return { ok: true, value: text };
    const structured = readStructured(text);
    if (structured !== undefined) return { ok: true, value: structured };
    return { ok: false, problem: 'not_json', ...fixOf(text), ...asTextOf(text) };
}

/** JSON, or the form the server leaves (`{a:1}`), with typographic double quotes read as `"`. */
function readStructured(text: string): NullableJsonValue | undefined {
    const straight = text.replace(TYPOGRAPHIC_IN_JSON, '"');
    const json = straight === text ? undefined : parseStrictJson(straight);
    if (json !== undefined) return json;
    const relaxed = parseRelaxedJson(straight);
    return relaxed !== undefined && allFinite(relaxed) ? relaxed : undefined;
}

/** The value with its missing closing quote and brackets added, when that reads as JSON. */
function fixOf(text: string): { fix?: string } {
    const closed = closeBrackets(text);
    if (closed === undefined) return {};
    const value = parseStrictJson(closed) ?? readStructured(closed);
    if (value === undefined || value === null || typeof value !== 'object') return {};
    const fix = `'${JSON.stringify(value)}'`;
    return fix.length <= MAX_FIX_CHARS ? { fix } : {};
}

/** Text goes through the server's splitting as a JSON string in single quotes, or in typographic quotes. */
function asTextOf(text: string): { asText?: string } {
    if (text.length > MAX_FIX_CHARS) return {};
    if (!/["'\\\n\r\t]/.test(text)) return { asText: `'"${text}"'` };
    if (!/[”\n\r\t]/.test(text)) return { asText: `“${text}”` };
    return {};
}

/**
 * Adds what an unfinished JSON text lacks at its end: a closing `"`, then the brackets still open.
 * Undefined when nothing is missing, or when the nesting is too deep to be worth suggesting. Iterative.
 */
export function closeBrackets(text: string): string | undefined {
    const open: string[] = [];
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const char = text[i];
        if (inString) {
            if (char === '\\') i++;
            else if (char === '"' || char === '”' || char === '“') inString = false;
        } else if (char === '"' || char === '“' || char === '„') inString = true;
        else if (char === '{') open.push('}');
        else if (char === '[') open.push(']');
        else if (char === '}' || char === ']') {
            if (open.pop() !== char) return undefined;
        }
        if (open.length > 64) return undefined;
    }
    const missing = (inString ? '"' : '') + open.reverse().join('');
    return missing === '' ? undefined : text + missing;
}

/**
 * The server splits on every space and knows only straight quotes: `t=“hello world”` arrives as
 * `t=“hello` and `world”`. Joins such runs back (with one space: the server kept no more). A run that
 * is never closed takes the arguments up to the next `--flag`, and its VALUE is then refused.
 */
export function joinQuotedRuns(args: readonly string[]): string[] {
    const joined: string[] = [];
    for (let i = 0; i < args.length; i++) {
        let arg = args[i];
        const run = openedRun(arg);
        if (run !== undefined) {
            while (!closesRun(arg.slice(run.start), run.closers) && i + 1 < args.length && !args[i + 1].startsWith('--')) {
                arg = `${arg} ${args[++i]}`;
            }
        }
        joined.push(arg);
    }
    return joined;
}

/** Where the VALUE in `arg` (all of it, or after `KEY=`) opens a typographic quote that it does not close. */
function openedRun(arg: string): { start: number; closers: string } | undefined {
    const eq = arg.indexOf('=');
    const start = isTypographicQuote(arg.charAt(0)) || eq < 0 ? 0 : eq + 1;
    const open = arg.charAt(start);
    const closers = TYPOGRAPHIC_DOUBLE[open] ?? TYPOGRAPHIC_SINGLE[open];
    if (closers === undefined || closesRun(arg.slice(start), closers)) return undefined;
    return { start, closers };
}

function isTypographicQuote(char: string): boolean {
    return char in TYPOGRAPHIC_DOUBLE || char in TYPOGRAPHIC_SINGLE;
}

function closesRun(value: string, closers: string): boolean {
    return value.length > 1 && closers.includes(value.charAt(value.length - 1));
}

/**
 * A VALUE for a command: refused with a CommandSyntaxError that shows the fix when it cannot be
 * read. `arg` is the argument as typed; `retype` puts a corrected value back into it. `null` comes
 * back as null: the caller decides whether that is allowed.
 */
export function parseValue(text: string, arg: string = text, retype: (value: string) => string = (value) => value): NullableJsonValue {
    const reading = readValue(text);
    if (reading.ok) return reading.value;
    const shown = shortened(arg);
    if (reading.problem === 'unclosed_quote') {
        throw new CommandSyntaxError('Meta_Value_Unclosed_Quote', { arg: shown, quote: reading.quote, fix: retype(reading.fix) });
    }
    const fix = reading.fix === undefined ? undefined : retype(reading.fix);
    const more = reading.asText === undefined ? [] : [{ key: 'Meta_Value_As_Text' as const, params: { fix: retype(reading.asText) } }];
    if (fix === undefined) throw new CommandSyntaxError('Meta_Value_Not_Json', { arg: shown, example: retype(`'{"a":1}'`) }, more);
    throw new CommandSyntaxError('Meta_Value_Not_Json_Fix', { arg: shown, fix }, more);
}

/** `--cause`: a JSON object when it reads as one, else the text as typed; refused as a VALUE is. */
export function parseCause(text: string): Cause {
    const value = parseValue(text, `--cause ${text}`, (fixed) => `--cause ${fixed}`);
    return isObject(value) ? (value as JsonObject) : typeof value === 'string' ? value : text;
}

export function isObject(value: NullableJsonValue): value is { [key: string]: NullableJsonValue } {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** At most MAX_ARG_CHARS characters (not UTF-16 units), and no backtick to end the code span it is shown in. */
function shortened(text: string): string {
    const chars = Array.from(text.replace(/`/g, 'ˋ'));
    return chars.length <= MAX_ARG_CHARS ? chars.join('') : `${chars.slice(0, MAX_ARG_CHARS - 1).join('')}…`;
}

/**
 * JSON.parse reads any depth without recursion (a reviver would recurse) and keeps a `__proto__` member
 * as an own member, which the value rules then refuse by name.
 */
function parseStrictJson(text: string): NullableJsonValue | undefined {
    let value: NullableJsonValue;
    try {
        value = JSON.parse(text) as NullableJsonValue;
    } catch {
        return undefined;
    }
    return allFinite(value) ? value : undefined;
}

/** `1e999` parses as Infinity, which JSON cannot carry back out: such input is text. Iterative. */
function allFinite(value: NullableJsonValue): boolean {
    const pending: NullableJsonValue[] = [value];
    while (pending.length > 0) {
        const node = pending.pop() as NullableJsonValue;
        if (typeof node === 'number' && !Number.isFinite(node)) return false;
        const members = Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
        for (const member of members) pending.push(member); // not push(...members): a wide array would overflow the stack
    }
    return true;
}

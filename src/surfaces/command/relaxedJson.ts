import { NullableJsonValue } from '../../core/json';

/**
 * Reads the object/array form the server leaves after splitting slash-command arguments: it strips
 * every quoted run's quotes, so `{"a":"x y","b":1}` arrives as `{a:x y,b:1}`. Keys and strings may
 * therefore be bare; a bare word reads as a JSON literal when it is one (`1`, `true`, `null`), else
 * as text. Quoted strings ('…' or "…") still work. Returns undefined when the text is not such a form.
 *
 * Without recursion: a value nested 5,000 levels deep is read, and the nesting rule refuses it with
 * its own message. A `__proto__` member is kept as an own member (never as the prototype), so the
 * value rules refuse it by name instead of it vanishing.
 */
export function parseRelaxedJson(text: string): NullableJsonValue | undefined {
    const reader = new Reader(text);
    try {
        const value = reader.document();
        reader.skipSpace();
        return reader.atEnd() ? value : undefined;
    } catch (error) {
        if (error instanceof NotRelaxedJson) return undefined;
        throw error;
    }
}

class NotRelaxedJson extends Error {}

type Members = { [key: string]: NullableJsonValue };

/** An object or array being read; `key` is the member name waiting for its value. */
type Frame = { close: '}'; result: Members; key: string } | { close: ']'; result: NullableJsonValue[] };

/** Reading the start of a value opened a container (now on the stack): read its members next. */
const AT_MEMBER = Symbol('at member');

const END_OF_TEXT: string[] = [];
const IN_OBJECT = [',', '}'];
const IN_ARRAY = [',', ']'];
const BEFORE_COLON = [':'];
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

class Reader {
    private pos = 0;

    constructor(private readonly text: string) {}

    atEnd(): boolean {
        return this.pos >= this.text.length;
    }

    skipSpace(): void {
        while (!this.atEnd() && /\s/.test(this.text[this.pos])) this.pos++;
    }

    /** One value and everything inside it, with an explicit stack of the containers still open. */
    document(): NullableJsonValue {
        const stack: Frame[] = [];
        let next = this.start(END_OF_TEXT, stack);
        for (;;) {
            let value: NullableJsonValue;
            if (next === AT_MEMBER) {
                // The innermost open container: its next member, or its end.
                const open = stack[stack.length - 1];
                this.skipSpace();
                if (this.text[this.pos] !== open.close) {
                    next = this.member(open, stack);
                    continue;
                }
                this.pos++;
                stack.pop();
                value = open.result;
            } else {
                value = next;
            }
            const parent = stack[stack.length - 1];
            if (parent === undefined) return value;
            if (parent.close === '}') {
                Object.defineProperty(parent.result, parent.key, { value, enumerable: true, writable: true, configurable: true });
            } else {
                parent.result.push(value);
            }
            this.skipSpace();
            if (this.text[this.pos] === ',') {
                this.pos++;
                next = AT_MEMBER; // a trailing comma is fine: the container may end there
                continue;
            }
            this.expect(parent.close);
            stack.pop();
            next = parent.result; // whole now: it goes to its own parent on the next round
        }
    }

    /** The next member of an open container: an object's `key:` first, then its value's start. */
    private member(frame: Frame, stack: Frame[]): NullableJsonValue | typeof AT_MEMBER {
        if (frame.close === ']') return this.start(IN_ARRAY, stack);
        this.skipSpace();
        const char = this.text[this.pos];
        frame.key = char === '"' || char === "'" ? this.quoted() : this.bare(BEFORE_COLON);
        this.expect(':');
        return this.start(IN_OBJECT, stack);
    }

    /** The start of a value: a container opens on the stack; anything else is read whole. */
    private start(terminators: string[], stack: Frame[]): NullableJsonValue | typeof AT_MEMBER {
        this.skipSpace();
        const char = this.text[this.pos];
        if (char === '{') {
            this.pos++;
            stack.push({ close: '}', result: {}, key: '' });
            return AT_MEMBER;
        }
        if (char === '[') {
            this.pos++;
            stack.push({ close: ']', result: [] });
            return AT_MEMBER;
        }
        if (char === '"' || char === "'") return this.quoted();
        return literal(this.bare(terminators));
    }

    private quoted(): string {
        const quote = this.text[this.pos++];
        let result = '';
        while (!this.atEnd()) {
            const char = this.text[this.pos++];
            if (char === quote) return result;
            if (char === '\\' && !this.atEnd()) {
                const escaped = this.text[this.pos++];
                result += ESCAPES[escaped] ?? escaped;
            } else {
                result += char;
            }
        }
        throw new NotRelaxedJson();
    }

    /** Up to the next terminator (or the end at top level), trimmed; never empty. */
    private bare(terminators: string[]): string {
        const start = this.pos;
        while (!this.atEnd() && !terminators.includes(this.text[this.pos])) {
            const char = this.text[this.pos];
            if (terminators !== END_OF_TEXT && (char === '{' || char === '[' || char === ']' || char === '}')) break;
            this.pos++;
        }
        const word = this.text.slice(start, this.pos).trim();
        if (word === '') throw new NotRelaxedJson();
        return word;
    }

    private expect(char: string): void {
        this.skipSpace();
        if (this.text[this.pos] !== char) throw new NotRelaxedJson();
        this.pos++;
    }
}

function literal(word: string): NullableJsonValue {
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (JSON_NUMBER.test(word)) {
        const number = Number(word);
        if (Number.isFinite(number)) return number;
    }
    return word;
}

import { NullableJsonValue } from '../../core/json';

/**
 * Reads the object/array form the server leaves after splitting slash-command arguments: it strips
 * every quoted run's quotes, so `{"a":"x y","b":1}` arrives as `{a:x y,b:1}`. Keys and strings may
 * therefore be bare; a bare word reads as a JSON literal when it is one (`1`, `true`, `null`), else
 * as text. Quoted strings ('…' or "…") still work. Returns undefined when the text is not such a form.
 */
export function parseRelaxedJson(text: string): NullableJsonValue | undefined {
    const reader = new Reader(text);
    try {
        const value = reader.value(END_OF_TEXT);
        reader.skipSpace();
        return reader.atEnd() ? value : undefined;
    } catch (error) {
        if (error instanceof NotRelaxedJson) return undefined;
        throw error;
    }
}

class NotRelaxedJson extends Error {}

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

    value(terminators: string[]): NullableJsonValue {
        this.skipSpace();
        const char = this.text[this.pos];
        if (char === '{') return this.object();
        if (char === '[') return this.array();
        if (char === '"' || char === "'") return this.quoted();
        return literal(this.bare(terminators));
    }

    private object(): { [key: string]: NullableJsonValue } {
        this.pos++;
        const result: { [key: string]: NullableJsonValue } = {};
        this.skipSpace();
        if (this.text[this.pos] === '}') {
            this.pos++;
            return result;
        }
        for (;;) {
            this.skipSpace();
            const char = this.text[this.pos];
            if (char === '}') break; // a trailing comma
            const key = char === '"' || char === "'" ? this.quoted() : this.bare(BEFORE_COLON);
            this.expect(':');
            const member = this.value(IN_OBJECT);
            // Assigning it would replace the prototype; the engine channel breaks on such own keys.
            if (key !== '__proto__') result[key] = member;
            this.skipSpace();
            if (this.text[this.pos] === ',') {
                this.pos++;
                continue;
            }
            break;
        }
        this.expect('}');
        return result;
    }

    private array(): NullableJsonValue[] {
        this.pos++;
        const result: NullableJsonValue[] = [];
        this.skipSpace();
        if (this.text[this.pos] === ']') {
            this.pos++;
            return result;
        }
        for (;;) {
            this.skipSpace();
            if (this.text[this.pos] === ']') break;
            result.push(this.value(IN_ARRAY));
            this.skipSpace();
            if (this.text[this.pos] === ',') {
                this.pos++;
                continue;
            }
            break;
        }
        this.expect(']');
        return result;
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

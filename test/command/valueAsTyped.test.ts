// `/meta` never mangles a value (issue 8): lines as a person types them in Rocket.Chat, split by the
// server's own rules (host/lib/parseParameters.ts mirrors apps/meteor/lib/utils/parseParameters), then
// read by the app. What cannot be read is refused with a reply that shows the fix.
import { describe, expect, it } from 'vitest';

import { parseParameters } from '../../host/lib/parseParameters';
import { translator } from '../../src/i18n/catalog';
import { formatError } from '../../src/surfaces/command/formatError';
import { parseMetaCommand } from '../../src/surfaces/command/parseMetaCommand';

const tr = translator('en');
const de = translator('de');

/** The item values a `/meta set …` line stores. */
function stored(line: string): Record<string, unknown> {
    const command = parseMetaCommand(parseParameters(line), { roomId: 'ROOM1' });
    if (command.action !== 'set') throw new Error(`not a set: ${line}`);
    return Object.fromEntries((command.request.items ?? []).map((item) => [item.key, item.value]));
}

/** The reply to a line that is refused. */
function refusal(line: string, translate = tr): string {
    try {
        parseMetaCommand(parseParameters(line), { roomId: 'ROOM1' });
    } catch (error) {
        return formatError(error, translate);
    }
    throw new Error(`expected a refusal for: ${line}`);
}

describe('a value that starts like a quote, an object or a list but does not parse is refused with the fix', () => {
    it(`prefs='{"a":1} (closing quote missing) is refused and the reply shows the line to type`, () => {
        expect(refusal(`set prefs='{"a":1}`)).toBe(
            "`prefs='{a:1}` (as the app received it) opens a quote ' that is never closed, so nothing was written. " +
                `Write it as \`prefs='{"a":1}'\`.\nType \`/meta help\` for the syntax.`,
        );
    });

    it(`prefs3='{"a":1' (closing brace missing) is refused, with the object it was meant to be and the way to keep it as text`, () => {
        expect(refusal(`set prefs3='{"a":1'`)).toBe(
            '`prefs3={"a":1` (as the app received it) starts like JSON but is not complete JSON, so nothing was written. ' +
                `Did you mean \`prefs3='{"a":1}'\`? Write objects and lists in single quotes, with every bracket and quote closed.\n` +
                'To store it as text instead, write `prefs3=“{"a":1”`.\nType `/meta help` for the syntax.',
        );
    });

    it('an unclosed list is refused with the list it was meant to be', () => {
        expect(refusal('set tags=[1,2')).toContain("Did you mean `tags='[1,2]'`?");
    });

    it('text that starts with a bracket is refused, with how to store it as text', () => {
        const reply = refusal('set note="[WIP] fix"');
        expect(reply).toContain('nothing was written');
        expect(reply).toContain(`To store it as text instead, write \`note='"[WIP] fix"'\`.`);
        expect(stored(`set note='"[WIP] fix"'`)).toEqual({ note: '[WIP] fix' });
    });

    it('a text quote that is never closed is refused, not stored with the quote in it', () => {
        expect(refusal('set d="abc')).toContain('opens a quote " that is never closed, so nothing was written. Write it as `d="abc"`.');
        expect(refusal('set y=“open --public')).toContain('Write it as `y=“open”`.');
    });

    it('a state value and a merge patch are held to the same rule', () => {
        expect(refusal('state here votes add [1,2')).toContain("Did you mean `votes add '[1,2]'`?");
        expect(refusal(`merge '{"a":1'`)).toContain('starts like JSON but is not complete JSON');
        expect(refusal('set x=1 --cause {"ticket":1')).toContain('nothing was written');
    });

    it('the refusal reads in German for a German caller, with the same fix', () => {
        const reply = refusal(`set prefs='{"a":1}`, de);
        expect(reply).toContain('nie geschlossen');
        expect(reply).toContain(`\`prefs='{"a":1}'\``);
        expect(reply).not.toMatch(/never|nothing was written/);
    });
});

describe('typographic quotes work as quotes', () => {
    it('“…” holds text with spaces, even though the server splits it at the space', () => {
        expect(stored('set title=“hello big world” --public')).toEqual({ title: 'hello big world' });
    });

    it('„…“ (German) holds text too', () => {
        expect(stored('set gruss=„Hallo Welt“')).toEqual({ gruss: 'Hallo Welt' });
    });

    it('“5” stays the text "5", and so do “true” and “[1]”', () => {
        expect(stored('set n=“5” b=“true” l=“[1]”')).toEqual({ n: '5', b: 'true', l: '[1]' });
    });

    it('an object typed with smart quotes (‘{“a”:1}’) is the object', () => {
        expect(stored('set p=‘{“lang”:“de”}’ q={“a”:[1,2]}')).toEqual({ p: { lang: 'de' }, q: { a: [1, 2] } });
    });

    it('a state value and a cause may be in typographic quotes', () => {
        const command = parseMetaCommand(parseParameters('state here lunch add “fish and chips” --cause “weekly sync”'), { roomId: 'ROOM1' });
        expect(command).toMatchObject({ action: 'state', request: { value: 'fish and chips', cause: 'weekly sync' } });
    });
});

describe('values that read as JSON or text, as before', () => {
    it(`'"5"' stays the text "5"; 5 and "5" (the server strips the quotes) are the number 5`, () => {
        expect(stored(`set a='"5"'`)).toEqual({ a: '5' });
        expect(stored(`set b=5 c="5"`)).toEqual({ b: 5, c: 5 });
    });

    it('objects in single quotes, and the form the server leaves of unquoted JSON', () => {
        expect(stored(`set a='{"lang":"de","tz":"CET"}' b={"x":"y z"}`)).toEqual({ a: { lang: 'de', tz: 'CET' }, b: { x: 'y z' } });
    });

    it('quotes inside quotes are read as the server reads the outer ones, not refused as unclosed', () => {
        expect(stored(`set a="'two words'" b='"{x"'`)).toEqual({ a: 'two words', b: '{x' });
    });

    it('plain words, and quotes inside a word, are text', () => {
        expect(stored(`set a=hello b=it's c=5px`)).toEqual({ a: 'hello', b: "it's", c: '5px' });
    });
});

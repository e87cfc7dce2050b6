import { describe, expect, it } from 'vitest';
import { MENTION_BREAK, neutraliseMentions } from '../../src/surfaces/status/neutraliseMentions';

/** The server's rule: `@name` counts at the start of a message or after whitespace or `>`. */
const SERVER_MENTION = /(?:^|\s|>)@([0-9a-zA-Z-_.]+)/gm;
const mentionsIn = (text: string) => [...text.matchAll(SERVER_MENTION)].map((m) => m[1]);

describe('neutralising mentions', () => {
    it('breaks @all at the start of a message', () => {
        expect(mentionsIn(neutraliseMentions('@all look'))).toEqual([]);
    });

    it('breaks @here after a space', () => {
        expect(mentionsIn(neutraliseMentions('topic is @here now'))).toEqual([]);
    });

    it('breaks @user after a newline or tab', () => {
        expect(mentionsIn(neutraliseMentions('a\n@alice\t@bob'))).toEqual([]);
    });

    it('breaks a mention after >', () => {
        expect(mentionsIn(neutraliseMentions('quote>@all'))).toEqual([]);
    });

    it('breaks mentions inside markdown and code spans', () => {
        expect(neutraliseMentions('*@all* `@here`')).toBe(`*@${MENTION_BREAK}all* \`@${MENTION_BREAK}here\``);
    });

    it('keeps the text readable: only an invisible character is added', () => {
        expect(neutraliseMentions('hi @all').replace(MENTION_BREAK, '')).toBe('hi @all');
    });

    it('leaves e-mail addresses alone', () => {
        expect(neutraliseMentions('mail bob@example.com')).toBe('mail bob@example.com');
    });

    it('does not add a second break to text already neutralised', () => {
        const once = neutraliseMentions('@all and @here');
        expect(neutraliseMentions(once)).toBe(once);
    });

    it('breaks every @ of @@all', () => {
        expect(mentionsIn(neutraliseMentions('@@all'))).toEqual([]);
    });
});

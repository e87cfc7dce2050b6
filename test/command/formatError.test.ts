import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, ErrorCode, MetadataError } from '../../src/core/errors';
import { translator } from '../../src/i18n/catalog';
import { CommandSyntaxError } from '../../src/surfaces/command/CommandSyntaxError';
import { formatError } from '../../src/surfaces/command/formatError';

const tr = translator('en');

describe('error replies', () => {
    it('explains a syntax error and points to help', () => {
        expect(formatError(new CommandSyntaxError('Meta_Syntax_Rev_Format', { got: 'theme' }), tr)).toBe(
            '`--rev` needs KEY=N with N a whole number (0 = must not exist yet), e.g. `--rev theme=3`; got `theme`.\nType `/meta help` for the syntax.',
        );
    });

    it('gives a revision conflict\'s current revisions and the flags to retry with', () => {
        const conflict = new MetadataError('revision_conflict', 'revision conflict', {
            majorRevision: 5,
            items: [
                { key: 'theme', revision: 3 },
                { key: 'color', revision: 0 },
            ],
        });
        const text = formatError(conflict, tr);
        expect(text).toContain('majorRevision 5');
        expect(text).toContain('`theme` is at rev 3, `color` does not exist.');
        expect(text).toContain('retry with `--major 5` or `--rev theme=3 --rev color=0`');
    });

    it('passes the service\'s explanation along for a forbidden write', () => {
        expect(formatError(new MetadataError('forbidden', 'only room owners may write #planning'), tr)).toBe(
            "You may not do that: only room owners may write #planning. Ask the subject's owner, a room owner or moderator, or an admin.",
        );
    });

    it('has a text for every error code', () => {
        for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
            const text = formatError(new MetadataError(code, 'detail'), tr);
            expect(text).not.toMatch(/^Meta_/);
            expect(text).not.toBe(formatError(new Error('x'), tr));
        }
    });

    it('apologises for anything unexpected without showing internals', () => {
        const error = new Error('Cannot read properties of undefined');
        const text = formatError(error, tr);
        expect(text).toMatch(/^Sorry, something went wrong/);
        expect(text).not.toContain('Cannot read');
        expect(text).not.toContain('at ');
    });
});

describe('a conflict on the majorRevision alone', () => {
    it('suggests retrying with the current majorRevision', () => {
        const text = formatError(new MetadataError('revision_conflict', 'conflict', { majorRevision: 8, items: [] }), translator('en'));
        expect(text).toContain('retry with `--major 8`, or without');
    });
});

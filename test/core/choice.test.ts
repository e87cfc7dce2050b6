import { describe, expect, it } from 'vitest';

import {
    assertHoldsItems, CHOICE_BOUNDS, choiceDefinitionOf, choiceRequest, clickRequest, everyChoice, parseChoiceDefinition, summarizeChoice,
} from '../../src/core/choice';
import { MetadataSet, StateView } from '../../src/core/types';

/** SPEC §19: what a message with choices is, and what a click on one asks for. */

const LUNCH = { question: 'Lunch?', choices: ['pizza', 'sushi', 'salad'] };

function codeOf(run: () => unknown): string | undefined {
    try {
        run();
    } catch (error) {
        return (error as { code?: string }).code;
    }
    return undefined;
}

describe('a choice definition', () => {
    it('takes a question and choices, trimmed, and is a set unless a type is named', () => {
        expect(parseChoiceDefinition({ question: ' Lunch? ', choices: [' pizza', 'sushi '] })).toEqual({ question: 'Lunch?', choices: ['pizza', 'sushi'], type: 'set' });
    });

    it('names its type: set, fww, lww or lwwn', () => {
        expect(parseChoiceDefinition({ ...LUNCH, type: 'lwwn' }).type).toBe('lwwn');
        expect(codeOf(() => parseChoiceDefinition({ ...LUNCH, type: 'poll' }))).toBe('invalid_request');
    });

    it('has 2 to 10 choices', () => {
        expect(codeOf(() => parseChoiceDefinition({ question: 'q', choices: ['one'] }))).toBe('invalid_request');
        expect(codeOf(() => parseChoiceDefinition({ question: 'q', choices: Array.from({ length: 11 }, (_, i) => `c${i}`) }))).toBe('invalid_request');
        expect(parseChoiceDefinition({ question: 'q', choices: Array.from({ length: 10 }, (_, i) => `c${i}`) }).choices).toHaveLength(10);
    });

    it('refuses an empty question, an empty choice and a choice named twice', () => {
        expect(codeOf(() => parseChoiceDefinition({ question: '  ', choices: ['a', 'b'] }))).toBe('invalid_request');
        expect(codeOf(() => parseChoiceDefinition({ question: 'q', choices: ['a', ' '] }))).toBe('invalid_request');
        expect(codeOf(() => parseChoiceDefinition({ question: 'q', choices: ['a', 'b', 'a '] }))).toBe('invalid_request');
    });

    it('refuses a question or a choice longer than a message shows at a glance', () => {
        expect(codeOf(() => parseChoiceDefinition({ question: 'q'.repeat(CHOICE_BOUNDS.questionChars + 1), choices: ['a', 'b'] }))).toBe('invalid_request');
        expect(codeOf(() => parseChoiceDefinition({ question: 'q', choices: ['a', 'b'.repeat(CHOICE_BOUNDS.choiceChars + 1)] }))).toBe('invalid_request');
    });

    it('refuses fields it does not know and choices that are not texts', () => {
        expect(codeOf(() => parseChoiceDefinition({ ...LUNCH, anonymous: true }))).toBe('invalid_request');
        expect(codeOf(() => parseChoiceDefinition({ question: 'q', choices: ['a', 2] }))).toBe('invalid_request');
        expect(codeOf(() => parseChoiceDefinition(['q', 'a', 'b']))).toBe('invalid_request');
    });

    it('is read back from a message subject\'s item `choice`, and nothing else is taken for one: not a room\'s item of that name', () => {
        const set = (value: unknown): MetadataSet => ({
            majorRevision: 1,
            items: [{ key: 'choice', value: value as never, revision: 1, updatedAt: '', updatedBy: 'u', visibility: 'public' }],
        });
        expect(choiceDefinitionOf('message', set({ ...LUNCH, type: 'fww' }))).toEqual({ ...LUNCH, type: 'fww' });
        expect(choiceDefinitionOf('message', set({ ...LUNCH, type: 'poll' }))).toBeUndefined();
        expect(choiceDefinitionOf('message', set('Lunch?'))).toBeUndefined();
        expect(choiceDefinitionOf('message', { majorRevision: 0, items: [] })).toBeUndefined();
        expect(choiceDefinitionOf('room', set({ ...LUNCH, type: 'fww' }))).toBeUndefined();
    });
});

describe('a message holds state only', () => {
    it('users and rooms hold items; a message does not', () => {
        expect(codeOf(() => assertHoldsItems('user'))).toBeUndefined();
        expect(codeOf(() => assertHoldsItems('room'))).toBeUndefined();
        expect(codeOf(() => assertHoldsItems('message'))).toBe('operation_not_allowed');
    });
});

describe('the picks of a message with choices', () => {
    const fww = { ...LUNCH, type: 'fww' as const };

    it('take the message\'s type when a write names none', () => {
        expect(choiceRequest(fww, { key: 'choice', op: 'add', value: 'pizza' }).type).toBe('fww');
    });

    it('refuse another type, and a value that is not one of the choices', () => {
        expect(codeOf(() => choiceRequest(fww, { key: 'choice', type: 'set', op: 'add', value: 'pizza' }))).toBe('type_mismatch');
        expect(codeOf(() => choiceRequest(fww, { key: 'choice', op: 'add', value: 'pineapple' }))).toBe('invalid_value');
        expect(codeOf(() => choiceRequest(fww, { key: 'choice', op: 'add', value: ['pizza'] }))).toBe('invalid_value');
    });

    it('leave other state keys, and subjects without choices, alone', () => {
        const other = { key: 'mood', op: 'add' as const, value: 'pineapple' };
        expect(choiceRequest(fww, other)).toBe(other);
        expect(choiceRequest(undefined, { key: 'choice', op: 'add', value: 'pineapple' })).toEqual({ key: 'choice', op: 'add', value: 'pineapple' });
    });
});

describe('what a click asks for', () => {
    /** The state as the caller u1 holds `own` (undefined: nothing) of a message of `type`. */
    function holding(type: 'set' | 'fww' | 'lww' | 'lwwn', own: string | string[] | undefined): StateView {
        return own === undefined ? {} : { choice: { type, byUser: { u1: own }, summary: [] } };
    }
    const click = (type: 'set' | 'fww' | 'lww' | 'lwwn', own: string | string[] | undefined, choice: string) =>
        clickRequest({ ...LUNCH, type }, holding(type, own), 'u1', choice);

    it.each([
        // type, what the clicker holds, the choice clicked, the op the click makes
        ['set', undefined, 'pizza', 'add'],
        ['set', ['sushi'], 'pizza', 'add'],
        ['set', ['pizza', 'sushi'], 'pizza', 'remove'],
        ['fww', undefined, 'pizza', 'add'],
        ['fww', 'sushi', 'pizza', 'add'], // refused by fww's own rule, with its reason
        ['lww', undefined, 'pizza', 'add'],
        ['lww', 'sushi', 'pizza', 'add'],
        ['lww', 'pizza', 'pizza', 'add'], // the same pick again
        ['lwwn', undefined, 'pizza', 'add'],
        ['lwwn', 'sushi', 'pizza', 'add'],
        ['lwwn', 'pizza', 'pizza', 'remove'],
    ] as const)('%s, holding %j, clicking %s: %s', (type, own, choice, op) => {
        expect(click(type, own as never, choice)).toEqual({ key: 'choice', type, op, value: choice });
    });

    it('looks at the clicker\'s own entry only', () => {
        const state: StateView = { choice: { type: 'set', byUser: { u2: ['pizza'] }, summary: [] } };
        expect(clickRequest({ ...LUNCH, type: 'set' }, state, 'u1', 'pizza').op).toBe('add');
    });
});

describe('the summary of a message with choices', () => {
    it('lists every choice in the message\'s order, with how many hold it and who, zero where no one does', () => {
        const state: StateView = {
            choice: {
                type: 'set',
                byUser: { u1: ['salad', 'pizza'], u2: ['pizza'] },
                summary: [{ value: 'pizza', count: 2, users: ['u1', 'u2'] }, { value: 'salad', count: 1, users: ['u1'] }],
            },
        };
        expect(summarizeChoice({ ...LUNCH, type: 'set' }, state)).toEqual({
            question: 'Lunch?',
            type: 'set',
            choices: [
                { choice: 'pizza', count: 2, users: ['u1', 'u2'] },
                { choice: 'sushi', count: 0, users: [] },
                { choice: 'salad', count: 1, users: ['u1'] },
            ],
        });
    });
});

describe('the picks as a panel offers them', () => {
    it('list every choice in the message\'s order, those nobody holds with count 0, and keep who holds what', () => {
        const state: StateView = { choice: { type: 'lww', byUser: { u1: 'salad' }, summary: [{ value: 'salad', count: 1, users: ['u1'] }] } };
        expect(everyChoice({ ...LUNCH, type: 'lww' }, state)).toEqual({
            choice: {
                type: 'lww',
                byUser: { u1: 'salad' },
                summary: [{ value: 'pizza', count: 0, users: [] }, { value: 'sushi', count: 0, users: [] }, { value: 'salad', count: 1, users: ['u1'] }],
            },
        });
    });

    it('offer the choices before anyone picked, and leave other keys as they are', () => {
        const other: StateView = { mood: { type: 'set', byUser: { u1: ['ok'] }, summary: [{ value: 'ok', count: 1, users: ['u1'] }] } };
        const shown = everyChoice({ question: 'q', choices: ['a', 'b'], type: 'fww' }, other);
        expect(shown.mood).toBe(other.mood);
        expect(shown.choice).toEqual({ type: 'fww', byUser: {}, summary: [{ value: 'a', count: 0, users: [] }, { value: 'b', count: 0, users: [] }] });
    });
});

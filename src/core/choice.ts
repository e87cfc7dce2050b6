import { MetadataError } from './errors';
import { expectArray, expectOneOf, expectRecord, expectString, rejectUnknownFields } from './fields';
import { JsonValue } from './json';
import { rulesFor } from './state/registry';
import { MetadataSet, Namespace, STATE_TYPES, StateRequest, StateType, StateView } from './types';
import { isPlainRecord } from './values';

/**
 * A message with choices (SPEC §19, after Layer's message state): a question, the choices people click, and the
 * state type that says what a click does. The definition is the message subject's one item, `choice`, written once
 * by the app when it posts the message; the picks are the subject's state key `choice`, one entry per user.
 */
export interface ChoiceDefinition {
    question: string;
    choices: string[];
    type: StateType;
}

/** The item holding a message's definition, and the state key holding its picks. */
export const CHOICE_ITEM = 'choice';
export const CHOICE_KEY = 'choice';

/** Bounds of a definition: one button per choice must fit a message people read at a glance. */
export const CHOICE_BOUNDS = { minChoices: 2, maxChoices: 10, choiceChars: 80, questionChars: 300 } as const;

/**
 * Which namespaces hold items. Message subjects hold state keys only (SPEC §19): what people say about a message is
 * its picks; the one item there is the app's own definition, written when the message is posted.
 */
export function holdsItems(namespace: Namespace): boolean {
    return namespace !== 'message';
}

export function assertHoldsItems(namespace: Namespace): void {
    if (!holdsItems(namespace)) {
        throw new MetadataError(
            'operation_not_allowed',
            'a message holds collaborative state only (POST …/state); its items are its choices, set when it was posted',
        );
    }
}

/** A `choose` request as surfaces hand it over: `{question, choices, type?}`, checked and trimmed. */
export function parseChoiceDefinition(body: unknown): ChoiceDefinition {
    const fields = expectRecord(body, 'the choice');
    rejectUnknownFields(fields, ['question', 'choices', 'type'], 'the choice');
    const question = expectString(fields.question, 'question').trim();
    if (question === '') throw invalid('the question is empty: say what people choose');
    if (question.length > CHOICE_BOUNDS.questionChars) throw invalid(`the question is longer than ${CHOICE_BOUNDS.questionChars} characters`);
    const listed = expectArray(fields.choices, 'choices', 'an array of texts');
    const { minChoices, maxChoices, choiceChars } = CHOICE_BOUNDS;
    if (listed.length < minChoices || listed.length > maxChoices) {
        throw invalid(`name ${minChoices} to ${maxChoices} choices, not ${listed.length}`);
    }
    const choices = listed.map((choice, at) => expectString(choice, `choices[${at}]`).trim());
    choices.forEach((choice, at) => {
        if (choice === '') throw invalid(`choice ${at + 1} is empty`);
        if (choice.length > choiceChars) throw invalid(`choice ${at + 1} is longer than ${choiceChars} characters`);
        if (choices.indexOf(choice) !== at) throw invalid(`the choice ${JSON.stringify(choice)} is named twice`);
    });
    const type = fields.type === undefined ? 'set' : expectOneOf(fields.type, STATE_TYPES, 'type');
    return { question, choices, type };
}

/** The definition of a message with choices; none on users and rooms, whatever items they hold. */
export function choiceDefinitionOf(namespace: Namespace, set: MetadataSet): ChoiceDefinition | undefined {
    if (namespace !== 'message') return undefined;
    const item = set.items.find((candidate) => candidate.key === CHOICE_ITEM);
    if (!item || !isPlainRecord(item.value)) return undefined;
    const { question, choices, type } = item.value;
    if (typeof question !== 'string' || !Array.isArray(choices) || !choices.every((c) => typeof c === 'string')) return undefined;
    const stateType = rulesFor(String(type)) ? (type as StateType) : undefined;
    return stateType ? { question, choices: choices as string[], type: stateType } : undefined;
}

/**
 * The picks of a message with choices take only its choices, under its type, whichever surface writes them (a click,
 * `POST …/state`, `/meta state`): a poll gains no "pineapple", and no one can fix the key's type first. Answers the
 * request with the message's type filled in.
 */
export function choiceRequest(definition: ChoiceDefinition | undefined, request: StateRequest): StateRequest {
    if (!definition || request.key !== CHOICE_KEY) return request;
    if (request.type !== undefined && request.type !== definition.type) {
        throw new MetadataError('type_mismatch', `the choices of this message are of type "${definition.type}", not ${JSON.stringify(request.type)}`, { type: definition.type });
    }
    if (request.op === 'add' && !(typeof request.value === 'string' && definition.choices.includes(request.value))) {
        throw new MetadataError('invalid_value', `pick one of the message's choices: ${definition.choices.map((c) => JSON.stringify(c)).join(', ')}`);
    }
    return { ...request, type: definition.type };
}

/**
 * What a click on `choice` asks for, as the type's own one-click rule has it (core/state, `offer`): a set toggles,
 * lwwn clears a pick clicked again, lww switches; where the rule offers nothing (an fww pick made, an lww pick clicked
 * again) it is an add, which fww refuses with its reason and lww takes as the same pick again.
 */
export function clickRequest(definition: ChoiceDefinition, state: StateView, userId: string, choice: string): StateRequest {
    const entry = state[CHOICE_KEY];
    const own: JsonValue | undefined = entry && Object.prototype.hasOwnProperty.call(entry.byUser, userId) ? entry.byUser[userId] : undefined;
    const op = rulesFor(definition.type)?.offer(own, choice) ?? 'add';
    return { key: CHOICE_KEY, type: definition.type, op, value: choice };
}

/** Each choice in the message's order, how many hold it and who (user ids, in the order the fold gives). */
export interface ChoiceSummary {
    question: string;
    type: StateType;
    choices: Array<{ choice: string; count: number; users: string[] }>;
}

export function summarizeChoice(definition: ChoiceDefinition, state: StateView): ChoiceSummary {
    const summary = state[CHOICE_KEY]?.summary ?? [];
    return {
        question: definition.question,
        type: definition.type,
        choices: definition.choices.map((choice) => {
            const held = summary.find((entry) => entry.value === choice);
            return { choice, count: held?.count ?? 0, users: held?.users ?? [] };
        }),
    };
}

/**
 * The picks as a panel offers them: every choice of the message, held or not (count 0), in the message's order, so
 * each gets its one-click button. A view for clicking, not the stored state: reads answer the state as it is.
 */
export function everyChoice(definition: ChoiceDefinition, state: StateView): StateView {
    const entry = state[CHOICE_KEY];
    const summary = summarizeChoice(definition, state).choices.map(({ choice, count, users }) => ({ value: choice, count, users }));
    return { ...state, [CHOICE_KEY]: { type: definition.type, byUser: entry?.byUser ?? {}, summary } };
}

function invalid(message: string): MetadataError {
    return new MetadataError('invalid_request', message);
}

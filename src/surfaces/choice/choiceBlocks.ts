import { ChoiceSummary } from '../../core/choice';
import { Translate } from '../../i18n/catalog';
import { Block, button, context, section } from '../ui/blocks';
import { who } from '../ui/valueText';
import { CHOICE_ACTION } from '../ui/ids';
import { neutraliseMentions } from '../status/neutraliseMentions';

/** Users named per choice; the rest are counted. */
export const MAX_NAMED_PER_CHOICE = 10;

/** What the type makes of a click, told under the question so people know before they click. */
const HOW: Record<ChoiceSummary['type'], Parameters<Translate>[0]> = {
    set: 'Choice_How_Set',
    fww: 'Choice_How_Fww',
    lww: 'Choice_How_Lww',
    lwwn: 'Choice_How_Lwwn',
};

/**
 * A message with choices as people see it (SPEC §19): the question, then per choice a line with its count and who
 * picked it, and its button. The button's value is the choice itself; the message it sits on names the subject.
 */
export function choiceBlocks(appId: string, summary: ChoiceSummary, names: ReadonlyMap<string, string>, tr: Translate): Block[] {
    const total = new Set(summary.choices.flatMap((choice) => choice.users)).size;
    return [
        section(`*${summary.question}*`),
        context(tr(HOW[summary.type]), tr(total === 0 ? 'Choice_Total_None' : total === 1 ? 'Choice_Total_One' : 'Choice_Total_Many', { count: total })),
        ...summary.choices.map((choice) => ({
            ...section(choiceLine(choice, names, tr), button(CHOICE_ACTION, choice.choice, choice.choice)),
            appId,
            blockId: `choice:${summary.choices.indexOf(choice)}`,
        })),
    ];
}

function choiceLine(choice: ChoiceSummary['choices'][number], names: ReadonlyMap<string, string>, tr: Translate): string {
    if (choice.count === 0) return tr('Choice_Line_Empty', { choice: choice.choice });
    const named = choice.users.slice(0, MAX_NAMED_PER_CHOICE).map((id) => who(id, names));
    if (choice.users.length > MAX_NAMED_PER_CHOICE) named.push(tr('Meta_More', { count: choice.users.length - MAX_NAMED_PER_CHOICE }));
    return tr('Choice_Line', { choice: choice.choice, count: choice.count, who: named.join(', ') });
}

/**
 * The message's text, for clients and notifications that show no blocks. The server finds mentions in a message's
 * text, and the bot's message must notify no one a member typed into a question or choice (`@all`, `@here`, a
 * username): neutraliseMentions, as for status messages.
 */
export function choiceText(summary: ChoiceSummary, tr: Translate): string {
    const counts = summary.choices.map((choice) => `${choice.choice}: ${choice.count}`).join(' · ');
    return neutraliseMentions(tr('Choice_Text', { question: summary.question, counts }));
}

/** Everyone named anywhere in the summary's lines. */
export function namedUsers(summary: ChoiceSummary): string[] {
    return [...new Set(summary.choices.flatMap((choice) => choice.users.slice(0, MAX_NAMED_PER_CHOICE)))];
}

import { CHOICE_KEY, ChoiceDefinition, ChoiceSummary, choiceDefinitionOf, summarizeChoice } from '../core/choice';
import { foldState } from '../core/state/fold';
import { StateView, SubjectRef } from '../core/types';
import { canonicalJson } from '../core/values';
import { JsonValue } from '../core/json';
import { ChoiceMessages, Log, StorePort } from './ports';
import { errorText } from './runEffects';
import { AfterWriteEffect } from './types';

/*
 * THE SUMMARY ON A MESSAGE WITH CHOICES, LAST RENDER WINS (SPEC §19).
 *
 * A message's blocks are replaced whole, and two instances that took two clicks at the same time each render what
 * they read: whichever replacement the server applies last stays, and it may be the older read. So every writer,
 * after its op is decided, runs
 *
 *     shown := the summary read right after its op (the write's own answer)
 *     loop: replace the blocks with shown; read the state again; stop if it gives `shown`; else shown := it
 *
 * Claim: once every writer's loop has stopped, the message shows the summary of the full state S*.
 * Proof. Let U be the last replacement the server applied, made by writer P showing s_U. After U, P read the state
 * (it reads after every replacement) and got s', and stopped, so s' = s_U. Suppose some op o is missing from s'. Then
 * o was decided after P's read, so o's writer read the state after that, and then replaced the blocks: after U,
 * which contradicts U being last. So s' holds every op, s' = S*, and the message shows s_U = S*. (Reads are of the
 * store's decided state, which holds every op decided before the read began: src/store/MetadataStore.ts.)
 * Each round that does not stop saw a newer state, so a loop ends once the clicks stop; while they go on, the
 * latest clicker's loop carries the summary forward. MAX_ROUNDS only bounds one writer's work under a storm of
 * clicks: a writer that gives up leaves the message to the writers of the ops it kept seeing, whose loops run after.
 *
 * test/simulation/choiceSummary.simulation.test.ts interleaves writers, reads and replacements at random and checks
 * the claim, and that a loop without the read-back (render once) fails it.
 */

export const MAX_ROUNDS = 8;

/** One round of reading what to show: the summary as a comparable text, and the summary itself. */
export interface Rendered {
    text: string;
    summary: ChoiceSummary;
}

export function rendered(definition: ChoiceDefinition, state: StateView): Rendered {
    const summary = summarizeChoice(definition, state);
    return { summary, text: canonicalJson(summary as unknown as JsonValue) };
}

/** How a writer's loop ended: what it showed was read back, the message is gone, or it gave up after MAX_ROUNDS. */
export type ShowEnd = 'settled' | 'gone' | 'unsettled';

/** The loop above: `first` is what the writer read right after its op. */
export async function showLatest(first: Rendered, read: () => Promise<Rendered>, show: (summary: ChoiceSummary) => Promise<boolean>): Promise<ShowEnd> {
    let shown = first;
    for (let round = 1; round <= MAX_ROUNDS; round++) {
        if (!(await show(shown.summary))) return 'gone';
        const now = await read();
        if (now.text === shown.text) return 'settled';
        shown = now;
    }
    return 'unsettled';
}

/** The effect that keeps a message's summary: after every change of its picks, on whichever instance made it. */
export function createChoiceSummaryEffect(deps: { store: Pick<StorePort, 'load'>; messages: ChoiceMessages; log: Log }): AfterWriteEffect {
    return async (notice) => {
        if (notice.subject.namespace !== 'message' || !notice.stateChanged.includes(CHOICE_KEY)) return;
        const definition = choiceDefinitionOf(notice.subject.namespace, notice.set);
        if (!definition) return;
        const subject: SubjectRef = { namespace: 'message', id: notice.subject.id };
        const read = async () => rendered(definition, foldState((await deps.store.load(subject)).stateOps));
        const end = await showLatest(rendered(definition, notice.state), read, (summary) => deps.messages.show(subject.id, summary))
            .catch((error: unknown) => {
                deps.log.error(`metadata: could not show the summary of message ${subject.id}`, errorText(error));
                return 'failed';
            });
        if (end === 'unsettled') deps.log.error(`metadata: the summary of message ${subject.id} kept changing; the latest clickers carry it on`);
    };
}

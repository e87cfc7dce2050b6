import { rulesFor } from '../core/state/registry';
import { StateView, Subscription, SubjectRef } from '../core/types';
import { PanelView } from './types';

/**
 * What the caller may click on each state key (SPEC §17: a vote is one click): the type's own rules decide
 * (core/state, beside `plan`), for the caller's entry as the fold shows it. Nothing when they may not change state.
 * `closedKeys` take only the values their summary lists.
 */
export function stateOffers(state: StateView, callerId: string, mayChangeState: boolean, closedKeys: readonly string[] = []): PanelView['stateOffers'] {
    const offers: PanelView['stateOffers'] = {};
    if (!mayChangeState) return offers;
    for (const [key, entry] of Object.entries(state)) {
        const rules = rulesFor(entry.type);
        if (!rules) continue;
        const own = Object.prototype.hasOwnProperty.call(entry.byUser, callerId) ? entry.byUser[callerId] : undefined;
        // a closed key (a message's choices) takes only the values it lists: no new value to type
        const newValue = closedKeys.includes(key) ? undefined : rules.offer(own, undefined);
        offers[key] = { values: entry.summary.map((value) => rules.offer(own, value.value)), ...(newValue ? { newValue } : {}) };
    }
    return offers;
}

export function isSubscribed(subscriptions: readonly Subscription[], subject: SubjectRef): boolean {
    return subscriptions.some((s) => s.subject.namespace === subject.namespace && s.subject.id === subject.id);
}

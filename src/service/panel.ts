import { rulesFor } from '../core/state/registry';
import { StateView, Subscription, SubjectRef } from '../core/types';
import { PanelView } from './types';

/**
 * What the caller may click on each state key (SPEC §17: a vote is one click): the type's own rules decide
 * (core/state, beside `plan`), for the caller's entry as the fold shows it. Nothing when they may not change state.
 */
export function stateOffers(state: StateView, callerId: string, mayChangeState: boolean): PanelView['stateOffers'] {
    const offers: PanelView['stateOffers'] = {};
    if (!mayChangeState) return offers;
    for (const [key, entry] of Object.entries(state)) {
        const rules = rulesFor(entry.type);
        if (!rules) continue;
        const own = Object.prototype.hasOwnProperty.call(entry.byUser, callerId) ? entry.byUser[callerId] : undefined;
        const newValue = rules.offer(own, undefined);
        offers[key] = { values: entry.summary.map((value) => rules.offer(own, value.value)), ...(newValue ? { newValue } : {}) };
    }
    return offers;
}

export function isSubscribed(subscriptions: readonly Subscription[], subject: SubjectRef): boolean {
    return subscriptions.some((s) => s.subject.namespace === subject.namespace && s.subject.id === subject.id);
}

import { JsonValue } from '../json';
import { StateSummaryEntry, StateType } from '../types';
import { canonicalJson } from '../values';

/** Per distinct value (per element for sets): who holds it; most held first, then by value. */
export function summarizeState(type: StateType, byUser: Record<string, JsonValue>): StateSummaryEntry[] {
    const entries = new Map<string, StateSummaryEntry>();
    for (const userId of Object.keys(byUser).sort()) {
        const held = byUser[userId];
        const values = type === 'set' && Array.isArray(held) ? held : [held];
        for (const value of values) {
            const canonical = canonicalJson(value);
            const entry = entries.get(canonical);
            if (entry) {
                if (!entry.users.includes(userId)) {
                    entry.users.push(userId);
                    entry.count++;
                }
            } else entries.set(canonical, { value, count: 1, users: [userId] });
        }
    }
    return [...entries.entries()]
        .sort(([leftKey, left], [rightKey, right]) => right.count - left.count || (leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0))
        .map(([, entry]) => entry);
}

// The part of Meteor's EJSON that DDP traffic here needs: Dates travel as `{"$date": <ms>}` both ways (a
// Rocket.Chat server serializes every DDP frame with EJSON, so a message's `ts` reaches a client as `{$date}`).

/** JSON text with every Date as `{$date: ms}`. */
export function stringify(value: unknown): string {
    return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, current: unknown) {
        const raw = this[key];
        return raw instanceof Date ? { $date: raw.getTime() } : current;
    });
}

function isDateObject(value: unknown): value is { $date: number } {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
        return false;
    }
    const keys = Object.keys(value);
    return keys.length === 1 && keys[0] === '$date' && typeof (value as { $date: unknown }).$date === 'number';
}

/** Parses JSON text, turning `{$date: ms}` back into Dates. Throws on invalid JSON. */
export function parse(text: string): unknown {
    return JSON.parse(text, (_key, value: unknown) => (isDateObject(value) ? new Date(value.$date) : value));
}

import { JsonValue } from '../../core/json';
import { readValue } from './parseValue';

/**
 * A value as one would type it after `KEY=`: text plain, anything else (and text that would read
 * back as something else, like "5") as JSON. One line, at most `max` characters.
 */
export function displayValue(value: JsonValue, max: number): string {
    const text = typeof value === 'string' && readsAsText(value) ? value : JSON.stringify(value);
    return truncate(oneLine(text), max);
}

/** Typed after `KEY=`, would this text be stored as this very text? */
export function readsAsText(text: string): boolean {
    const reading = readValue(text);
    return reading.ok && reading.value === text;
}

/** Cut to `max` characters (not UTF-16 units, so no emoji is split), marking the cut with `…`. */
export function truncate(text: string, max: number): string {
    const chars = Array.from(text);
    return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

function oneLine(text: string): string {
    return text.replace(/\r\n|\r|\n/g, '⏎').replace(/\t/g, ' ');
}

/** Backticks would end the code span or block a value is shown in. */
export function codeSafe(text: string): string {
    return text.replace(/`/g, 'ˋ');
}

// When a scheduler job runs, read the way Rocket.Chat's scheduler (Agenda, apps/meteor/app/apps/server/bridges/
// scheduler.ts) reads it:
//   scheduleOnce's `when`: `new Date(when)` when that is a valid date (a Date, an ISO string, epoch ms), otherwise
//     Agenda asks date.js ("in 5 seconds", "tomorrow at noon"); the host understands the relative forms only.
//   scheduleRecurring's `interval`: a cron expression (cron-parser) first, else human-interval ("10 seconds",
//     "1.5 minutes", "3 days and 4 hours", "one minute"), or a number of ms. The next run is the last run's start
//     plus the interval (human) or the next cron time after it.
// Whatever the server would read differently from the host is refused here with a message saying so, instead of
// being scheduled at some other time than the app meant.

/** human-interval's units: months are 30 days, years 365. It has no milliseconds (see humanInterval). */
const UNITS: Record<string, number> = {
    second: 1000,
    minute: 60_000,
    hour: 3_600_000,
    day: 86_400_000,
    week: 604_800_000,
    month: 2_592_000_000,
    year: 31_536_000_000,
};

/** human-interval's words for numbers. */
const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/**
 * A human-interval string in ms: groups of `[N] unit` joined by "and" or ","; a group without a number counts 1
 * ("minute"), N may be a decimal or a word up to ten. A plain number (or numeric string) is ms.
 */
export function humanInterval(value: string | number): number {
    if (typeof value === 'number') {
        if (!Number.isFinite(value) || value <= 0) {
            throw new Error(`An interval must be a positive number of milliseconds, not ${value}`);
        }
        return value;
    }
    const text = value.trim().toLowerCase();
    if (/^\d+(\.\d+)?$/.test(text)) {
        return humanInterval(Number(text));
    }
    if (/milli|\bms\b/.test(text)) {
        // human-interval finds "second" inside "milliseconds": on a server "100 milliseconds" is 100 SECONDS.
        throw new Error(`"${value}": Rocket.Chat's scheduler reads "milliseconds" as seconds; give a number of ms instead`);
    }
    const groups = text.split(/\s*(?:,|\band\b)\s*/).filter((g) => g !== '');
    if (groups.length === 0) {
        throw new Error(`"${value}" is not an interval`);
    }
    let total = 0;
    for (const group of groups) {
        const m = /^(?:(\d+(?:\.\d+)?|[a-z]+)\s*)?(second|minute|hour|day|week|month|year)s?$/.exec(group);
        const count = m?.[1] === undefined ? 1 : /^\d/.test(m[1]) ? Number(m[1]) : WORDS[m[1]];
        if (!m || count === undefined) {
            throw new Error(`"${value}" is not an interval the host understands: "[N] seconds|minutes|hours|days|weeks|months|years", joined by "and" or "," (e.g. "1 hour and 30 minutes"), or a cron expression`);
        }
        total += count * UNITS[m[2]];
    }
    if (total <= 0) {
        throw new Error(`"${value}" is not a positive interval`);
    }
    return total;
}

/**
 * scheduleOnce's `when` as epoch ms. A valid `new Date(when)` wins (as in Agenda, so "2030-01-01" is local
 * midnight and a bare "5" is a date in 2001); otherwise "now", or a human interval from now: "in 5 seconds",
 * "5 seconds", "5 seconds from now", "2 minutes later".
 */
export function parseWhen(when: unknown, now = Date.now()): number {
    if (when instanceof Date || typeof when === 'number' || typeof when === 'string') {
        const date = new Date(when);
        if (!Number.isNaN(date.getTime())) {
            return date.getTime();
        }
    }
    if (typeof when !== 'string') {
        throw new Error(`A job's "when" must be a Date or a string, not ${JSON.stringify(when)}`);
    }
    const text = when.trim().toLowerCase();
    if (text === 'now') {
        return now;
    }
    const m = /^(?:in\s+)?(.+?)(?:\s+from\s+now|\s+later)?$/.exec(text);
    try {
        return now + humanInterval(m ? m[1] : text);
    } catch {
        throw new Error(
            `"${when}" is not a time the host understands (a Date, a date string, "now", or "in <N> seconds|minutes|hours|days|…"); the server's date.js reads more, such as "tomorrow at noon"`,
        );
    }
}

// --- cron ----------------------------------------------------------------------------------------------------

interface Cron {
    seconds: Set<number>;
    minutes: Set<number>;
    hours: Set<number>;
    days: Set<number>;
    months: Set<number>;
    weekdays: Set<number>;
    /** both day fields restricted: a time matches either (Vixie cron, cron-parser) */
    dayOr: boolean;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function cronField(field: string, min: number, max: number, names: string[] = [], offset = 0): { values: Set<number>; any: boolean } {
    const values = new Set<number>();
    const num = (s: string): number => {
        const i = names.indexOf(s.toLowerCase());
        const n = i >= 0 ? i + offset : /^\d+$/.test(s) ? Number(s) : NaN;
        if (!(n >= min && n <= max)) {
            throw new Error(`cron: "${s}" is not within ${min}-${max}`);
        }
        return n;
    };
    for (const part of field.split(',')) {
        const m = /^(\*|\?|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(part);
        if (!m) {
            throw new Error(`cron: cannot read "${part}" (the host understands *, N, N-M, lists and /steps)`);
        }
        const step = m[2] === undefined ? 1 : Number(m[2]);
        if (step < 1) {
            throw new Error(`cron: step 0 in "${part}"`);
        }
        const [lo, hi] = m[1] === '*' || m[1] === '?' ? [min, max] : m[1].includes('-') ? m[1].split('-').map(num) : [num(m[1]), m[2] === undefined ? num(m[1]) : max];
        for (let v = lo; v <= hi; v += step) {
            values.add(v);
        }
    }
    return { values, any: field === '*' || field === '?' };
}

/** A 5-field (minute first) or 6-field (second first) cron expression, or undefined when `text` is not one. */
export function parseCron(text: string): Cron | undefined {
    const fields = text.trim().split(/\s+/);
    if ((fields.length !== 5 && fields.length !== 6) || !fields.every((f) => /^[\d*?,/\-a-z]+$/i.test(f))) {
        return undefined;
    }
    if (fields.length === 5) {
        fields.unshift('0');
    }
    const [s, mi, h, d, mo, w] = fields;
    const days = cronField(d, 1, 31);
    const weekdays = cronField(w, 0, 7, DAY_NAMES);
    if (weekdays.values.delete(7)) {
        weekdays.values.add(0); // 7 is Sunday too
    }
    return {
        seconds: cronField(s, 0, 59).values,
        minutes: cronField(mi, 0, 59).values,
        hours: cronField(h, 0, 23).values,
        days: days.values,
        months: cronField(mo, 1, 12, MONTH_NAMES, 1).values,
        weekdays: weekdays.values,
        dayOr: !days.any && !weekdays.any,
    };
}

/** The first time strictly after `after` (epoch ms) that the cron expression matches, in the host's local time. */
export function nextCronTime(cron: Cron, after: number): number {
    const t = new Date(Math.floor(after / 1000) * 1000 + 1000);
    const limit = after + 5 * UNITS.year;
    const dayMatches = () => {
        const dom = cron.days.has(t.getDate());
        const dow = cron.weekdays.has(t.getDay());
        return cron.dayOr ? dom || dow : dom && dow;
    };
    while (t.getTime() <= limit) {
        if (!cron.months.has(t.getMonth() + 1)) {
            t.setMonth(t.getMonth() + 1, 1);
            t.setHours(0, 0, 0);
        } else if (!dayMatches()) {
            t.setDate(t.getDate() + 1);
            t.setHours(0, 0, 0);
        } else if (!cron.hours.has(t.getHours())) {
            t.setHours(t.getHours() + 1, 0, 0);
        } else if (!cron.minutes.has(t.getMinutes())) {
            t.setMinutes(t.getMinutes() + 1, 0);
        } else if (!cron.seconds.has(t.getSeconds())) {
            t.setSeconds(t.getSeconds() + 1);
        } else {
            return t.getTime();
        }
    }
    throw new Error('cron: the expression matches no time in the next five years');
}

/**
 * When a recurring job with this interval runs next, given the start of its last run (or of its scheduling):
 * cron first, as Agenda tries cron-parser before human-interval.
 */
export function nextRecurringRun(interval: string | number, lastRun: number): number {
    const cron = typeof interval === 'string' ? parseCron(interval) : undefined;
    return cron ? nextCronTime(cron, lastRun) : lastRun + humanInterval(interval);
}

/** Throws (with the reason) when the host cannot compute runs for this interval. */
export function validateInterval(interval: unknown): asserts interval is string | number {
    if (typeof interval !== 'string' && typeof interval !== 'number') {
        throw new Error(`A recurring job's interval must be a string or a number, not ${JSON.stringify(interval)}`);
    }
    nextRecurringRun(interval, Date.now());
}

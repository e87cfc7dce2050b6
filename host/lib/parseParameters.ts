// How the server splits a slash command's parameter string before the app sees it (Rocket.Chat's
// apps/meteor/lib/utils/parseParameters.ts): split on whitespace, except inside "…" or '…' runs, which stay one
// argument and lose their outer quotes; two quoted runs written back to back become two arguments; `\"` → `"`.

const SSA = '\u0086'; // start of a quoted run
const ESA = '\u0087'; // end of a quoted run
const SPACE = '\u2008';
const NEWLINE = '\u008B';
const CR = '\u008C';
const TAB = '\u008A';

function split(parameters: string): string[] {
    return parameters
        .replace(/\n\r/gm, '\n')
        .split(/[ \n\r\t]/)
        .filter(Boolean);
}

export function parseParameters(parameters: string): string[] {
    if (!parameters.trim()) {
        return [];
    }
    const match = parameters.match(/((["'])(?:(?=(\\?))\3.)*?\2)/gs);
    if (!match) {
        return split(parameters);
    }
    let line = parameters;
    for (const item of match) {
        const hidden = item
            .replace(/(^['"])/g, SSA)
            .replace(/['"]$/g, ESA)
            .replace(/ /g, SPACE)
            .replace(/\n/gm, NEWLINE)
            .replace(/\r/gm, CR)
            .replace(/\t/g, TAB);
        line = line.replace(item, hidden);
    }
    line = line.replace(new RegExp(`${ESA}${SSA}`, 'g'), `${ESA} ${SSA}`);
    return split(line).map((item) =>
        item
            .replace(new RegExp(SPACE, 'g'), ' ')
            .replace(new RegExp(NEWLINE, 'g'), '\n')
            .replace(new RegExp(CR, 'g'), '\r')
            .replace(new RegExp(TAB, 'g'), '\t')
            .replace(new RegExp(`[${SSA}${ESA}]`, 'g'), '')
            .replace(/\\"/g, '"'),
    );
}

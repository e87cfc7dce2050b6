// A small, safe subset of Rocket.Chat's message markup for the web client: ```code blocks```, `code`, *bold* and
// **bold**, _italic_, ~strike~, links (bare http(s) URLs and [text](url)), line breaks. Builds DOM nodes (never
// innerHTML), so nothing in a message or a block can inject markup.

const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(\*[^*\n]+\*)|(\b_[^_\n]+_\b)|(~[^~\n]+~)|(\[[^\]\n]+\]\(https?:\/\/[^)\s]+\))|(https?:\/\/[^\s<>()]+)/g;

function inline(text: string, into: Node): void {
    let last = 0;
    for (const m of text.matchAll(INLINE)) {
        const at = m.index ?? 0;
        if (at > last) into.appendChild(document.createTextNode(text.slice(last, at)));
        const token = m[0];
        let el: HTMLElement;
        if (m[1]) {
            el = document.createElement('code');
            el.textContent = token.slice(1, -1);
        } else if (m[2]) {
            el = document.createElement('strong');
            inline(token.slice(2, -2), el);
        } else if (m[3]) {
            el = document.createElement('strong');
            inline(token.slice(1, -1), el);
        } else if (m[4]) {
            el = document.createElement('em');
            inline(token.slice(1, -1), el);
        } else if (m[5]) {
            el = document.createElement('del');
            inline(token.slice(1, -1), el);
        } else if (m[6]) {
            const close = token.indexOf('](');
            const a = document.createElement('a');
            a.href = token.slice(close + 2, -1);
            a.textContent = token.slice(1, close);
            a.target = '_blank';
            a.rel = 'noopener noreferrer';
            el = a;
        } else {
            const a = document.createElement('a');
            a.href = token;
            a.textContent = token;
            a.target = '_blank';
            a.rel = 'noopener noreferrer';
            el = a;
        }
        into.appendChild(el);
        last = at + token.length;
    }
    if (last < text.length) into.appendChild(document.createTextNode(text.slice(last)));
}

/** The markup of `text` as a fragment of DOM nodes. */
export function markup(text: string): DocumentFragment {
    const out = document.createDocumentFragment();
    const parts = text.split(/```/);
    parts.forEach((part, i) => {
        if (i % 2 === 1) {
            const pre = document.createElement('pre');
            pre.textContent = part.replace(/^\n/, '');
            out.appendChild(pre);
            return;
        }
        const lines = part.split('\n');
        lines.forEach((line, j) => {
            if (j > 0) out.appendChild(document.createElement('br'));
            inline(line, out);
        });
    });
    return out;
}

/** The same text without markup characters (for titles and labels). */
export function plain(text: string): string {
    return text.replace(/```/g, '').replace(/(\*\*|[*_~`])/g, '');
}

/** U+2060 WORD JOINER: invisible, and not a name character, so `@\u2060all` names nobody. */
export const MENTION_BREAK = '\u2060';

/**
 * Makes `@all`, `@here` and `@user` inert in text the app posts. The server counts `@name` at the
 * start of a message or after a space or `>`; every `@` not glued to a letter or digit is broken
 * here (wider than needed, so markdown like `*@all*` is safe too), while `bob@example.com` stays
 * intact. Idempotent.
 */
export function neutraliseMentions(text: string): string {
    return text.replace(/(?<![\p{L}\p{N}])@(?!\u2060)/gu, `@${MENTION_BREAK}`);
}

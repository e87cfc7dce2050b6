import en from '../../i18n/en.json';
import de from '../../i18n/de.json';

/** Every text key; typed from the English catalog so a missing key fails the type check. */
export type I18nKey = keyof typeof en;
export type I18nParams = Record<string, string | number>;
export type Translate = (key: I18nKey, params?: I18nParams) => string;

export const DEFAULT_LANGUAGE = 'en';

const CATALOGS: Record<string, Record<string, string>> = { en, de };

/**
 * The text for `key` in `language` (`de`, `de-DE`, …), falling back to English, with `{name}`
 * placeholders filled from `params`. Placeholders without a param stay as written, so texts may
 * show literal braces such as `'{"a":1}'`.
 */
export function t(key: I18nKey, params: I18nParams = {}, language?: string): string {
    const text = ownText(catalogFor(language), key) ?? ownText(CATALOGS[DEFAULT_LANGUAGE], key) ?? key;
    return text.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
        Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : placeholder,
    );
}

/** `t` bound to one language, for code that formats several texts for the same reader. */
export function translator(language?: string): Translate {
    return (key, params) => t(key, params, language);
}

function catalogFor(language: string | undefined): Record<string, string> {
    const wanted = (language ?? DEFAULT_LANGUAGE).toLowerCase().replace('_', '-');
    for (const name of [wanted, wanted.split('-')[0]]) {
        if (Object.prototype.hasOwnProperty.call(CATALOGS, name)) return CATALOGS[name];
    }
    return CATALOGS[DEFAULT_LANGUAGE];
}

function ownText(catalog: Record<string, string>, key: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(catalog, key) ? catalog[key] : undefined;
}

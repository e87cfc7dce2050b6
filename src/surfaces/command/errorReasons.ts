import { ErrorCode, MetadataError } from '../../core/errors';
import { I18nKey, I18nParams } from '../../i18n/catalog';
import { codeSafe } from './displayValue';

/**
 * A JSON-quoted key or text as the core writes it into messages (`"a..b"`). Patterns with named groups
 * are built with `new RegExp`: the apps-compiler targets ES2017, which has no named groups in literals.
 */
const Q = '"(?:[^"\\\\]|\\\\.)*"';

interface Reason {
    code: ErrorCode;
    pattern: RegExp;
    key: I18nKey;
}

/**
 * The service's errors that `/meta` users meet, read from their messages (which are English and
 * meant for the HTTP API) into texts of the catalog, so a reply is one language throughout and says
 * what to do. Named groups become parameters: JSON-quoted strings in them are shown as code. An
 * error no reason matches is shown with the code's own text (test/command/errorReasons.test.ts
 * keeps each pattern matched against the message the core really writes).
 */
const REASONS: readonly Reason[] = [
    { code: 'invalid_key', pattern: new RegExp(`^key (?<key>${Q}) has an empty segment`), key: 'Meta_Reason_Key_Empty_Segment' },
    { code: 'invalid_key', pattern: new RegExp(`^key (?<key>${Q}) has a segment named (?<segment>${Q}), which is reserved`), key: 'Meta_Reason_Key_Reserved' },
    { code: 'invalid_key', pattern: new RegExp(`^key (?<key>${Q}) has a segment (?<segment>${Q}) with characters other than`), key: 'Meta_Reason_Key_Characters' },
    { code: 'invalid_key', pattern: new RegExp(`^key (?<key>${Q}) is (?<length>\\d+) characters long; a key may have at most (?<max>\\d+)$`), key: 'Meta_Reason_Key_Too_Long' },
    { code: 'invalid_key', pattern: new RegExp(`^key (?<key>${Q}) has (?<segments>\\d+) segments, over the limit of (?<limit>\\d+) `), key: 'Meta_Reason_Key_Segments' },
    { code: 'invalid_request', pattern: new RegExp(`^keys (?<a>${Q}) and (?<b>${Q}) overlap in one request`), key: 'Meta_Reason_Keys_Overlap' },
    { code: 'invalid_value', pattern: /member named "__proto__"/, key: 'Meta_Reason_Proto' },
    { code: 'invalid_request', pattern: /member named "__proto__"/, key: 'Meta_Reason_Proto' },
    { code: 'invalid_key', pattern: /^(?:patch member|document property) "__proto__" /, key: 'Meta_Reason_Proto' },
    { code: 'invalid_key', pattern: new RegExp(`^patch member (?<segment>${Q}) .* is not a valid key segment`), key: 'Meta_Reason_Patch_Member' },
    { code: 'invalid_value', pattern: new RegExp(`^the value of (?<key>${Q}) holds null`), key: 'Meta_Reason_Null_Inside' },
    { code: 'forbidden', pattern: new RegExp(String.raw`^Only members of the private room (?<room>.+) may read its metadata\.$`), key: 'Meta_Reason_Forbidden_Read_Private' },
    { code: 'forbidden', pattern: new RegExp(String.raw`^Only (?<user>.+) and admins may change the metadata of .+\.$`), key: 'Meta_Reason_Forbidden_User_Write' },
    { code: 'forbidden', pattern: new RegExp(String.raw`^Owners, moderators and admins may change the metadata of room (?<room>.+); you may not\.$`), key: 'Meta_Reason_Forbidden_Room_Write' },
    { code: 'forbidden', pattern: new RegExp(String.raw`^Members and admins may change the metadata of room (?<room>.+); you may not\.$`), key: 'Meta_Reason_Forbidden_Room_Write_Members' },
    { code: 'forbidden', pattern: new RegExp(String.raw`^Only members of room (?<room>.+) may change its collaborative state\.$`), key: 'Meta_Reason_Forbidden_State' },
    { code: 'subject_not_found', pattern: new RegExp(String.raw`^No user has the id or username (?<ref>.+)\.$`), key: 'Meta_Reason_No_User' },
    { code: 'subject_not_found', pattern: new RegExp(String.raw`^No room has the id or name (?<ref>.+)\.$`), key: 'Meta_Reason_No_Room' },
    { code: 'item_not_found', pattern: new RegExp(String.raw`^no item (?<keys>.+); update changes only existing items`), key: 'Meta_Reason_Update_Missing' },
    { code: 'item_not_found', pattern: new RegExp(String.raw`^no item (?<keys>.+) to remove, nothing was removed$`), key: 'Meta_Reason_Remove_Missing' },
    { code: 'item_not_found', pattern: new RegExp(`^your set (?<key>${Q}) does not hold (?<value>.+); nothing to remove$`), key: 'Meta_Reason_Set_Not_Held' },
    { code: 'item_not_found', pattern: new RegExp(`^you have no value for (?<key>${Q}); nothing to remove$`), key: 'Meta_Reason_No_Entry' },
    { code: 'operation_not_allowed', pattern: new RegExp(`^(?<key>${Q}) is first-writer-wins: a value once set cannot be removed$`), key: 'Meta_Reason_Fww_Remove' },
    { code: 'operation_not_allowed', pattern: new RegExp(`^first writer wins: your value for (?<key>${Q}) is already set`), key: 'Meta_Reason_Fww_Set' },
    { code: 'operation_not_allowed', pattern: new RegExp(`^(?<key>${Q}) is last-writer-wins without unset`), key: 'Meta_Reason_Lww_Remove' },
    { code: 'type_mismatch', pattern: new RegExp(`^state (?<key>${Q}) is of type "(?<type>\\w+)", not "(?<requested>\\w+)"`), key: 'Meta_Reason_Type_Mismatch' },
    { code: 'too_large', pattern: new RegExp(`^the value of (?<key>${Q}) is (?<size>\\d+) bytes serialized, over the limit of (?<limit>\\d+) bytes`), key: 'Meta_Reason_Value_Bytes' },
    { code: 'too_large', pattern: new RegExp(String.raw`^the set would be (?<size>\d+) bytes, over the limit of (?<limit>\d+) bytes`), key: 'Meta_Reason_Set_Bytes' },
    { code: 'too_large', pattern: new RegExp(String.raw`^the set would hold (?<size>\d+) items, over the limit of (?<limit>\d+) items`), key: 'Meta_Reason_Set_Items' },
    { code: 'too_large', pattern: new RegExp(String.raw`^the request has (?<size>\d+) items, over the limit of (?<limit>\d+) items`), key: 'Meta_Reason_Request_Items' },
    { code: 'too_large', pattern: new RegExp(String.raw`^cause is (?<size>\d+) bytes serialized, over the limit of (?<limit>\d+) bytes$`), key: 'Meta_Reason_Cause_Bytes' },
    { code: 'too_large', pattern: /nests \d+ levels.*over the limit of \d+ levels/, key: 'Meta_Reason_Nesting' },
    { code: 'rate_limited', pattern: new RegExp(String.raw`^Too many writes: at most (?<limit>\d+) per second per user`), key: 'Meta_Reason_Rate_Limited' },
    { code: 'try_again', pattern: /is being changed by others at the same time/, key: 'Meta_Reason_Contention' },
    { code: 'try_again', pattern: /took too long to tell whether it was saved/, key: 'Meta_Reason_Fate_Unknown' },
];

/** The catalog text for a service error, when it is one of the known reasons. */
export function reasonOf(error: MetadataError): { key: I18nKey; params: I18nParams } | undefined {
    for (const reason of REASONS) {
        if (reason.code !== error.code) continue;
        const match = reason.pattern.exec(error.message);
        if (!match) continue;
        // Numbers the error carries (`limit`, `size`): a nesting error's size counts its key's segments too.
        const params: I18nParams = {};
        for (const [name, value] of Object.entries(error.details)) if (typeof value === 'number') params[name] = value;
        for (const [name, value] of Object.entries(match.groups ?? {})) {
            params[name] = name === 'value' ? `\`${codeSafe(value)}\`` : quotedAsCode(value);
        }
        return { key: reason.key, params };
    }
    return undefined;
}

/** `"a..b", "c"` → `` `a..b`, `c` ``; anything else as it is. */
function quotedAsCode(text: string): string {
    return text.replace(new RegExp(Q, 'g'), (quoted) => {
        let inner: string;
        try {
            inner = String(JSON.parse(quoted));
        } catch {
            inner = quoted;
        }
        return `\`${codeSafe(inner)}\``;
    });
}

import { isEqual } from 'lodash';
import { openData } from '../../access/visibility';
import { isReservedName } from '../../core/keys';
import { Item } from '../../core/types';

export type CustomFields = Record<string, unknown>;

/** Names that would touch the prototype, or that Mongo refuses as a field name. */
export function isUsableFieldName(name: string): boolean {
    return name !== '' && !isReservedName(name) && !name.includes('.') && !name.startsWith('$');
}

/**
 * The customFields after mirroring: the document of what the app shows in the open (the public items,
 * by access/visibility.ts) under `fieldName`, every other field as it was, and no `fieldName` at all when
 * that is empty. Undefined when that is what is already there, so nothing needs writing.
 */
export function mirroredCustomFields(existing: CustomFields | undefined, fieldName: string, items: readonly Item[]): CustomFields | undefined {
    const { document } = openData(items);
    const fields: CustomFields = Object.fromEntries(
        Object.entries(existing ?? {}).filter(([name]) => name !== fieldName && name !== '__proto__'),
    );
    if (Object.keys(document).length > 0) fields[fieldName] = document;
    return isEqual(fields, existing ?? {}) ? undefined : fields;
}

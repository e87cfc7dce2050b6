import { isEqual } from 'lodash';
import { toDocument } from '../../core/document';
import { Item } from '../../core/types';

export type CustomFields = Record<string, unknown>;

/** Names that would touch the prototype, or that Mongo refuses as a field name. */
export function isUsableFieldName(name: string): boolean {
    return name !== '' && !['__proto__', 'prototype', 'constructor'].includes(name) && !name.includes('.') && !name.startsWith('$');
}

/**
 * The customFields after mirroring: the public items as one nested document under `fieldName`,
 * every other field as it was, and no `fieldName` at all when nothing is public. Undefined when
 * that is what is already there, so nothing needs writing.
 */
export function mirroredCustomFields(existing: CustomFields | undefined, fieldName: string, items: readonly Item[]): CustomFields | undefined {
    const document = toDocument(items.filter((item) => item.visibility === 'public'));
    const fields: CustomFields = Object.fromEntries(
        Object.entries(existing ?? {}).filter(([name]) => name !== fieldName && name !== '__proto__'),
    );
    if (Object.keys(document).length > 0) fields[fieldName] = document;
    return isEqual(fields, existing ?? {}) ? undefined : fields;
}

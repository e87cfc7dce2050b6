import { MetadataError } from '../../core/errors';
import { parseKeyList } from '../../core/requests';
import { isPlainRecord } from '../../core/values';

/**
 * A DELETE names its keys in the body (`{items:[…]}`) or in the query (`?keys=a,b`), which many
 * HTTP clients find easier as they send no body with DELETE. The query becomes `items` of the body.
 */
export function removeBody(content: unknown, keysQuery: string | undefined): unknown {
    const keys = parseKeyList(keysQuery);
    if (keys === undefined) return content;
    const body = content === undefined || content === null || content === '' ? {} : content;
    if (!isPlainRecord(body)) return body;
    if (body.items !== undefined) {
        throw new MetadataError('invalid_request', 'Name the keys to remove either in the query (?keys=) or in the body (items), not both.');
    }
    return { ...body, items: keys.map((key) => ({ key })) };
}

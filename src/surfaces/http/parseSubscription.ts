import { MetadataError } from '../../core/errors';
import { isPlainRecord } from '../../core/values';
import { isOneOf } from '../../core/fields';
import { NAMESPACES } from '../../core/types';
import { SubjectTarget } from '../../service/types';

const FIELDS = ['subject', 'roomId'];

/** `{subject: "user:alice", roomId?}` → the subject and delivery room; only these fields are read. */
export function parseSubscriptionRequest(body: unknown): { target: SubjectTarget; roomId?: string } {
    if (!isPlainRecord(body)) {
        throw new MetadataError('invalid_request', 'The body must be a JSON object {"subject": "user:alice", "roomId"?: "…"}.');
    }
    const unknown = Object.keys(body).filter((name) => !FIELDS.includes(name));
    if (unknown.length > 0) {
        throw new MetadataError('invalid_request', `Unknown field ${JSON.stringify(unknown[0])}; a subscription takes "subject" and "roomId".`);
    }
    const target = parseSubjectText(body.subject);
    if (body.roomId === undefined) return { target };
    if (typeof body.roomId !== 'string' || body.roomId.trim() === '') {
        throw new MetadataError('invalid_request', '"roomId" must be the id of a room you are in (a string), or left out.');
    }
    return { target, roomId: body.roomId.trim() };
}

/** `user:alice`, `room:general`, `message:<id>` (the id part may itself contain `:`). */
export function parseSubjectText(subject: unknown): SubjectTarget {
    const text = typeof subject === 'string' ? subject.trim() : '';
    const colon = text.indexOf(':');
    const namespace = colon < 0 ? '' : text.slice(0, colon);
    const ref = colon < 0 ? '' : text.slice(colon + 1);
    if (!isOneOf(namespace, NAMESPACES) || ref === '') {
        throw new MetadataError('invalid_request', '"subject" must be "user:<id or username>", "room:<id or name>" or "message:<id>", e.g. "user:alice".');
    }
    return { namespace, ref };
}

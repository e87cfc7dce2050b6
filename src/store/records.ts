import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { SubjectRef } from '../core/types';

/*
 * THE RECORD LAYOUT — the only place that knows association records.
 *
 * Every association is `RocketChatAssociationModel.MISC` with an app-specific id. Each kind of record
 * has one builder below, which always returns its array in the same order, because the server's
 * `updateByAssociations` matches the stored array exactly (order included).
 *
 *   record        associations (in this order)                                          data
 *   ------------  ----------------------------------------------------------------------  --------------------
 *   log entry     metadata-store, kind:<step>,       subject:<ns>:<id>,                   LogEntryData
 *                 (step: prepare | accept | commit)  revision:<n>, ballot:<nonce>
 *   state op      metadata-store, kind:state-op,     subject:<ns>:<id>, op:<opId>         StateOpData
 *   choice entry  metadata-store, kind:choice-<step>, subject:<ns>:<id>,                   ChoiceEntryData
 *                 (step: prepare | accept)           choice:<name>, ballot:<nonce>
 *   history       metadata-store, kind:history,      history-of:<ns>:<id>,                HistoryData
 *                                                    history-page:<n div 100>, revision:<n>
 *   subscription  metadata-store, kind:subscription, subscribed-to:<ns>:<id>,
 *                                                    subscriber:<userId>                  SubscriptionData
 *   webhook       metadata-store, kind:webhook,      webhook:<webhookId>                  WebhookData
 *   delivery      metadata-store, kind:delivery,     delivery-for:<webhookId>,            DeliveryData
 *                                                    delivery-queue:<webhookId>:<ns>:<id>,
 *                                                    delivery:<deliveryId>
 *   attempt       metadata-store, kind:attempt,      attempts-for:<webhookId>,            AttemptData
 *                                                    attempt:<nonce>
 *   index entry   metadata-store, kind:index,        subject:<ns>:<id>,                   IndexData
 *                                                    index-shard:<ns>:<0…63>
 *   legacy, read and removed, never written (app versions before the revision log):
 *   items         metadata-store, kind:items,        subject:<ns>:<id>                    ItemsData
 *   claim         metadata-store, kind:claim,        claims-for:<ns>:<id>,
 *                                                    claim-revision:<n>, claim:<nonce>    ClaimData
 *
 * Log entries are created and removed, never updated (see revisionLog.ts for why that is the point);
 * the nonce makes each entry's array unique, so one removeByAssociations deletes exactly that entry
 * on every server version.
 *
 * Reads use `$all`, so a shorter array also matches every record that holds more. The ids are chosen
 * so that this reaches exactly what each read wants:
 *   - `subject:<ns>:<id>` is carried only by the subject's data (log entries, legacy items, state ops),
 *     so ONE read of [tag, subject] loads them all and never sees claims or subscriptions;
 *   - claims and subscriptions name the subject through their own ids (`claims-for:`, `subscribed-to:`);
 *   - a subscriber is `subscriber:<userId>`, distinct from the user subject `subject:user:<userId>`;
 *   - the index entry carries `subject:<ns>:<id>` on purpose: the load that reads a subject sees whether it is
 *     indexed at no cost, and the purge that removes [tag, subject] removes it with the rest. One read of an
 *     `index-shard:` lists the subjects of one shard (a fixed hash of the subject), so a sweep over every
 *     subject reads the index a shard at a time, never everything at once (the persistence API has no cursor).
 * The text before an id's first ":" names its family (metadata-store has none), and every family name
 * is distinct, so no id of one family equals an id of another whatever a subject or user id contains.
 *
 * No user-supplied item key is ever a field name: items are an array of {key, …}, and values are kept
 * as JSON text (see codec.ts).
 */

const TAG = 'metadata-store';

export type LogStep = 'prepare' | 'accept' | 'commit';

export type RecordKind =
    | LogStep | 'choice-prepare' | 'choice-accept' | 'history' | 'items' | 'state-op' | 'claim' | 'subscription'
    | 'index' | 'webhook' | 'delivery' | 'attempt';

function misc(id: string): RocketChatAssociationRecord {
    return new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);
}

function subjectName(subject: SubjectRef): string {
    return `${subject.namespace}:${subject.id}`;
}

const tag = (): RocketChatAssociationRecord => misc(TAG);
const kind = (k: RecordKind): RocketChatAssociationRecord => misc(`kind:${k}`);

/** Items and state ops of one subject: what `load` reads. */
export function subjectData(subject: SubjectRef): RocketChatAssociationRecord[] {
    return [tag(), misc(`subject:${subjectName(subject)}`)];
}

/** One entry of a subject's revision log exactly. */
export function logEntryRecord(subject: SubjectRef, step: LogStep, revision: number, nonce: string): RocketChatAssociationRecord[] {
    return [tag(), kind(step), misc(`subject:${subjectName(subject)}`), misc(`revision:${revision}`), misc(`ballot:${nonce}`)];
}

/** One entry of a one-time choice of a subject's collaborative state exactly. */
export function choiceEntryRecord(subject: SubjectRef, step: 'prepare' | 'accept', choice: string, nonce: string): RocketChatAssociationRecord[] {
    return [tag(), kind(`choice-${step}`), misc(`subject:${subjectName(subject)}`), misc(`choice:${choice}`), misc(`ballot:${nonce}`)];
}

/** Revisions per history page: a history read reads the pages it needs, never the whole history. */
export const HISTORY_PAGE = 100;

/** The history entry of one revision (exact array to create; as a read or remove, every copy of it). */
export function historyRecord(subject: SubjectRef, revision: number): RocketChatAssociationRecord[] {
    return [...historyPage(subject, Math.floor(revision / HISTORY_PAGE)), misc(`revision:${revision}`)];
}

/** The history entries of revisions page·100 … page·100 + 99. */
export function historyPage(subject: SubjectRef, page: number): RocketChatAssociationRecord[] {
    return [tag(), kind('history'), misc(`history-of:${subjectName(subject)}`), misc(`history-page:${page}`)];
}

/** The items record of a subject written by app versions before the revision log. */
export function legacyItemsRecord(subject: SubjectRef): RocketChatAssociationRecord[] {
    return [tag(), kind('items'), misc(`subject:${subjectName(subject)}`)];
}

export function stateOpRecord(subject: SubjectRef, opId: string): RocketChatAssociationRecord[] {
    return [tag(), kind('state-op'), misc(`subject:${subjectName(subject)}`), misc(`op:${opId}`)];
}

/** Every revision claim an older app version left on a subject. */
export function claimsOf(subject: SubjectRef): RocketChatAssociationRecord[] {
    return [tag(), kind('claim'), misc(`claims-for:${subjectName(subject)}`)];
}


export function subscriptionsTo(subject: SubjectRef): RocketChatAssociationRecord[] {
    return [tag(), kind('subscription'), misc(`subscribed-to:${subjectName(subject)}`)];
}

export function subscriptionsBy(subscriberId: string): RocketChatAssociationRecord[] {
    return [tag(), kind('subscription'), misc(`subscriber:${subscriberId}`)];
}

/** One subscription exactly: one per (subscriber, subject). */
export function subscriptionRecord(subscriberId: string, subject: SubjectRef): RocketChatAssociationRecord[] {
    return [...subscriptionsTo(subject), misc(`subscriber:${subscriberId}`)];
}

/** Every webhook (as a read), or one exactly. */
export function webhookRecord(webhookId?: string): RocketChatAssociationRecord[] {
    return webhookId === undefined ? [tag(), kind('webhook')] : [tag(), kind('webhook'), misc(`webhook:${webhookId}`)];
}

/** Pending deliveries: all of them, a webhook's, or a webhook's for one subject (its queue). */
export function deliveriesOf(webhookId?: string, subject?: SubjectRef): RocketChatAssociationRecord[] {
    if (webhookId === undefined) return [tag(), kind('delivery')];
    const of = [tag(), kind('delivery'), misc(`delivery-for:${webhookId}`)];
    return subject === undefined ? of : [...of, misc(`delivery-queue:${webhookId}:${subjectName(subject)}`)];
}

/** One pending delivery exactly. */
export function deliveryRecord(webhookId: string, subject: SubjectRef, deliveryId: string): RocketChatAssociationRecord[] {
    return [...deliveriesOf(webhookId, subject), misc(`delivery:${deliveryId}`)];
}

/** A webhook's delivery log (as a read), or one attempt in it exactly. */
export function attemptRecord(webhookId: string, nonce?: string): RocketChatAssociationRecord[] {
    const of = [tag(), kind('attempt'), misc(`attempts-for:${webhookId}`)];
    return nonce === undefined ? of : [...of, misc(`attempt:${nonce}`)];
}

/** Every record of one kind among a subject's data (a purge removes them family by family). */
export function subjectDataOfKind(subject: SubjectRef, k: RecordKind): RocketChatAssociationRecord[] {
    return [tag(), kind(k), misc(`subject:${subjectName(subject)}`)];
}

/** Every history entry of a subject, all pages. */
export function historyOf(subject: SubjectRef): RocketChatAssociationRecord[] {
    return [tag(), kind('history'), misc(`history-of:${subjectName(subject)}`)];
}

/** Shards of the subject index per namespace: fixed for good (a subject's shard must never move). */
export const INDEX_SHARDS = 64;

/** The shard of a subject: FNV-1a of `<ns>:<id>`, so every instance and version puts it in the same one. */
export function indexShardOf(subject: SubjectRef): number {
    let hash = 0x811c9dc5;
    const text = subjectName(subject);
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % INDEX_SHARDS;
}

/** The index entry of one subject exactly (an upsert target: the same array every time). */
export function indexEntryRecord(subject: SubjectRef): RocketChatAssociationRecord[] {
    return [tag(), kind('index'), misc(`subject:${subjectName(subject)}`), misc(`index-shard:${subject.namespace}:${indexShardOf(subject)}`)];
}

/** The index entries of one shard of a namespace. */
export function indexShard(namespace: SubjectRef['namespace'], shard: number): RocketChatAssociationRecord[] {
    return [tag(), kind('index'), misc(`index-shard:${namespace}:${shard}`)];
}

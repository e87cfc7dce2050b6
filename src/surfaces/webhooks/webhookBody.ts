import { visibleChange } from '../../access/visibility';
import { SubjectRef } from '../../core/types';
import { Webhook } from '../../core/webhooks';
import type { OutboxEntry } from '../../store/MetadataStore';
import { ChangeNotice } from '../../service/types';
import { updateEventFor } from '../events/buildEvent';
import { MetadataEvent } from '../events/metadataEvent';

/** What a webhook receives (SPEC §15): the UPDATE a subscriber would get, with the delivery's id first. */
export type WebhookBody = { id: string } & Omit<MetadataEvent, 'type'> & { type: 'UPDATE' | 'REMOVED' };

/**
 * One pending delivery per webhook following the change's subject, each with the body as its webhook
 * may read it (public items only unless it includes private ones; a change it cannot see is not sent).
 */
export function outboxEntries(webhooks: Webhook[], notice: ChangeNotice, newId: () => string): OutboxEntry[] {
    return webhooks.flatMap((webhook) => {
        const seen = visibleChange(notice, webhook.includePrivate);
        if (!seen) return [];
        const event = updateEventFor(notice, seen);
        const id = newId();
        const body: WebhookBody = { id, ...event, type: 'UPDATE' };
        const stateOp = notice.stateChanged.length > 0 && notice.changed.length === 0 && notice.removed.length === 0;
        return [{
            id,
            webhookId: webhook.id,
            order: { majorRevision: notice.majorRevision, kind: stateOp ? 1 : 0, at: Date.parse(notice.at) || 0, tie: id },
            body: JSON.stringify(body),
        }];
    });
}

/** What a webhook receives when its subject is gone (its room or user was deleted): nothing of it is left. */
export interface RemovedBody {
    id: string;
    type: 'REMOVED';
    subject: SubjectRef;
    majorRevision: 0;
    changed: [];
    removed: [];
    stateChanged: [];
    items: [];
    document: Record<string, never>;
    state: Record<string, never>;
    /** ISO-8601 */
    at: string;
}

/** The REMOVED delivery of a purged subject to one webhook: after anything else of the subject in its queue. */
export function removedEntry(webhook: Webhook, subject: SubjectRef, at: string, newId: () => string): OutboxEntry {
    const id = newId();
    const body: RemovedBody = {
        id, type: 'REMOVED', subject: { namespace: subject.namespace, id: subject.id }, majorRevision: 0,
        changed: [], removed: [], stateChanged: [], items: [], document: {}, state: {}, at,
    };
    return { id, webhookId: webhook.id, order: { majorRevision: Number.MAX_SAFE_INTEGER, kind: 1, at: Date.parse(at) || 0, tie: id }, body: JSON.stringify(body) };
}

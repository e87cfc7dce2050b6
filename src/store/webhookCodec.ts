import { DeliveryOrder, Webhook } from '../core/webhooks';
import { SubjectRef } from '../core/types';
import { fields, isCount, isText, isTime, plainSubject, subjectOf } from './codec';

/*
 * The data half of webhook records (records.ts holds the associations): the webhooks, their pending
 * deliveries (the outbox) and their delivery logs. All three are created and removed, never updated,
 * so two instances never overwrite each other's record.
 */

export interface WebhookData extends Webhook {
    kind: 'webhook';
}

/** One change waiting to reach one webhook. */
export interface PendingDelivery {
    id: string;
    webhookId: string;
    subject: SubjectRef;
    order: DeliveryOrder;
    /** the JSON body as it is sent (its `cause` goes with the record once delivered) */
    body: string;
    /** ms since the epoch */
    createdAt: number;
    /**
     * An item change is written beside its write's accept, before the revision is decided: it is sent
     * once that write is decided as `revision`, and dropped if another write took the revision.
     */
    write?: WriteRef;
}

/**
 * A write, as its deliveries name it: the majorRevision it makes, its log position (revisionLog.ts;
 * the same number unless lock changes took positions, and absent in deliveries made before locks) and
 * its id.
 */
export interface WriteRef {
    revision: number;
    position?: number;
    writeId: string;
}

export type AttemptOutcome = 'delivered' | 'failed' | 'gave-up' | 'dropped';

/** One attempt at a delivery, in its webhook's delivery log. */
export interface DeliveryAttempt {
    deliveryId: string;
    subject: SubjectRef;
    majorRevision: number;
    /** ms since the epoch */
    at: number;
    outcome: AttemptOutcome;
    /** the receiver's HTTP status, when it answered */
    status?: number;
    error?: string;
}

export function encodeWebhook(webhook: Webhook): WebhookData {
    return { kind: 'webhook', ...webhook, subjects: webhook.subjects.slice() };
}

export function decodeWebhook(data: unknown): Webhook | undefined {
    const f = fields(data);
    if (!f || f.kind !== 'webhook' || !isText(f.id) || !isText(f.url) || !Array.isArray(f.subjects)) return undefined;
    return {
        id: f.id,
        url: f.url,
        ...(isText(f.secret) ? { secret: f.secret } : {}),
        subjects: f.subjects.filter(isText),
        includePrivate: f.includePrivate === true,
        createdAt: isText(f.createdAt) ? f.createdAt : new Date(0).toISOString(),
        createdBy: isText(f.createdBy) ? f.createdBy : '',
    };
}

export function encodeDelivery(delivery: PendingDelivery): Record<string, unknown> {
    return { kind: 'delivery', ...delivery, subject: plainSubject(delivery.subject), order: { ...delivery.order } };
}

export function decodeDelivery(data: unknown): PendingDelivery | undefined {
    const f = fields(data);
    const subject = subjectOf(f?.subject);
    const order = fields(f?.order);
    if (!f || f.kind !== 'delivery' || !subject || !order || !isText(f.id) || !isText(f.webhookId) || !isText(f.body) || !isTime(f.createdAt)) return undefined;
    if (!isCount(order.majorRevision) || (order.kind !== 0 && order.kind !== 1) || !isTime(order.at) || !isText(order.tie)) return undefined;
    const write = fields(f.write);
    return {
        id: f.id,
        webhookId: f.webhookId,
        subject,
        order: { majorRevision: order.majorRevision, kind: order.kind, at: order.at, tie: order.tie },
        body: f.body,
        createdAt: f.createdAt,
        ...(write && isCount(write.revision) && isText(write.writeId)
            ? { write: { revision: write.revision, writeId: write.writeId, ...(isCount(write.position) ? { position: write.position } : {}) } }
            : {}),
    };
}

export function encodeAttempt(attempt: DeliveryAttempt): Record<string, unknown> {
    return { kind: 'attempt', ...attempt, subject: plainSubject(attempt.subject) };
}

const OUTCOMES: readonly AttemptOutcome[] = ['delivered', 'failed', 'gave-up', 'dropped'];

export function decodeAttempt(data: unknown): DeliveryAttempt | undefined {
    const f = fields(data);
    const subject = subjectOf(f?.subject);
    if (!f || f.kind !== 'attempt' || !subject || !isText(f.deliveryId) || !isTime(f.at) || !OUTCOMES.includes(f.outcome as AttemptOutcome)) return undefined;
    return {
        deliveryId: f.deliveryId,
        subject,
        majorRevision: isCount(f.majorRevision) ? f.majorRevision : 0,
        at: f.at,
        outcome: f.outcome as AttemptOutcome,
        ...(isCount(f.status) ? { status: f.status } : {}),
        ...(isText(f.error) ? { error: f.error } : {}),
    };
}

import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { SubjectRef } from '../core/types';
import { LOG_KEPT, Webhook } from '../core/webhooks';
import { newId } from './ids';
import { removeEvery } from './purge';
import { attemptRecord, deliveriesOf, deliveryRecord, webhookRecord } from './records';
import {
    decodeAttempt, decodeDelivery, decodeWebhook, DeliveryAttempt, encodeAttempt, encodeDelivery, encodeWebhook, PendingDelivery,
} from './webhookCodec';

/** Older attempts go once a log holds this many more than LOG_KEPT (core/webhooks). */
const LOG_SLACK = 20;

/**
 * Webhooks, their pending deliveries (the outbox) and their delivery logs in the app's persistence
 * (SPEC §15). Every record is created and removed, never updated: an attempt is a new log record, so
 * instances delivering at once add records side by side and never overwrite each other's.
 */
export class WebhookStore {
    constructor(
        private readonly read: IPersistenceRead,
        private readonly persistence: IPersistence,
    ) {}

    async create(webhook: Webhook): Promise<void> {
        await this.persistence.createWithAssociations(encodeWebhook(webhook), webhookRecord(webhook.id));
    }

    async list(): Promise<Webhook[]> {
        const webhooks = decodeAll(await this.read.readByAssociations(webhookRecord()), decodeWebhook);
        return unique(webhooks, (w) => w.id).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    }

    async get(id: string): Promise<Webhook | undefined> {
        return decodeAll(await this.read.readByAssociations(webhookRecord(id)), decodeWebhook).find((w) => w.id === id);
    }

    /** The webhook, then what waits for it and its log; false if there was none. */
    async remove(id: string): Promise<boolean> {
        const found = (await removeEvery(this.persistence, webhookRecord(id))).removed > 0;
        await Promise.all([removeEvery(this.persistence, deliveriesOf(id)), removeEvery(this.persistence, attemptRecord(id))]);
        return found;
    }

    /** Pending deliveries: all, a webhook's, or a webhook's for one subject (unsorted). */
    async pending(webhookId?: string, subject?: SubjectRef): Promise<PendingDelivery[]> {
        return decodeAll(await this.read.readByAssociations(deliveriesOf(webhookId, subject)), decodeDelivery);
    }

    async removeDelivery(delivery: PendingDelivery): Promise<void> {
        await removeEvery(this.persistence, deliveryRecord(delivery.webhookId, delivery.subject, delivery.id));
    }

    async logAttempt(webhookId: string, attempt: DeliveryAttempt): Promise<void> {
        // The nonce is kept in the data too, so trimming can name the record exactly.
        const nonce = newId();
        await this.persistence.createWithAssociations({ ...encodeAttempt(attempt), nonce }, attemptRecord(webhookId, nonce));
    }

    /** The webhook's delivery log, newest first. */
    async attempts(webhookId: string): Promise<DeliveryAttempt[]> {
        return (await this.attemptRecords(webhookId)).map((r) => r.attempt).sort((a, b) => b.at - a.at);
    }

    /** Removes the oldest attempts once the log holds LOG_SLACK more than LOG_KEPT (a few calls, after a delivery). */
    async trimLog(webhookId: string): Promise<void> {
        const records = await this.attemptRecords(webhookId);
        if (records.length <= LOG_KEPT + LOG_SLACK) return;
        const oldest = records.sort((a, b) => a.attempt.at - b.attempt.at).slice(0, records.length - LOG_KEPT);
        for (const record of oldest) await this.persistence.removeByAssociations(attemptRecord(webhookId, record.nonce));
    }

    private async attemptRecords(webhookId: string): Promise<Array<{ attempt: DeliveryAttempt; nonce: string }>> {
        const records = (await this.read.readByAssociations(attemptRecord(webhookId))) ?? [];
        return records.flatMap((data) => {
            const attempt = decodeAttempt(data);
            const nonce = (data as { nonce?: unknown }).nonce;
            return attempt ? [{ attempt, nonce: typeof nonce === 'string' ? nonce : '' }] : [];
        });
    }
}

/** Creates pending deliveries side by side (the store's write path calls this beside an accept). */
export async function createDeliveries(persistence: IPersistence, deliveries: PendingDelivery[]): Promise<void> {
    await Promise.all(deliveries.map((d) => persistence.createWithAssociations(encodeDelivery(d), deliveryRecord(d.webhookId, d.subject, d.id))));
}

/** Removes pending deliveries (one call each). */
export async function removeDeliveries(persistence: IPersistence, deliveries: PendingDelivery[]): Promise<void> {
    await Promise.all(deliveries.map((d) => removeEvery(persistence, deliveryRecord(d.webhookId, d.subject, d.id))));
}

function decodeAll<T>(records: unknown[] | undefined, decode: (data: unknown) => T | undefined): T[] {
    return (records ?? []).flatMap((data) => {
        const decoded = decode(data);
        return decoded === undefined ? [] : [decoded];
    });
}

function unique<T>(values: T[], id: (value: T) => string): T[] {
    const seen = new Map<string, T>();
    for (const value of values) if (!seen.has(id(value))) seen.set(id(value), value);
    return [...seen.values()];
}

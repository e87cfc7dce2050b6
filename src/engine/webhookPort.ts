import { IHttp, ILogger, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IProcessor, StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { SubjectRef } from '../core/types';
import { WebhookPort } from '../service/ports';
import { errorText } from '../service/runEffects';
import { MetadataStore } from '../store/MetadataStore';
import { WebhookStore, createDeliveries, removeDeliveries } from '../store/webhookStore';
import { followsSubject } from '../core/webhooks';
import { DispatchDeps, sendQueue, sweep } from '../surfaces/webhooks/dispatcher';
import { outboxEntries, removedEntry } from '../surfaces/webhooks/webhookBody';

/** What sending needs from one engine invocation's accessors. */
export function dispatchDeps(
    read: IRead,
    persistence: IPersistence,
    http: IHttp,
    logger: ILogger,
    webhooks = new WebhookStore(read.getPersistenceReader(), persistence),
): DispatchDeps {
    const store = new MetadataStore(read.getPersistenceReader(), persistence);
    return {
        webhooks,
        fates: (subject, writes) => store.writeFates(subject, writes),
        http: { post: (url, request) => http.post(url, request) },
        now: () => Date.now(),
        log: logger,
    };
}

/** The service's webhooks over the engine: records in persistence, sending through the engine's HTTP. */
export function createWebhookPort(read: IRead, persistence: IPersistence, http: IHttp, logger: ILogger, newId: () => string): WebhookPort {
    const webhooks = new WebhookStore(read.getPersistenceReader(), persistence);
    const deps = dispatchDeps(read, persistence, http, logger, webhooks);
    return {
        create: (webhook) => webhooks.create(webhook),
        list: () => webhooks.list(),
        get: (id) => webhooks.get(id),
        remove: (id) => webhooks.remove(id),
        attempts: (id) => webhooks.attempts(id),
        pending: (id) => webhooks.pending(id),
        add: (deliveries) => createDeliveries(persistence, deliveries),
        outbox: (following, notice) => outboxEntries(following, notice, newId),
        send(subject: SubjectRef, following, entries) {
            const decided = new Set(entries.map((entry) => entry.id));
            for (const webhook of following.filter((w) => entries.some((entry) => entry.webhookId === w.id))) {
                sendQueue(deps, webhook, subject, decided)
                    .catch((error) => logger.error('metadata: a webhook delivery failed; the sweep tries again', errorText(error)));
            }
        },
    };
}

/**
 * The scheduler's recurring job: sends whatever is due, on whichever instance runs it. Registered with
 * a startup setting, so enabling the app (again) schedules it; the scheduler keeps one per app.
 */
export function webhookSweep(app: { getLogger(): ILogger }): IProcessor {
    return {
        id: 'webhook-sweep',
        startupSetting: { type: StartupType.RECURRING, interval: '10 seconds' },
        processor: async (_job, read, _modify, http, persistence) => sweep(dispatchDeps(read, persistence, http, app.getLogger())),
    };
}

/**
 * A purged subject's webhooks get one REMOVED each. What still waited for them is dropped: those changes can no
 * longer be checked against the subject's log (the purge removed it), and REMOVED says where they ended.
 */
export async function announceRemoval(read: IRead, persistence: IPersistence, subject: SubjectRef, newId: () => string): Promise<void> {
    const webhooks = new WebhookStore(read.getPersistenceReader(), persistence);
    const following = (await webhooks.list()).filter((webhook) => followsSubject(webhook, subject));
    const at = new Date().toISOString();
    await Promise.all(following.map(async (webhook) => {
        await removeDeliveries(persistence, await webhooks.pending(webhook.id, subject));
        const entry = removedEntry(webhook, subject, at, newId);
        await createDeliveries(persistence, [{ ...entry, subject, createdAt: Date.parse(at) }]);
    }));
}

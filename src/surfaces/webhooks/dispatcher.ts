import { SubjectRef } from '../../core/types';
import { SubjectLocks } from '../../core/subjectLocks';
import { DELIVERY_TIMEOUT_MS, givesUp, LOG_KEPT, nextAttemptAt, sortDeliveries, Webhook } from '../../core/webhooks';
import { Log } from '../../service/ports';
import { errorText } from '../../service/runEffects';
import type { WriteFate } from '../../store/MetadataStore';
import type { DeliveryAttempt, PendingDelivery, WriteRef } from '../../store/webhookCodec';
import type { WebhookStore } from '../../store/webhookStore';
import { signatureOf } from './signature';

/*
 * Sending pending deliveries (SPEC §15). Delivery is at least once, in order per (webhook, subject):
 *
 * - Nothing is lost. A change's deliveries are records created before its write is acknowledged (an item
 *   change's beside its accept, so before its revision can be decided; a state change's right after its
 *   op). A record goes only once its webhook answered 2xx, once it was retried for RETRY_FOR_MS, or
 *   when its write turned out not to be the one decided as its revision. Whatever stops a sender (a
 *   restart, a disable, a crash) leaves the record for the next sweep, on any instance.
 * - In order. A queue is sent oldest first and stops at the first delivery that is not done: one whose
 *   write is not decided yet, one not due again yet, one that failed. So a delivery is sent only after
 *   every earlier one of its queue was answered 2xx (or given up), by this sender or another. An item
 *   change at revision R+1 is only ever proposed once R is decided, and R's deliveries exist before that,
 *   so a queue never shows R+1 without R's.
 * - Twice is harmless. Two instances (the writer's own send and a sweep elsewhere) may send the same
 *   delivery at once, and a sender that stops between a 2xx and removing the record sends it again. The
 *   `X-Metadata-Delivery` id is the same every time: receivers deduplicate by it. Within one instance a
 *   queue is sent by one sender at a time.
 */

/** How the app reaches a receiver (the engine's IHttp, structurally). */
export interface WebhookHttp {
    post(url: string, request: { content: string; headers: Record<string, string>; timeout: number }): Promise<{ statusCode: number }>;
}

export interface DispatchDeps {
    webhooks: Pick<WebhookStore, 'list' | 'pending' | 'removeDelivery' | 'logAttempt' | 'attempts' | 'trimLog'>;
    /** whether each item change's write was decided as its revision (MetadataStore.writeFates) */
    fates(subject: SubjectRef, writes: WriteRef[]): Promise<WriteFate[]>;
    http: WebhookHttp;
    /** ms since the epoch */
    now(): number;
    log: Log;
}

/** Queues this instance is sending now, so a queue has one sender per instance. */
const sending = new SubjectLocks();

/** Queues a sweep sends side by side, at most; each waits for its receiver up to DELIVERY_TIMEOUT_MS per delivery. */
const SWEEP_PARALLEL = 4;

/**
 * Sends a webhook's queue for one subject, oldest first, until it is empty or a delivery is not done.
 * `decided`: ids of deliveries whose write the caller knows was decided (the writer's own), checked no more.
 */
export function sendQueue(deps: DispatchDeps, webhook: Webhook, subject: SubjectRef, decided: ReadonlySet<string> = new Set()): Promise<void> {
    return sending.run(`${webhook.id}|${subject.namespace}:${subject.id}`, async () => {
        const [pending, log] = await Promise.all([deps.webhooks.pending(webhook.id, subject), deps.webhooks.attempts(webhook.id)]);
        const queue = sortDeliveries(pending).filter((d, i, all) => i === 0 || all[i - 1].id !== d.id);
        const unchecked = queue.filter((d) => d.write && !decided.has(d.id));
        const fates = new Map<string, WriteFate>();
        if (unchecked.length > 0) {
            const found = await deps.fates(subject, unchecked.map((d) => d.write as WriteRef));
            unchecked.forEach((d, i) => fates.set(d.id, found[i]));
        }
        let sent = false;
        for (const delivery of queue) {
            const fate = fates.get(delivery.id) ?? 'decided';
            if (fate === 'pending') return;
            if (fate === 'lost') {
                await finish(deps, webhook, delivery, { outcome: 'dropped', error: 'another write took its revision' });
                continue;
            }
            if (!isDue(delivery, log, deps.now())) return;
            sent = true;
            const answer = await post(deps.http, webhook, delivery);
            if (answer.ok) {
                await finish(deps, webhook, delivery, { outcome: 'delivered', status: answer.status });
            } else if (givesUp(delivery.createdAt, deps.now())) {
                await finish(deps, webhook, delivery, { outcome: 'gave-up', status: answer.status, error: answer.error });
            } else {
                await deps.webhooks.logAttempt(webhook.id, attemptOf(deps, delivery, { outcome: 'failed', status: answer.status, error: answer.error }));
                break;
            }
        }
        // The log read above was long already: older attempts go (a few calls, only now and then).
        if (sent && log.length > LOG_KEPT) await deps.webhooks.trimLog(webhook.id);
    });
}

/**
 * One sweep (the scheduler's recurring job, on whichever instance it falls): every queue with a
 * delivery due is sent; deliveries of a webhook that no longer exists go.
 */
export async function sweep(deps: DispatchDeps): Promise<void> {
    const [webhooks, pending] = await Promise.all([deps.webhooks.list(), deps.webhooks.pending()]);
    const byId = new Map(webhooks.map((w) => [w.id, w]));
    const queues = new Map<string, { webhook?: Webhook; subject: SubjectRef; orphans: PendingDelivery[] }>();
    for (const delivery of pending) {
        const key = `${delivery.webhookId}|${delivery.subject.namespace}:${delivery.subject.id}`;
        const queue = queues.get(key) ?? { webhook: byId.get(delivery.webhookId), subject: delivery.subject, orphans: [] };
        if (!queue.webhook) queue.orphans.push(delivery);
        queues.set(key, queue);
    }
    const work = [...queues.values()];
    const next = async (): Promise<void> => {
        for (let queue = work.shift(); queue; queue = work.shift()) {
            try {
                if (queue.webhook) await sendQueue(deps, queue.webhook, queue.subject);
                else for (const orphan of queue.orphans) await deps.webhooks.removeDelivery(orphan);
            } catch (error) {
                deps.log.error('metadata: a webhook queue could not be sent; the next sweep tries again', errorText(error));
            }
        }
    };
    await Promise.all(Array.from({ length: SWEEP_PARALLEL }, next));
}

/** The first attempt at once; after n failures, when the back-off says. */
function isDue(delivery: PendingDelivery, log: DeliveryAttempt[], now: number): boolean {
    const failures = log.filter((a) => a.deliveryId === delivery.id && a.outcome === 'failed');
    if (failures.length === 0) return true;
    const last = Math.max(...failures.map((a) => a.at));
    return nextAttemptAt(delivery.id, failures.length, last) <= now;
}

async function finish(deps: DispatchDeps, webhook: Webhook, delivery: PendingDelivery, result: Pick<DeliveryAttempt, 'outcome' | 'status' | 'error'>): Promise<void> {
    // Side by side: a sender stopped before the remove lands sends the delivery again (harmless).
    await Promise.all([deps.webhooks.logAttempt(webhook.id, attemptOf(deps, delivery, result)), deps.webhooks.removeDelivery(delivery)]);
}

function attemptOf(deps: DispatchDeps, delivery: PendingDelivery, result: Pick<DeliveryAttempt, 'outcome' | 'status' | 'error'>): DeliveryAttempt {
    return {
        deliveryId: delivery.id,
        subject: delivery.subject,
        majorRevision: delivery.order.majorRevision,
        at: deps.now(),
        outcome: result.outcome,
        ...(result.status === undefined ? {} : { status: result.status }),
        ...(result.error === undefined ? {} : { error: result.error.slice(0, 500) }),
    };
}

async function post(http: WebhookHttp, webhook: Webhook, delivery: PendingDelivery): Promise<{ ok: boolean; status?: number; error?: string }> {
    const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'Rocket.Chat-Metadata-Store',
        'x-metadata-delivery': delivery.id,
    };
    if (webhook.secret !== undefined) headers['x-metadata-signature'] = signatureOf(webhook.secret, delivery.body);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
        // The engine's own timeout should end it; this one makes sure a stuck call cannot hold the queue.
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`)), DELIVERY_TIMEOUT_MS + 1000);
        });
        const response = await Promise.race([http.post(webhook.url, { content: delivery.body, headers, timeout: DELIVERY_TIMEOUT_MS }), timeout]);
        const status = response.statusCode;
        return status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `answered ${status}` };
    } catch (error) {
        return { ok: false, error: errorText(error) };
    } finally {
        clearTimeout(timer);
    }
}

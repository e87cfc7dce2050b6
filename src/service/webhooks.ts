import { isAdmin } from '../access/rules';
import { MetadataError } from '../core/errors';
import { SubjectRef } from '../core/types';
import { followsSubject, parseWebhookRegistration, Webhook, WebhookView, webhookView } from '../core/webhooks';
import { ServiceDeps } from './deps';
import { WebhookPort } from './ports';
import { Caller } from './types';

/** What `GET webhooks/:id/deliveries` answers: the newest attempts and how many deliveries wait. */
export interface DeliveryLogView {
    webhook: WebhookView;
    pending: number;
    attempts: Array<{ deliveryId: string; subject: SubjectRef; majorRevision: number; at: string; outcome: string; status?: number; error?: string }>;
}

/** Admin-only registration and inspection of webhooks (SPEC §15). */
export function webhookAdmin(deps: ServiceDeps) {
    async function admin(caller: Caller): Promise<WebhookPort> {
        const settings = await deps.settings();
        if (!isAdmin({ callerRoles: caller.roles, adminRoles: settings.adminRoles })) {
            throw new MetadataError('forbidden', 'Only admins may manage webhooks.');
        }
        if (!deps.webhooks) throw new MetadataError('operation_not_allowed', 'Webhooks are not available here.');
        return deps.webhooks;
    }

    async function found(webhooks: WebhookPort, id: string): Promise<Webhook> {
        const webhook = await webhooks.get(id);
        if (!webhook) throw new MetadataError('item_not_found', `There is no webhook ${JSON.stringify(id)}. GET webhooks lists them.`);
        return webhook;
    }

    return {
        /** The answer is the only time the secret is shown. */
        async registerWebhook(caller: Caller, body: unknown): Promise<WebhookView & { secret?: string }> {
            const webhooks = await admin(caller);
            const registration = parseWebhookRegistration(body);
            const webhook: Webhook = { id: deps.newId(), ...registration, createdAt: new Date(deps.clock.now()).toISOString(), createdBy: caller.id };
            await webhooks.create(webhook);
            return { ...webhookView(webhook), ...(webhook.secret === undefined ? {} : { secret: webhook.secret }) };
        },
        async listWebhooks(caller: Caller): Promise<{ webhooks: WebhookView[] }> {
            return { webhooks: (await (await admin(caller)).list()).map(webhookView) };
        },
        async getWebhook(caller: Caller, id: string): Promise<WebhookView> {
            return webhookView(await found(await admin(caller), id));
        },
        async removeWebhook(caller: Caller, id: string): Promise<{ removed: string }> {
            const webhooks = await admin(caller);
            if (!(await webhooks.remove(id))) throw new MetadataError('item_not_found', `There is no webhook ${JSON.stringify(id)}. GET webhooks lists them.`);
            return { removed: id };
        },
        async webhookDeliveries(caller: Caller, id: string): Promise<DeliveryLogView> {
            const webhooks = await admin(caller);
            const webhook = await found(webhooks, id);
            const [attempts, pending] = await Promise.all([webhooks.attempts(id), webhooks.pending(id)]);
            return {
                webhook: webhookView(webhook),
                pending: new Set(pending.map((d) => d.id)).size,
                attempts: attempts.slice(0, 100).map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
            };
        },
    };
}

/** The webhooks that follow a subject (one read, run beside a write's other lookups). */
export async function webhooksFollowing(deps: ServiceDeps, listed: Promise<Webhook[]>, subject: SubjectRef): Promise<Webhook[]> {
    return deps.webhooks ? (await listed).filter((webhook) => followsSubject(webhook, subject)) : [];
}

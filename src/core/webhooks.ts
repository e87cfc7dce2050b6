import { MetadataError } from './errors';
import { NAMESPACES, SubjectRef } from './types';

/*
 * Webhooks (SPEC §15, after Airy Core's webhooks): what a registration is, which subjects it follows,
 * and when a failed delivery is tried again. Pure: the store keeps webhooks and their pending
 * deliveries, surfaces/webhooks sends them.
 */

/** `user:*`, `room:*`, `message:*`, or one subject: `user:<id>`, `room:<id>`, `message:<id>` */
export type SubjectPattern = string;

export interface WebhookRegistration {
    url: string;
    /** signs each body (HMAC-SHA256); never shown again after creation */
    secret?: string;
    subjects: SubjectPattern[];
    /** private items too; default: public items only */
    includePrivate: boolean;
}

export interface Webhook extends WebhookRegistration {
    id: string;
    /** ISO-8601 */
    createdAt: string;
    createdBy: string;
}

/** What anyone but the registration's answer shows of a webhook: no secret, only whether it has one. */
export interface WebhookView extends Omit<Webhook, 'secret'> {
    hasSecret: boolean;
}

export const MAX_WEBHOOK_SUBJECTS = 100;
const MAX_URL_LENGTH = 2048;
const MAX_SECRET_LENGTH = 256;
const PATTERN = new RegExp(`^(${NAMESPACES.join('|')}):(\\*|[^\\s*]{1,256})$`);

/** `POST webhooks` as sent: refused with a clear 400 unless every field is right. */
export function parseWebhookRegistration(body: unknown): WebhookRegistration {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw invalid('Send a JSON object: {"url": "https://…", "subjects": ["user:*"], "secret": "…", "includePrivate": false}.');
    }
    const { url, secret, subjects, includePrivate, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw invalid(`Unknown field ${JSON.stringify(unknown[0])}: a webhook has url, subjects, secret and includePrivate.`);
    return {
        url: parseUrl(url),
        ...(secret === undefined ? {} : { secret: parseSecret(secret) }),
        subjects: parseSubjects(subjects),
        includePrivate: parseFlag(includePrivate),
    };
}

function parseUrl(url: unknown): string {
    if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) throw invalid(`"url" must be an http or https URL of at most ${MAX_URL_LENGTH} characters.`);
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        throw invalid(`"url" is not a URL: ${JSON.stringify(url)}.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid(`"url" must use http or https, not ${parsed.protocol.replace(/:$/, '')}.`);
    return url;
}

function parseSecret(secret: unknown): string {
    if (typeof secret !== 'string' || secret.length === 0 || secret.length > MAX_SECRET_LENGTH) {
        throw invalid(`"secret" must be text of 1 to ${MAX_SECRET_LENGTH} characters (or left out for unsigned deliveries).`);
    }
    return secret;
}

function parseSubjects(subjects: unknown): SubjectPattern[] {
    if (!Array.isArray(subjects) || subjects.length === 0 || subjects.length > MAX_WEBHOOK_SUBJECTS) {
        throw invalid(`"subjects" must be a list of 1 to ${MAX_WEBHOOK_SUBJECTS} patterns: "user:*", "room:*", "message:*", or "<namespace>:<id>".`);
    }
    for (const pattern of subjects) {
        if (typeof pattern !== 'string' || !PATTERN.test(pattern)) {
            throw invalid(`${JSON.stringify(pattern)} is not a subject pattern: use "user:*", "room:*", "message:*", or "<namespace>:<id>" (namespace user, room or message).`);
        }
    }
    return [...new Set(subjects as string[])];
}

function parseFlag(flag: unknown): boolean {
    if (flag === undefined) return false;
    if (typeof flag !== 'boolean') throw invalid('"includePrivate" must be true or false.');
    return flag;
}

/** Does the webhook follow this subject? */
export function followsSubject(webhook: Pick<Webhook, 'subjects'>, subject: SubjectRef): boolean {
    return webhook.subjects.some((pattern) => pattern === `${subject.namespace}:*` || pattern === `${subject.namespace}:${subject.id}`);
}

export function webhookView(webhook: Webhook): WebhookView {
    const { secret, ...shown } = webhook;
    return { ...shown, subjects: shown.subjects.slice(), hasSecret: secret !== undefined };
}

/*
 * Retries: any answer but 2xx, or none within DELIVERY_TIMEOUT_MS, is tried again after a delay that
 * doubles per failed attempt (from FIRST_RETRY_MS up to MAX_RETRY_MS), with jitter so that receivers
 * coming back are not hit by every sender at once. The jitter is derived from the delivery id and the
 * attempt, so every instance computes the same due time. A delivery is retried for RETRY_FOR_MS after it
 * was made; the first attempt that fails after that is its last.
 */
export const DELIVERY_TIMEOUT_MS = 10_000;
export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 60 * 60 * 1000;
export const RETRY_FOR_MS = 24 * 60 * 60 * 1000;

/** When the delivery may be tried again after `failures` failed attempts, the last at `lastAttemptMs`. */
export function nextAttemptAt(deliveryId: string, failures: number, lastAttemptMs: number): number {
    if (failures === 0) return lastAttemptMs;
    const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 30));
    return lastAttemptMs + Math.round(base * (0.5 + jitter(`${deliveryId}#${failures}`)));
}

/** Has a delivery made at `createdMs` been tried long enough that a failure at `nowMs` is its last? */
export function givesUp(createdMs: number, nowMs: number): boolean {
    return nowMs - createdMs >= RETRY_FOR_MS;
}

/** A number in [0, 1) that depends only on `text` (FNV-1a). */
function jitter(text: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash / 0x1_0000_0000;
}

/**
 * The order of a subject's deliveries to one webhook: item changes by majorRevision; a state change
 * after the item change of the revision it was made at, state changes among themselves by when.
 */
export interface DeliveryOrder {
    majorRevision: number;
    /** 0 for an item change, 1 for a state change */
    kind: 0 | 1;
    /** state changes: ms since the epoch, then the op id */
    at: number;
    tie: string;
}

export function compareDeliveryOrder(a: DeliveryOrder, b: DeliveryOrder): number {
    return a.majorRevision - b.majorRevision || a.kind - b.kind || a.at - b.at || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0);
}

/** A queue as it must be sent: by order, then id (copies of one delivery side by side). */
export function sortDeliveries<D extends { id: string; order: DeliveryOrder }>(deliveries: readonly D[]): D[] {
    return deliveries.slice().sort((a, b) => compareDeliveryOrder(a.order, b.order) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Attempts a webhook's delivery log keeps; the store removes older ones once it holds a few more. */
export const LOG_KEPT = 100;

function invalid(message: string): MetadataError {
    return new MetadataError('invalid_request', message);
}

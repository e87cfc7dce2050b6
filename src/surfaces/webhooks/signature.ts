import { createHmac } from 'crypto';

/** `X-Metadata-Signature`: `sha256=` and the hex HMAC-SHA256 of the raw body with the webhook's secret. */
export function signatureOf(secret: string, body: string): string {
    return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

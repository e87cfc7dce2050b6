/**
 * Writes per second per user, on this instance only (SPEC §12): a token bucket per user holding up
 * to `perSecond` tokens, refilled continuously. In memory, so it lives as long as the app instance.
 */
export class WriteRateLimiter {
    private readonly buckets = new Map<string, { tokens: number; at: number }>();

    /** Takes one token; false when the user has none left. `perSecond` ≤ 0 means no limit. */
    take(userId: string, perSecond: number, nowMs: number): boolean {
        if (!(perSecond > 0)) return true;
        const bucket = this.buckets.get(userId) ?? { tokens: perSecond, at: nowMs };
        const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
        bucket.tokens = Math.min(perSecond, bucket.tokens + elapsed * perSecond);
        bucket.at = nowMs;
        if (bucket.tokens < 1) {
            this.buckets.set(userId, bucket);
            return false;
        }
        bucket.tokens -= 1;
        this.buckets.set(userId, bucket);
        this.forgetIdle(perSecond, nowMs);
        return true;
    }

    // A bucket idle long enough to be full again says nothing; dropping it keeps memory bounded.
    private forgetIdle(perSecond: number, nowMs: number): void {
        if (this.buckets.size < 1024) return;
        for (const [userId, bucket] of this.buckets) {
            if (bucket.tokens + ((nowMs - bucket.at) / 1000) * perSecond >= perSecond) this.buckets.delete(userId);
        }
    }
}

import { MetadataError } from '../core/errors';
import { AppSettingsValues } from '../settings';
import { ServiceDeps } from './deps';
import { Caller } from './types';

/** SPEC §12: at most `writesPerSecond` writes per user per instance; item writes, state ops and lock changes alike. */
export function takeWriteToken(deps: Pick<ServiceDeps, 'rateLimiter' | 'clock'>, caller: Caller, settings: AppSettingsValues): void {
    if (!deps.rateLimiter.take(caller.id, settings.writesPerSecond, deps.clock.now())) {
        throw new MetadataError(
            'rate_limited',
            `Too many writes: at most ${settings.writesPerSecond} per second per user. Wait a moment and try again.`,
            { limit: settings.writesPerSecond, retryAfter: 1 },
        );
    }
}

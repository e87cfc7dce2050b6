import { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';

/**
 * An app's status, without hanging. ProxiedApp.getStatus() asks the app's Deno process; when that process is
 * being replaced (update, restart) or has died, the engine does not fail the pending request but lets it run
 * into the runtime timeout (APPS_ENGINE_RUNTIME_TIMEOUT, 30 s) — and caches the answer. The host reports
 * `unknown` after `waitMs` instead of blocking a REST call or the cluster listener for 30 s.
 */
export function statusOf(app: ProxiedApp, waitMs = 2000): Promise<AppStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<AppStatus>((resolve) => {
        timer = setTimeout(() => resolve(AppStatus.UNKNOWN), waitMs);
        timer.unref();
    });
    return Promise.race([app.getStatus(), timeout]).finally(() => clearTimeout(timer));
}

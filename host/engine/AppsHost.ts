// The engine side of one host instance: the real Apps-Engine AppManager with the host's bridges and storages,
// driven the way Rocket.Chat's orchestrator drives it (load + enableAll at start, add/update/remove/changeStatus
// from the admin REST API, the cluster listener for changes made by other instances).
import { AppStatus, AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IPermission } from '@rocket.chat/apps-engine/definition/permissions/IPermission';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { AppFabricationFulfillment } from '@rocket.chat/apps-engine/server/compiler';
import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';

import { HostBridges } from '../bridges/HostBridges';
import { ClusterListener } from './cluster';
import type { HostContext } from './context';
import { statusOf } from './status';
import { HostLogStorage, type LogEcho } from './storage/LogStorage';
import { HostMetadataStorage } from './storage/MetadataStorage';
import { HostSourceStorage } from './storage/SourceStorage';

export interface AppSummary {
    id: string;
    name: string;
    nameSlug: string;
    version: string;
    /** the status of the app in this instance's engine */
    status: AppStatus;
    enabled: boolean;
    /** the status stored in the shared app storage */
    storedStatus?: AppStatus;
    permissionsGranted?: IPermission[];
    implemented: Record<string, boolean>;
}

interface Mark {
    appLogs: number;
    hostLog: number;
}

export class AppOperationError extends Error {
    constructor(
        message: string,
        readonly details: { app?: AppSummary; reasons: string[] },
    ) {
        super(`${message}\n${details.reasons.map((r) => `  - ${r}`).join('\n')}`);
    }
}

export class AppsHost {
    readonly manager: AppManager;

    readonly bridges: HostBridges;

    readonly logs: HostLogStorage;

    readonly metadata: HostMetadataStorage;

    readonly sources: HostSourceStorage;

    private readonly listener: ClusterListener;

    private startMark: Mark = { appLogs: 0, hostLog: 0 };

    constructor(
        private readonly ctx: HostContext,
        tempFilePath: string,
        echo?: LogEcho,
    ) {
        this.bridges = new HostBridges(ctx);
        this.metadata = new HostMetadataStorage(ctx.store);
        this.sources = new HostSourceStorage(ctx.store);
        this.logs = new HostLogStorage(ctx.store, ctx.instanceId, ctx.log, echo);
        this.manager = new AppManager({
            metadataStorage: this.metadata,
            logStorage: this.logs,
            bridges: this.bridges,
            sourceStorage: this.sources,
            tempFilePath,
        });
        ctx.setEngine(this.manager, this.sources);
        this.listener = new ClusterListener(ctx, ctx.notifier);
    }

    /** As a server starts: load every installed app from the shared storage, enable those that were enabled. */
    async start(): Promise<void> {
        this.startMark = this.mark();
        await this.manager.load();
        await this.manager.enableAll();
        this.listener.start();
    }

    /** Fails, with the engine's reasons, when an app stored as enabled did not come up on this instance. */
    async assertStarted(): Promise<void> {
        for (const app of await this.list()) {
            if (app.storedStatus && AppStatusUtils.isEnabled(app.storedStatus) && !app.enabled) {
                throw await this.failure(`${app.name} ${app.version} is installed and enabled, but did not start here (status ${app.status})`, app.id, this.startMark);
            }
        }
    }

    /** Applies every app change other instances announced so far. */
    settle(): Promise<void> {
        return this.listener.settle();
    }

    /** Stops the app runtimes (Deno processes) WITHOUT disabling the apps: a stopping server leaves them enabled. */
    async stop(): Promise<void> {
        // First, so that no job starts on a runtime about to stop; the jobs running now are freed for the others.
        this.bridges.scheduler.stop();
        await this.listener.stop();
        for (const app of await this.manager.get()) {
            await this.manager
                .getRuntime()
                .stopRuntime(app.getRuntimeController())
                .catch(() => undefined);
        }
    }

    async summary(appId: string): Promise<AppSummary | undefined> {
        const app = this.manager.getOneById(appId);
        if (!app) {
            return undefined;
        }
        return this.describe(app);
    }

    async list(): Promise<AppSummary[]> {
        return Promise.all((await this.manager.get()).map((app) => this.describe(app)));
    }

    /**
     * Installs the package (and enables it), or updates the installed app when the stored package differs,
     * or does nothing when it is the same package. The app gets exactly the permissions its app.json requests,
     * as when an admin accepts them on install. Rejects with the engine's reasons when the app does not end up
     * enabled.
     */
    async installOrUpdate(zip: Buffer, actor: IUser): Promise<{ action: 'installed' | 'updated' | 'unchanged'; app: AppSummary }> {
        const { info } = await this.manager.getParser().unpackageApp(zip);
        const existing = this.manager.getOneById(info.id);
        if (!existing) {
            return { action: 'installed', app: await this.install(zip, actor) };
        }
        const stored = await this.sources.fetch(existing.getStorageItem()).catch(() => undefined);
        if (stored && stored.equals(zip)) {
            const app = await this.describe(existing);
            if (!app.enabled && AppStatusUtils.isEnabled(app.storedStatus ?? AppStatus.DISABLED)) {
                throw await this.failure(`The installed app ${app.name} ${app.version} did not start (status ${app.status})`, info.id, { appLogs: 0, hostLog: 0 });
            }
            return { action: 'unchanged', app };
        }
        return { action: 'updated', app: await this.update(zip, actor) };
    }

    async install(zip: Buffer, actor: IUser, permissionsGranted?: IPermission[]): Promise<AppSummary> {
        const { info } = await this.manager.getParser().unpackageApp(zip);
        const mark = this.mark();
        const aff = await this.manager.add(zip, { enable: true, permissionsGranted: permissionsGranted ?? info.permissions, user: actor });
        return this.verify(aff, `Installing ${info.name} ${info.version} failed`, mark);
    }

    async update(zip: Buffer, actor: IUser, permissionsGranted?: IPermission[]): Promise<AppSummary> {
        const { info } = await this.manager.getParser().unpackageApp(zip);
        const mark = this.mark();
        const aff = await this.manager.update(zip, (permissionsGranted ?? info.permissions) as IPermission[], { loadApp: true, user: actor });
        return this.verify(aff, `Updating ${info.name} to ${info.version} failed`, mark, info.id);
    }

    async uninstall(appId: string, actor: IUser): Promise<void> {
        if (!this.manager.getOneById(appId)) {
            throw new Error(`No app ${appId} is installed`);
        }
        await this.manager.remove(appId, { user: actor });
    }

    /** Admin enable/disable (Rocket.Chat's POST /api/apps/:id/status): the new status is stored. */
    async setEnabled(appId: string, enabled: boolean): Promise<AppSummary> {
        const mark = this.mark();
        await this.manager.changeStatus(appId, enabled ? AppStatus.MANUALLY_ENABLED : AppStatus.MANUALLY_DISABLED);
        const app = (await this.summary(appId)) as AppSummary;
        if (enabled && !app.enabled) {
            throw await this.failure(`Enabling ${app.name} failed (status ${app.status})`, appId, mark);
        }
        return app;
    }

    /** Kills and respawns the app's Deno process, as the engine does when the runtime dies. */
    async restartRuntime(appId: string): Promise<AppSummary> {
        const app = this.manager.getOneById(appId);
        if (!app) {
            throw new Error(`No app ${appId} is installed`);
        }
        await (app.getRuntimeController() as unknown as { restartApp(): Promise<void> }).restartApp();
        return this.describe(app);
    }

    // --------------------------------------------------------------------------------------------------------

    private async describe(app: ProxiedApp): Promise<AppSummary> {
        const info = app.getInfo();
        const status = await statusOf(app);
        const stored = await this.metadata.retrieveOne(app.getID());
        return {
            id: info.id,
            name: info.name,
            nameSlug: info.nameSlug,
            version: info.version,
            status,
            enabled: AppStatusUtils.isEnabled(status),
            storedStatus: stored?.status,
            permissionsGranted: stored?.permissionsGranted,
            implemented: app.getImplementationList(),
        };
    }

    /** Where the logs stand now, to report only what an operation produced. */
    private mark(): Mark {
        const max = (table: string) => (this.ctx.store.db.prepare<[], { seq: number | null }>(`SELECT max(seq) AS seq FROM ${table}`).get() as { seq: number | null }).seq ?? 0;
        return { appLogs: max('app_logs'), hostLog: max('host_log') };
    }

    private async verify(aff: AppFabricationFulfillment, what: string, mark: Mark, appId?: string): Promise<AppSummary> {
        const reasons: string[] = [];
        if (aff.hasStorageError()) {
            reasons.push(`storage: ${aff.getStorageError()}`);
        }
        if (aff.hasAppUserError()) {
            reasons.push(`app user: ${JSON.stringify(aff.getAppUserError())}`);
        }
        const license = aff.getLicenseValidationResult();
        if (license?.hasErrors) {
            reasons.push(`license: ${JSON.stringify(license.getErrors())}`);
        }
        const id = aff.getApp()?.getID() ?? appId;
        const app = id ? await this.summary(id) : undefined;
        if (reasons.length || !app || !app.enabled) {
            throw await this.failure(`${what}${app ? ` (status ${app.status})` : ''}`, id, mark, reasons);
        }
        return app;
    }

    private async failure(message: string, appId: string | undefined, mark: Mark, reasons: string[] = []): Promise<AppOperationError> {
        const app = appId ? await this.summary(appId) : undefined;
        const appLogs: ILoggerStorageEntry[] = this.logs.list(appId, mark.appLogs);
        for (const entry of appLogs) {
            for (const line of entry.entries ?? []) {
                if (String(line.severity) === 'error' || String(line.severity) === 'warning') {
                    reasons.push(`app log (${entry.method}): ${line.args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
                }
            }
        }
        for (const line of this.ctx.log.list({ since: mark.hostLog, level: 'error' }).slice(-10)) {
            reasons.push(`engine: ${line.text.split('\n').slice(0, 6).join('\n    ')}`);
        }
        if (reasons.length === 0) {
            reasons.push('the engine reported nothing more; see GET /api/apps/<id>/logs and GET /api/v1/host.log');
        }
        return new AppOperationError(message, { app, reasons });
    }
}

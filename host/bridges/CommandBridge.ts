import type { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';
import { CommandBridge } from '@rocket.chat/apps-engine/server/bridges/CommandBridge';

export interface RegisteredCommand {
    appId: string;
    command: string;
    params: string;
    description: string;
    permission?: string;
    providesPreview: boolean;
}

/**
 * The server's slash command registry, as Rocket.Chat's AppCommandsBridge keeps it (in memory, per instance: every
 * instance's engine registers the app's commands itself). Commands are lower-cased; a disabled command is kept
 * aside and "exists" for doesCommandExist. `POST /api/v1/commands.run` looks commands up here and runs app
 * commands through the engine's command manager (host/http/rest.ts).
 */
export class HostCommandBridge extends CommandBridge {
    readonly commands = new Map<string, RegisteredCommand>();

    private readonly disabled = new Map<string, RegisteredCommand>();

    protected async doesCommandExist(command: string, _appId: string): Promise<boolean> {
        if (typeof command !== 'string' || command.length === 0) {
            return false;
        }
        const cmd = command.toLowerCase();
        return this.commands.has(cmd) || this.disabled.has(cmd);
    }

    protected async enableCommand(command: string, _appId: string): Promise<void> {
        const cmd = this.check(command);
        const item = this.disabled.get(cmd);
        if (!item) {
            throw new Error(`The command is not currently disabled: "${cmd}"`);
        }
        this.commands.set(cmd, item);
        this.disabled.delete(cmd);
    }

    protected async disableCommand(command: string, _appId: string): Promise<void> {
        const cmd = this.check(command);
        if (this.disabled.has(cmd)) {
            return;
        }
        const item = this.commands.get(cmd);
        if (!item) {
            throw new Error(`Command does not exist in the system currently: "${cmd}"`);
        }
        this.disabled.set(cmd, item);
        this.commands.delete(cmd);
    }

    protected async modifyCommand(command: ISlashCommand, _appId: string): Promise<void> {
        this.verify(command);
        const cmd = command.command.toLowerCase();
        const item = this.commands.get(cmd);
        if (!item) {
            throw new Error(`Command does not exist in the system currently (or it is disabled): "${cmd}"`);
        }
        this.commands.set(cmd, {
            ...item,
            params: command.i18nParamsExample || item.params,
            description: command.i18nDescription || item.params,
            providesPreview: command.providesPreview,
        });
    }

    protected async registerCommand(command: ISlashCommand, appId: string): Promise<void> {
        this.verify(command);
        const cmd = command.command.toLowerCase();
        this.commands.set(cmd, {
            appId,
            command: cmd,
            params: command.i18nParamsExample ?? '',
            description: command.i18nDescription ?? '',
            permission: command.permission,
            providesPreview: command.providesPreview,
        });
    }

    protected async unregisterCommand(command: string, _appId: string): Promise<void> {
        const cmd = this.check(command);
        this.disabled.delete(cmd);
        this.commands.delete(cmd);
    }

    private check(command: string): string {
        if (typeof command !== 'string' || command.trim().length === 0) {
            throw new Error('Invalid command parameter provided, must be a string.');
        }
        return command.toLowerCase();
    }

    private verify(command: ISlashCommand): void {
        const invalid = 'Invalid Slash Command parameter provided, it must be a valid ISlashCommand object.';
        if (typeof command !== 'object' || typeof command.command !== 'string') throw new Error(invalid);
        if (command.i18nParamsExample && typeof command.i18nParamsExample !== 'string') throw new Error(invalid);
        if (command.i18nDescription && typeof command.i18nDescription !== 'string') throw new Error(invalid);
        if (typeof command.providesPreview !== 'boolean') throw new Error(invalid);
    }
}

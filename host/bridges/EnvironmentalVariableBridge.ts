import { EnvironmentalVariableBridge } from '@rocket.chat/apps-engine/server/bridges/EnvironmentalVariableBridge';

/** Rocket.Chat lets apps read only these environment variables. */
const READABLE = ['NODE_ENV', 'ROOT_URL', 'INSTANCE_IP'];

export class HostEnvironmentalVariableBridge extends EnvironmentalVariableBridge {
    protected async getValueByName(envVarName: string, appId: string): Promise<string | undefined> {
        if (!(await this.isReadable(envVarName, appId))) {
            throw new Error(`The environment variable "${envVarName}" is not readable.`);
        }
        return process.env[envVarName];
    }

    protected async isReadable(envVarName: string, _appId: string): Promise<boolean> {
        return READABLE.includes(envVarName.toUpperCase());
    }

    protected async isSet(envVarName: string, appId: string): Promise<boolean> {
        if (!(await this.isReadable(envVarName, appId))) {
            throw new Error(`The environment variable "${envVarName}" is not readable.`);
        }
        return typeof process.env[envVarName] !== 'undefined';
    }
}

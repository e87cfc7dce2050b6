import crypto from 'node:crypto';

import type { IInternalFederationBridge } from '@rocket.chat/apps-engine/server/bridges/IInternalFederationBridge';

import type { HostContext } from '../engine/context';

/**
 * The workspace key pair the engine signs installed apps with (AppSignatureManager: every storage item carries a
 * JWT over its checksum, verified at each enable; a mismatch disables the app as INVALID_INSTALLATION_DISABLED).
 * Rocket.Chat keeps it in the database (federation keys); here it lives in the shared store's `meta` table, so all
 * instances of a local cluster verify what any of them installed. Created once, by whichever instance is first.
 */
export class HostInternalFederationBridge implements IInternalFederationBridge {
    constructor(private readonly ctx: HostContext) {}

    private keys(): { privateKey: string; publicKey: string } {
        let privateKey = this.ctx.store.getMeta('workspace_private_key');
        if (!privateKey) {
            const pair = crypto.generateKeyPairSync('rsa', {
                modulusLength: 2048,
                publicKeyEncoding: { type: 'spki', format: 'pem' },
                privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
            });
            this.ctx.store.tx(() => {
                this.ctx.store.initMeta('workspace_private_key', pair.privateKey);
                this.ctx.store.initMeta('workspace_public_key', pair.publicKey);
            });
            privateKey = this.ctx.store.getMeta('workspace_private_key') as string;
        }
        return { privateKey, publicKey: this.ctx.store.getMeta('workspace_public_key') as string };
    }

    async getPrivateKey(): Promise<string | null> {
        return this.keys().privateKey;
    }

    async getPublicKey(): Promise<string | null> {
        return this.keys().publicKey;
    }
}

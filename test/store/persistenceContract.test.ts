// One persistence contract (test/support/persistenceContract.ts) for both stand-ins of Rocket.Chat's app
// persistence: the in-memory database of the store tests, and the local host's SQLite bridge (in-process, over a
// temporary store, no engine or Deno), in every server flavour each imitates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { Persistence, PersistenceRead } from '@rocket.chat/apps-engine/server/accessors';
import type { PersistenceBridge } from '@rocket.chat/apps-engine/server/bridges/PersistenceBridge';

import { HostPersistenceBridge } from '../../host/bridges/PersistenceBridge';
import { HostContext, type PersistenceSwitches } from '../../host/engine/context';
import { Store } from '../../host/store/Store';
import { MemoryDatabase, type ServerVersion } from '../support/memoryPersistence';
import { persistenceContract, type PersistenceAccessors, type PersistenceFlavour } from '../support/persistenceContract';

const SERVERS: Record<ServerVersion, PersistenceFlavour> = {
    A: { update: 'returns-id', remove: 'all', purge: 'all' },
    B: { update: 'throws-after-write', remove: 'one', purge: 'one' },
};

for (const server of ['A', 'B'] as const) {
    persistenceContract(
        `MemoryDatabase, server ${server}`,
        () => {
            const db = new MemoryDatabase({ server });
            const { read, persistence } = db.connect();
            return { read, persistence, purge: () => db.purge(), flavour: SERVERS[server] };
        },
        { appScoped: false },
    );
}

/** The bridge's protected methods, which the engine's `do*` wrappers call once the app's permission is checked. */
interface BridgeMethods {
    create(data: object, appId: string): Promise<string>;
    createWithAssociations(data: object, associations: RocketChatAssociationRecord[], appId: string): Promise<string>;
    readById(id: string, appId: string): Promise<object>;
    readByAssociations(associations: RocketChatAssociationRecord[], appId: string): Promise<object[]>;
    remove(id: string, appId: string): Promise<object | undefined>;
    removeByAssociations(associations: RocketChatAssociationRecord[], appId: string): Promise<object[] | undefined>;
    update(id: string, data: object, upsert: boolean, appId: string): Promise<string>;
    updateByAssociations(associations: RocketChatAssociationRecord[], data: object, upsert: boolean, appId: string): Promise<string>;
    purge(appId: string): Promise<void>;
}

/**
 * The app's accessors over the bridge, built by the engine's own accessor classes (server/accessors/Persistence,
 * PersistenceRead: one association becomes an array of one, upsert defaults to false), with the permission
 * check of the bridge's `do*` wrappers left out.
 */
function accessors(bridge: BridgeMethods, appId: string): PersistenceAccessors {
    const unchecked = {
        doCreate: (data: object, app: string) => bridge.create(data, app),
        doCreateWithAssociations: (data: object, associations: RocketChatAssociationRecord[], app: string) => bridge.createWithAssociations(data, associations, app),
        doReadById: (id: string, app: string) => bridge.readById(id, app),
        doReadByAssociations: (associations: RocketChatAssociationRecord[], app: string) => bridge.readByAssociations(associations, app),
        doRemove: (id: string, app: string) => bridge.remove(id, app),
        doRemoveByAssociations: (associations: RocketChatAssociationRecord[], app: string) => bridge.removeByAssociations(associations, app),
        doUpdate: (id: string, data: object, upsert: boolean, app: string) => bridge.update(id, data, upsert, app),
        doUpdateByAssociations: (associations: RocketChatAssociationRecord[], data: object, upsert: boolean, app: string) =>
            bridge.updateByAssociations(associations, data, upsert, app),
    } as unknown as PersistenceBridge;
    return { read: new PersistenceRead(unchecked, appId), persistence: new Persistence(unchecked, appId) };
}

const HOST_FLAVOURS: Array<[string, PersistenceSwitches, PersistenceFlavour]> = [
    ['host defaults (current servers)', { updateByAssociations: 'throws-after-write', removeByAssociations: 'one', purge: 'one' }, SERVERS.B],
    ['older servers', { updateByAssociations: 'returns-id', removeByAssociations: 'all', purge: 'all' }, SERVERS.A],
];

for (const [name, switches, flavour] of HOST_FLAVOURS) {
    persistenceContract(
        `host SQLite PersistenceBridge, ${name}`,
        () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persistence-contract-'));
            const store = new Store(dir);
            const bridge = new HostPersistenceBridge(new HostContext(store, 'contract', 0, switches)) as unknown as BridgeMethods;
            const app = 'app-under-contract';
            return {
                ...accessors(bridge, app),
                purge: () => bridge.purge(app),
                otherApp: () => accessors(bridge, 'another-app'),
                flavour,
                close: () => {
                    store.close();
                    fs.rmSync(dir, { recursive: true, force: true });
                },
            };
        },
        { appScoped: true },
    );
}

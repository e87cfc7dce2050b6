import { createDirectory } from '../../src/engine/directory';
import { createChat } from '../../src/engine/chat';
import { readSettings } from '../../src/engine/settingsReader';
import { ServiceDeps } from '../../src/service/deps';
import { createMetadataService } from '../../src/service/metadataService';
import { WriteRateLimiter } from '../../src/service/rateLimiter';
import { AfterWriteEffect, Caller, ChangeNotice, MetadataService } from '../../src/service/types';
import { MetadataStore } from '../../src/store/MetadataStore';
import { SubjectLocks } from '../../src/core/subjectLocks';
import { Coalescer } from '../../src/surfaces/events/coalescer';
import { createEventsEffect } from '../../src/surfaces/events/eventsEffect';
import { createSnapshotSender } from '../../src/surfaces/events/snapshotSender';
import { FakeEngine } from '../support/fakeEngine';
import { createChoiceMessages } from '../../src/surfaces/choice/choiceMessages';
import { createChoiceSummaryEffect } from '../../src/service/choiceSummary';
import { MemoryDatabase } from '../support/memoryPersistence';

/*
 * The service over the real core and store (on the in-memory persistence), the real engine adapters
 * over a fake engine, a clock the test turns, and the after-write effects the test chooses.
 */

export const START = Date.parse('2024-05-01T12:00:00.000Z');

export function world(): FakeEngine {
    return new FakeEngine({
        users: [
            { id: 'u-alice', username: 'alice' },
            { id: 'u-bob', username: 'bob' },
            { id: 'u-carol', username: 'carol' },
            { id: 'u-root', username: 'root', roles: ['user', 'admin'] },
        ],
        rooms: [
            { id: 'r-general', name: 'general', type: 'c', members: ['u-alice', 'u-bob'], owners: ['u-alice'] },
            { id: 'r-secret', name: 'secret', type: 'p', members: ['u-alice', 'u-carol'], owners: ['u-alice'], moderators: ['u-carol'] },
            { id: 'r-dm', name: 'alice-bob', type: 'd', members: ['u-alice', 'u-bob'] },
        ],
    });
}

export interface Harness {
    engine: FakeEngine;
    service: MetadataService;
    /** what each write handed to the recording effect */
    notices: ChangeNotice[];
    errors: unknown[][];
    clock: { now: () => number; advance: (ms: number) => void };
    db: MemoryDatabase;
    /** a fresh service on the same instance state (a new engine invocation) */
    again: () => MetadataService;
    caller: (username: string) => Caller;
}

export interface HarnessOptions {
    engine?: FakeEngine;
    /** effects besides the recording one (which always runs first) */
    effects?: AfterWriteEffect[];
    /** also deliver events through the real events effect */
    withEvents?: boolean;
    effectsBudgetMs?: number;
}

export function harness(options: HarnessOptions = {}): Harness {
    const engine = options.engine ?? world();
    const db = new MemoryDatabase();
    const connection = db.connect();
    engine.persistenceRead = connection.read;
    engine.persistence = connection.persistence;
    let now = START;
    const clock = { now: () => now, advance: (ms: number) => { now += ms; } };
    const notices: ChangeNotice[] = [];
    const errors: unknown[][] = [];
    const log = { error: (...args: unknown[]) => { errors.push(args); } };
    const locks = new SubjectLocks();
    const rateLimiter = new WriteRateLimiter();
    const coalescer = new Coalescer((error) => errors.push(['coalescer', error]));
    let ids = 0;

    const build = (): MetadataService => {
        const read = engine.read;
        const modify = engine.modify;
        const store = new MetadataStore(connection.read, connection.persistence, { locks, backoffMs: 1 });
        const directory = createDirectory(read);
        const chat = createChat(read, modify);
        const choiceMessages = createChoiceMessages({ appId: 'app-id', chat, userNames: async (ids) => new Map(ids.flatMap((id) => {
            const user = engine.users.get(id);
            return user ? [[id, user.username] as const] : [];
        })) });
        const deps: ServiceDeps = {
            store,
            directory,
            settings: () => readSettings(read),
            effects: (settings) => [
                async (notice) => { notices.push(notice); },
                ...(options.withEvents ? [createEventsEffect({ store, directory, chat, settings, log, coalescer })] : []),
                // the summary on a message with choices (does nothing for other subjects)
                createChoiceSummaryEffect({ store, messages: choiceMessages, log }),
                ...(options.effects ?? []),
            ],
            deliveryRooms: chat,
            choiceMessages,
            snapshots: createSnapshotSender({ chat, clock }),
            rateLimiter,
            clock,
            newId: () => `op-${++ids}`,
            log,
            effectsBudgetMs: options.effectsBudgetMs,
        };
        return createMetadataService(deps);
    };

    const caller = (username: string): Caller => {
        const user = [...engine.users.values()].find((u) => u.username === username);
        if (!user) throw new Error(`no user ${username} in the fake engine`);
        return { id: user.id, username: user.username, roles: user.roles ?? [] };
    };

    return { engine, service: build(), notices, errors, clock, db, again: build, caller };
}

/** Runs a promise that must fail with a MetadataError and hands back its code, status and body. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string; body: Record<string, unknown> }> {
    try {
        await promise;
    } catch (error) {
        const e = error as { code: string; status: number; message: string; toJSON: () => Record<string, unknown> };
        if (typeof e?.toJSON !== 'function') throw error;
        return { code: e.code, status: e.status, message: e.message, body: e.toJSON() };
    }
    throw new Error('expected the operation to fail, and it succeeded');
}

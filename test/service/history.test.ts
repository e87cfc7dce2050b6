import { describe, expect, it } from 'vitest';

import { failure, harness } from './harness';

const me = { namespace: 'user', ref: 'me' } as const;
const alice = { namespace: 'user', ref: 'alice' } as const;

describe('history (SPEC §14)', () => {
    it('answers the changes after a revision, oldest first, with who and when', async () => {
        const { service, caller } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }] });
        await service.set(caller('alice'), me, { items: [{ key: 'b', value: 2 }] });
        const history = await service.history(caller('alice'), me, { since: 1, limit: 100 });
        expect(history.majorRevision).toBe(2);
        expect(history.entries).toEqual([
            { majorRevision: 2, at: expect.any(String), actor: 'u-alice', changed: [{ key: 'b', value: 2, visibility: 'private' }], removed: [] },
        ]);
    });

    it('shows readers without private access only public items, and a key turned private as removed', async () => {
        const { service, caller } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'pub', value: 1, visibility: 'public' }, { key: 'secret', value: 2 }] });
        await service.set(caller('alice'), me, { items: [{ key: 'pub', value: 1, visibility: 'private' }] });
        const seenByBob = await service.history(caller('bob'), alice, { since: 0, limit: 100 });
        expect(seenByBob.entries.map((e) => [e.changed.map((c) => c.key), e.removed])).toEqual([[['pub'], []], [[], ['pub']]]);
        const seenByAdmin = await service.history(caller('root'), alice, { since: 0, limit: 100 });
        expect(seenByAdmin.entries[0].changed.map((c) => c.key)).toEqual(['pub', 'secret']);
    });

    it('never holds the cause of a write', async () => {
        const { service, caller } = harness();
        await service.set(caller('alice'), me, { items: [{ key: 'a', value: 1 }], cause: { ticket: 'SECRET-CAUSE' } });
        expect(JSON.stringify(await service.history(caller('alice'), me, { since: 0, limit: 100 }))).not.toContain('SECRET-CAUSE');
    });

    it('is 410 history_compacted with the oldest kept revision for revisions no longer kept', async () => {
        const { service, caller, engine } = harness();
        engine.settings.history_revisions = 2;
        for (let i = 0; i < 5; i++) await service.set(caller('alice'), me, { items: [{ key: 'a', value: i }] });
        const error = await failure(service.history(caller('alice'), me, { since: 0, limit: 100 }));
        expect([error.status, error.code, error.body.oldestKept]).toEqual([410, 'history_compacted', 4]);
    });

    it('is for those who may read the subject: 403 for a private room one is not in', async () => {
        const { service, caller } = harness();
        const error = await failure(service.history(caller('bob'), { namespace: 'room', ref: 'secret' }, { since: 0, limit: 100 }));
        expect([error.status, error.code]).toEqual([403, 'forbidden']);
    });
});

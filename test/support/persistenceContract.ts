// THE PERSISTENCE CONTRACT: what Rocket.Chat's app persistence (apps/meteor/app/apps/server/bridges/persistence.ts
// over one MongoDB collection, reached through the engine's accessors) does, as far as the app may rely on it or
// must survive it. Every stand-in the tests use must pass it: the in-memory database of the store tests
// (test/support/memoryPersistence.ts) and the SQLite bridge of the local host (host/bridges/PersistenceBridge.ts);
// test/store/persistenceContract.test.ts runs it against both, in every server flavour.
//
// Where server versions differ, the flavour says which one the implementation imitates:
//   update  'returns-id'          updateByAssociations answers the upserted id, or '' when it updated
//           'throws-after-write'  `result.upsertedId.toString()`: the id when it inserted, else a TypeError
//                                 thrown AFTER the update was written (current servers)
//   remove  'all' | 'one'         removeByAssociations deletes every match, or only one (`deleteOne`,
//                                 current servers); either way it answers the data of every match
//   purge   'all' | 'one'         uninstalling deletes every record, or one (`deleteOne({appId})`, current servers)
// Common to all: ids are ObjectId strings; create never overwrites; readByAssociations / removeByAssociations
// match with `$all` (a record matches when it holds every given association, in any order, extra ones allowed;
// `[]` matches nothing); updateByAssociations matches the exact array (order included) and `$set`s the whole
// `data` of the first match, or inserts when upserting; removeByAssociations answers `[]` when nothing matched
// (`find().toArray()` is never falsy, so the server's `if (!records) return undefined` never fires);
// `update(id)` throws "Not implemented."; `read(id)` answers `{}` for a missing record and is not scoped by app;
// data round-trips as JSON; an own `__proto__` key is refused (it breaks the app's channel to the engine).
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export interface PersistenceFlavour {
    update: 'returns-id' | 'throws-after-write';
    remove: 'one' | 'all';
    purge: 'one' | 'all';
}

export interface PersistenceAccessors {
    read: IPersistenceRead;
    persistence: IPersistence;
}

export interface PersistenceUnderTest extends PersistenceAccessors {
    flavour: PersistenceFlavour;
    /** what uninstalling the app does to its records */
    purge: () => Promise<void> | void;
    /** the same database as another app sees it (required when the contract runs with `appScoped`) */
    otherApp?: () => PersistenceAccessors;
    /** after each test */
    close?: () => Promise<void> | void;
}

const misc = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);
const user = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.USER, id);
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const MISSING_ID = 'ffffffffffffffffffffffff';
/** `upsertedId.toString()` on a null upsertedId */
const AFTER_WRITE = /Cannot read properties of null|toString/;

/** Sorted by JSON text: where the server gives no order, compare as multisets. */
function bag(values: unknown[] | undefined): string[] {
    return (values ?? []).map((v) => JSON.stringify(v)).sort();
}

export interface ContractOptions {
    /** the implementation keeps several apps' records apart, as the server does (the in-memory one holds one app) */
    appScoped: boolean;
}

/** Declares the contract's tests against the implementation `make` returns (a fresh, empty one per test). */
export function persistenceContract(label: string, make: () => PersistenceUnderTest | Promise<PersistenceUnderTest>, options: ContractOptions): void {
    describe(label, () => {
        let p: PersistenceUnderTest;
        let read: IPersistenceRead;
        let persistence: IPersistence;

        beforeEach(async () => {
            p = await make();
            ({ read, persistence } = p);
        });

        afterEach(async () => {
            await p?.close?.();
        });

        /** updateByAssociations, whose answer depends on the flavour: resolves to the id it answered, or 'threw' */
        async function update(associations: RocketChatAssociationRecord[], data: object, upsert: boolean): Promise<string> {
            try {
                return await persistence.updateByAssociations(associations, data, upsert);
            } catch (error) {
                expect(p.flavour.update, `updateByAssociations threw: ${error}`).toBe('throws-after-write');
                expect(String((error as Error)?.message)).toMatch(AFTER_WRITE);
                return 'threw';
            }
        }

        describe('create', () => {
            it('answers an ObjectId string, never the same one twice, also for creates in parallel', async () => {
                const ids = await Promise.all(
                    Array.from({ length: 60 }, (_, i) =>
                        i % 3 === 0
                            ? persistence.create({ i })
                            : i % 3 === 1
                              ? persistence.createWithAssociation({ i }, misc('ids'))
                              : persistence.createWithAssociations({ i }, [misc('ids'), misc(`n:${i}`)]),
                    ),
                );
                for (const id of ids) expect(id).toMatch(OBJECT_ID);
                expect(new Set(ids).size).toBe(ids.length);
                expect(await read.readByAssociations([misc('ids')])).toHaveLength(40);
                expect(await read.read(ids[0])).toEqual({ i: 0 });
            });

            it('never overwrites: the same associations twice make two records', async () => {
                const first = await persistence.createWithAssociations({ n: 1 }, [misc('same')]);
                const second = await persistence.createWithAssociations({ n: 2 }, [misc('same')]);
                expect(first).not.toBe(second);
                expect(bag(await read.readByAssociations([misc('same')]))).toEqual(bag([{ n: 1 }, { n: 2 }]));
            });

            it('read(id) answers the data only, and {} for a record that does not exist', async () => {
                const id = await persistence.createWithAssociation({ mine: true }, misc('r'));
                expect(await read.read(id)).toEqual({ mine: true });
                expect(await read.read(MISSING_ID)).toEqual({});
            });
        });

        describe('readByAssociations matches with $all', () => {
            beforeEach(async () => {
                await persistence.createWithAssociations({ n: 'abc' }, [misc('a'), misc('b'), misc('c')]);
                await persistence.createWithAssociations({ n: 'ab' }, [misc('b'), misc('a')]);
                await persistence.createWithAssociations({ n: 'a' }, [misc('a')]);
                await persistence.createWithAssociations({ n: 'user-a' }, [user('a')]);
            });

            const ns = async (associations: RocketChatAssociationRecord[]) => ((await read.readByAssociations(associations)) as Array<{ n: string }>).map((r) => r.n).sort();

            it('a record holding more associations than asked for matches (superset arrays match)', async () => {
                expect(await ns([misc('a')])).toEqual(['a', 'ab', 'abc']);
                expect(await ns([misc('a'), misc('b')])).toEqual(['ab', 'abc']);
                expect(await ns([misc('a'), misc('b'), misc('c')])).toEqual(['abc']);
                expect(await ns([misc('a'), misc('d')])).toEqual([]);
            });

            it('the order of the asked associations, and of the stored ones, is irrelevant', async () => {
                expect(await ns([misc('c'), misc('b'), misc('a')])).toEqual(['abc']);
                expect(await ns([misc('b'), misc('a')])).toEqual(['ab', 'abc']);
            });

            it('an empty array matches nothing', async () => {
                expect(await read.readByAssociations([])).toEqual([]);
            });

            it('an association is its model and id: user:a is not misc:a', async () => {
                expect(await ns([user('a')])).toEqual(['user-a']);
                expect(await ns([user('a'), misc('a')])).toEqual([]);
            });

            it('readByAssociation(x) is readByAssociations([x]); a repeated association changes nothing', async () => {
                expect(bag(await read.readByAssociation(misc('b')))).toEqual(bag(await read.readByAssociations([misc('b')])));
                expect(await ns([misc('b'), misc('b')])).toEqual(['ab', 'abc']);
            });

            it('answers the data only, no ids or associations', async () => {
                expect(await read.readByAssociations([misc('c')])).toEqual([{ n: 'abc' }]);
            });
        });

        describe('updateByAssociations matches the exact array', () => {
            it('updates the record whose array is exactly the given one, order included; another order is another record', async () => {
                await persistence.createWithAssociations({ v: 'ab' }, [misc('a'), misc('b')]);
                await persistence.createWithAssociations({ v: 'abc' }, [misc('a'), misc('b'), misc('c')]);
                await update([misc('a'), misc('b')], { v: 'ab2' }, true);
                expect(bag(await read.readByAssociations([misc('a'), misc('b')]))).toEqual(bag([{ v: 'ab2' }, { v: 'abc' }]));
                // [b, a] is not [a, b]: an upsert inserts a third record and leaves the others alone
                const id = await update([misc('b'), misc('a')], { v: 'ba' }, true);
                expect(id).toMatch(OBJECT_ID);
                expect(bag(await read.readByAssociations([misc('a'), misc('b')]))).toEqual(bag([{ v: 'ab2' }, { v: 'abc' }, { v: 'ba' }]));
                expect(await read.read(id)).toEqual({ v: 'ba' });
            });

            it('a subset or a superset of a stored array is not a match: without upsert nothing is written', async () => {
                await persistence.createWithAssociations({ v: 'ab' }, [misc('a'), misc('b')]);
                await update([misc('a')], { v: 'x' }, false);
                await update([misc('a'), misc('b'), misc('c')], { v: 'y' }, false);
                expect(await read.readByAssociations([misc('a')])).toEqual([{ v: 'ab' }]);
            });

            it('upserts: inserts a record with exactly that array when none matches, answering its id', async () => {
                const id = await persistence.updateByAssociations([misc('u'), misc('v')], { v: 1 }, true);
                expect(id).toMatch(OBJECT_ID);
                expect(await read.read(id)).toEqual({ v: 1 });
                expect(await read.readByAssociations([misc('v'), misc('u')])).toEqual([{ v: 1 }]);
                // the inserted array is matched exactly afterwards
                await update([misc('u'), misc('v')], { v: 2 }, true);
                expect(await read.readByAssociations([misc('u')])).toEqual([{ v: 2 }]);
            });

            it('replaces the whole data (it $sets `data`, no merge) and keeps the record', async () => {
                const id = await persistence.createWithAssociations({ a: 1, b: { c: 2 } }, [misc('w')]);
                await update([misc('w')], { a: 3 }, false);
                expect(await read.read(id)).toEqual({ a: 3 });
            });

            it('updates only the first of several records with the exact array', async () => {
                await persistence.createWithAssociations({ n: 1 }, [misc('twice')]);
                await persistence.createWithAssociations({ n: 2 }, [misc('twice')]);
                await update([misc('twice')], { n: 3 }, true);
                const stored = bag(await read.readByAssociations([misc('twice')]));
                expect(stored).toHaveLength(2);
                expect(stored).toContain(JSON.stringify({ n: 3 }));
                expect(stored.filter((s) => s === JSON.stringify({ n: 3 }))).toHaveLength(1);
            });

            it('updateByAssociation(x) is the exact array [x]', async () => {
                await persistence.createWithAssociations({ v: 'x' }, [misc('x')]);
                await persistence.createWithAssociations({ v: 'xy' }, [misc('x'), misc('y')]);
                try {
                    await persistence.updateByAssociation(misc('x'), { v: 'x2' });
                } catch (error) {
                    expect(p.flavour.update).toBe('throws-after-write');
                    expect(String(error)).toMatch(AFTER_WRITE);
                }
                expect(bag(await read.readByAssociation(misc('x')))).toEqual(bag([{ v: 'x2' }, { v: 'xy' }]));
            });

            it(`answers as its flavour does: the upserted id, or '' / a TypeError after the write when it updated`, async () => {
                const inserted = await persistence.updateByAssociations([misc('f')], { v: 1 }, true);
                expect(inserted).toMatch(OBJECT_ID);
                if (p.flavour.update === 'returns-id') {
                    expect(await persistence.updateByAssociations([misc('f')], { v: 2 }, true)).toBe('');
                    expect(await persistence.updateByAssociations([misc('none')], { v: 3 }, false)).toBe('');
                } else {
                    // the update lands, THEN the answer throws
                    await expect(persistence.updateByAssociations([misc('f')], { v: 2 }, true)).rejects.toThrow(AFTER_WRITE);
                    await expect(persistence.updateByAssociations([misc('none')], { v: 3 }, false)).rejects.toThrow(AFTER_WRITE);
                }
                expect(await read.read(inserted)).toEqual({ v: 2 });
                expect(await read.readByAssociations([misc('none')])).toEqual([]);
            });

            it('update(id) is not implemented', async () => {
                const id = await persistence.createWithAssociation({ v: 1 }, misc('id'));
                await expect(persistence.update(id, { v: 2 })).rejects.toThrow('Not implemented.');
                expect(await read.read(id)).toEqual({ v: 1 });
            });
        });

        describe('removeByAssociations', () => {
            beforeEach(async () => {
                await persistence.createWithAssociations({ n: 1 }, [misc('rm'), misc('x')]);
                await persistence.createWithAssociations({ n: 2 }, [misc('y'), misc('rm'), misc('x')]);
                await persistence.createWithAssociations({ n: 3 }, [misc('rm')]);
                await persistence.createWithAssociations({ n: 4 }, [misc('keep'), misc('x')]);
            });

            it(`matches with $all and answers every match's data; deletes one match or all, as its flavour does`, async () => {
                const answer = await persistence.removeByAssociations([misc('x'), misc('rm')]);
                expect(bag(answer)).toEqual(bag([{ n: 1 }, { n: 2 }]));
                const left = bag(await read.readByAssociations([misc('rm')]));
                if (p.flavour.remove === 'all') {
                    expect(left).toEqual(bag([{ n: 3 }]));
                } else {
                    // exactly one of the two matches is gone
                    expect(left).toHaveLength(2);
                    expect(left).toContain(JSON.stringify({ n: 3 }));
                }
                expect(await read.readByAssociations([misc('keep')])).toEqual([{ n: 4 }]);
            });

            it('removeByAssociation(x) is removeByAssociations([x]); calling again removes the rest', async () => {
                let rounds = 0;
                for (let answer = await persistence.removeByAssociation(misc('rm')); answer.length > 0; answer = await persistence.removeByAssociation(misc('rm'))) {
                    expect(answer).toHaveLength(3 - (p.flavour.remove === 'one' ? rounds : 0));
                    rounds++;
                    expect(rounds).toBeLessThanOrEqual(3);
                }
                expect(rounds).toBe(p.flavour.remove === 'one' ? 3 : 1);
                expect(await read.readByAssociations([misc('x')])).toEqual([{ n: 4 }]);
            });

            it('answers [] when nothing matches (never undefined), and deletes nothing', async () => {
                expect(await persistence.removeByAssociations([misc('rm'), misc('keep')])).toEqual([]);
                expect(await persistence.removeByAssociation(misc('nothing'))).toEqual([]);
                expect(await persistence.removeByAssociations([])).toEqual([]);
                expect(await read.readByAssociations([misc('x')])).toHaveLength(3);
            });

            it('remove(id) answers the data it deleted, undefined for a missing id, and throws for a non-ObjectId', async () => {
                const id = await persistence.createWithAssociation({ gone: true }, misc('by-id'));
                expect(await persistence.remove(id)).toEqual({ gone: true });
                expect(await read.readByAssociation(misc('by-id'))).toEqual([]);
                expect(await persistence.remove(id)).toBeUndefined();
                await expect(persistence.remove('not-an-object-id')).rejects.toThrow(/24 character hex/);
            });
        });

        describe('data', () => {
            it('round-trips as JSON: nested values kept, strings stay strings, undefined dropped, Dates become ISO text', async () => {
                const data = {
                    text: 'Grüße, 世界 🚀',
                    empty: '',
                    isoLike: '2024-01-01T00:00:00.000Z',
                    numbers: [0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER],
                    flags: [true, false],
                    nothing: null,
                    nested: { deep: { deeper: [{ k: 'v' }, [1, [2]]] } },
                    constructor: 'a plain key',
                    gone: undefined,
                    when: new Date('2024-02-03T04:05:06.007Z'),
                };
                const id = await persistence.createWithAssociation(data, misc('json'));
                const expected = JSON.parse(JSON.stringify(data));
                expect(expected).not.toHaveProperty('gone');
                expect(await read.read(id)).toEqual(expected);
                expect(await read.readByAssociation(misc('json'))).toEqual([expected]);
                await update([misc('json')], data, true);
                expect(await read.read(id)).toEqual(expected);
            });

            it('keeps what was written, whatever the caller does to its objects afterwards', async () => {
                const data = { list: [1], inner: { a: 1 } };
                const id = await persistence.createWithAssociation(data, misc('copy'));
                data.list.push(2);
                data.inner.a = 2;
                const first = (await read.read(id)) as typeof data;
                first.inner.a = 3;
                expect(await read.read(id)).toEqual({ list: [1], inner: { a: 1 } });
            });

            it('refuses an own __proto__ key anywhere in the data, and stores nothing', async () => {
                const top = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as object;
                const nested = JSON.parse('{"a": [{"b": {"__proto__": 1}}]}') as object;
                await expect(persistence.createWithAssociation(top, misc('proto'))).rejects.toThrow(/__proto__/);
                await expect(persistence.createWithAssociations(nested, [misc('proto')])).rejects.toThrow(/__proto__/);
                await expect(persistence.updateByAssociations([misc('proto')], nested, true)).rejects.toThrow(/__proto__/);
                expect(await read.readByAssociation(misc('proto'))).toEqual([]);
                expect(({} as Record<string, unknown>).polluted).toBeUndefined();
            });
        });

        describe('purge (uninstalling the app)', () => {
            it('deletes every record, or only one, as its flavour does', async () => {
                for (let i = 0; i < 5; i++) await persistence.createWithAssociations({ i }, [misc('purge'), misc(`p:${i}`)]);
                await p.purge();
                expect(await read.readByAssociation(misc('purge'))).toHaveLength(p.flavour.purge === 'all' ? 0 : 4);
                await p.purge();
                expect(await read.readByAssociation(misc('purge'))).toHaveLength(p.flavour.purge === 'all' ? 0 : 3);
            });
        });

        // Declared only where it applies: the in-memory database is one app's collection.
        if (options.appScoped) describe('apps', () => {
            it(`one app's records are invisible to another: read, update, remove and purge by associations`, async () => {
                if (!p.otherApp) throw new Error(`${label}: an app-scoped implementation must give otherApp()`);
                const other = p.otherApp();
                const id = await persistence.createWithAssociations({ app: 'mine' }, [misc('shared')]);
                expect(await other.read.readByAssociation(misc('shared'))).toEqual([]);
                expect(await other.persistence.removeByAssociation(misc('shared'))).toEqual([]);
                expect(await other.persistence.remove(id)).toBeUndefined();
                // an upsert of the same exact array by the other app inserts the other app's own record
                expect(await other.persistence.updateByAssociation(misc('shared'), { app: 'other' }, true)).toMatch(OBJECT_ID);
                expect(await read.readByAssociation(misc('shared'))).toEqual([{ app: 'mine' }]);
                expect(await other.read.readByAssociation(misc('shared'))).toEqual([{ app: 'other' }]);
                // read(id) is NOT scoped by app on a server
                expect(await other.read.read(id)).toEqual({ app: 'mine' });
                for (let i = 0; i < 3; i++) await persistence.createWithAssociations({ i }, [misc('shared')]);
                await p.purge();
                await p.purge();
                expect(await other.read.readByAssociation(misc('shared'))).toEqual([{ app: 'other' }]);
            });
        });
    });
}

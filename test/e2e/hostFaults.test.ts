// The local host's fault injection on its own (no engine, no Deno): a paused persistence write is held BEFORE it
// takes effect, the caller waits, and the write then lands as it would have — never cancelled. Per instance: every
// instance counts only its own writes, and any instance may arm a fault for another (they share the store).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HostPersistenceBridge } from '../../host/bridges/PersistenceBridge';
import { instanceArgs, parseCli } from '../../host/cli';
import { DEFAULT_PERSISTENCE_SWITCHES, HostContext, type PersistenceSwitches } from '../../host/engine/context';
import { formatPauseWrite, parsePauseWrite, validatePauseSpec, WriteFaults } from '../../host/engine/faults';
import { Store } from '../../host/store/Store';

type Assoc = { model: string; id: string };

interface Bridge {
    createWithAssociations(data: object, associations: Assoc[], appId: string): Promise<string>;
    readByAssociations(associations: Assoc[], appId: string): Promise<object[]>;
    removeByAssociations(associations: Assoc[], appId: string): Promise<object[] | undefined>;
    updateByAssociations(associations: Assoc[], data: object, upsert: boolean, appId: string): Promise<string>;
}

const APP = 'app-under-test';
const misc = (id: string): Assoc => ({ model: 'misc', id });

let dir: string;
let store: Store;

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-faults-'));
    store = new Store(dir);
});

afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

/** One host instance's persistence bridge (instance `index`) over the shared store. */
function instance(index: number, switches: Partial<PersistenceSwitches> = {}): { ctx: HostContext; bridge: Bridge } {
    const ctx = new HostContext(store, `instance-${index}`, index, { ...DEFAULT_PERSISTENCE_SWITCHES, ...switches });
    return { ctx, bridge: new HostPersistenceBridge(ctx) as unknown as Bridge };
}

/** A sleep the test releases by hand, to look at the world while a write is held. */
function manualSleep() {
    const waiting: Array<{ ms: number; release: () => void }> = [];
    return {
        sleep: (ms: number) => new Promise<void>((resolve) => waiting.push({ ms, release: resolve })),
        waiting,
        releaseAll: () => waiting.splice(0).forEach((w) => w.release()),
    };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('a paused write', () => {
    it('holds the Nth write before it takes effect; the caller waits; then it lands, not cancelled', async () => {
        const { ctx, bridge } = instance(0);
        const fault = ctx.faults.arm({ nth: 2, pauseMs: 300 });
        expect(fault).toMatchObject({ instance: 0, method: 'any-write', nth: 2, pauseMs: 300, state: 'armed', seen: 0 });

        await bridge.createWithAssociations({ n: 1 }, [misc('w')], APP); // write 1: not held
        const started = Date.now();
        let answered = false;
        const held = bridge.createWithAssociations({ n: 2 }, [misc('w')], APP).then((id) => {
            answered = true;
            return id;
        });
        await settle();
        // held: not stored yet, not answered, and the table says so
        expect(await bridge.readByAssociations([misc('w')], APP)).toEqual([{ n: 1 }]);
        expect(answered).toBe(false);
        expect(ctx.faults.list()[0]).toMatchObject({ state: 'paused', seen: 2, call: { method: 'createWithAssociations', appId: APP, associations: [misc('w')] } });
        // other writes of the instance are not held meanwhile
        await bridge.createWithAssociations({ n: 3 }, [misc('w')], APP);

        expect(await held).toMatch(/^[0-9a-f]{24}$/);
        expect(Date.now() - started).toBeGreaterThanOrEqual(290);
        expect(await bridge.readByAssociations([misc('w')], APP)).toEqual([{ n: 1 }, { n: 3 }, { n: 2 }]);
        const done = ctx.faults.list()[0];
        expect(done).toMatchObject({ state: 'done', outcome: 'ok' });
        expect(Date.parse(done.resumedAt!) - Date.parse(done.pausedAt!)).toBeGreaterThanOrEqual(290);
        // fired once: the next writes are not held
        const t = Date.now();
        await bridge.createWithAssociations({ n: 4 }, [misc('w')], APP);
        expect(Date.now() - t).toBeLessThan(250);
    });

    it('lands even when the caller stopped waiting, and records the error a write answers after landing', async () => {
        const gate = manualSleep();
        const { ctx, bridge } = instance(0, { updateByAssociations: 'throws-after-write' });
        Object.defineProperty(ctx, 'faults', { value: new WriteFaults(store, 0, { sleep: gate.sleep }) });
        await bridge.updateByAssociations([misc('u')], { v: 1 }, true, APP);
        ctx.faults.arm({ method: 'updateByAssociations', nth: 1, pauseMs: 5000 });
        // the caller does not wait for it (as when the engine timed the request out)
        const abandoned = bridge.updateByAssociations([misc('u')], { v: 2 }, true, APP).catch((error: Error) => error);
        await settle();
        expect(gate.waiting.map((w) => w.ms)).toEqual([5000]);
        expect(await bridge.readByAssociations([misc('u')], APP)).toEqual([{ v: 1 }]);
        gate.releaseAll();
        // this flavour's answer throws AFTER the update was written
        expect(String(await abandoned)).toMatch(/toString/);
        expect(await bridge.readByAssociations([misc('u')], APP)).toEqual([{ v: 2 }]);
        expect(ctx.faults.list()[0]).toMatchObject({ state: 'done', outcome: 'error', error: expect.stringMatching(/toString/) });
    });

    it('counts only the writes of its method, and only those whose associations or data contain `match`', async () => {
        const gate = manualSleep();
        const { ctx, bridge } = instance(0);
        Object.defineProperty(ctx, 'faults', { value: new WriteFaults(store, 0, { sleep: gate.sleep }) });
        ctx.faults.arm({ method: 'createWithAssociations', match: 'needle', nth: 2, pauseMs: 1000 });
        await bridge.updateByAssociations([misc('needle')], { v: 1 }, true, APP); // other method
        await bridge.createWithAssociations({ v: 'hay' }, [misc('hay')], APP); // no match
        await bridge.createWithAssociations({ v: 'needle in the data' }, [misc('a')], APP); // 1st counted
        await bridge.removeByAssociations([misc('needle')], APP); // other method
        expect(ctx.faults.list()[0]).toMatchObject({ state: 'armed', seen: 1 });
        const held = bridge.createWithAssociations({ v: 2 }, [misc('b'), misc('needle')], APP); // 2nd counted: held
        await settle();
        expect(gate.waiting).toHaveLength(1);
        gate.releaseAll();
        await held;
        expect(ctx.faults.list()[0]).toMatchObject({ state: 'done', seen: 2, call: { method: 'createWithAssociations', associations: [misc('b'), misc('needle')] } });
    });

    it('any-write counts create, update and remove calls alike', async () => {
        const gate = manualSleep();
        const { ctx, bridge } = instance(0);
        Object.defineProperty(ctx, 'faults', { value: new WriteFaults(store, 0, { sleep: gate.sleep }) });
        ctx.faults.arm({ nth: 3, pauseMs: 10 });
        await bridge.createWithAssociations({ v: 1 }, [misc('x')], APP);
        await bridge.updateByAssociations([misc('y')], { v: 1 }, true, APP);
        await bridge.readByAssociations([misc('x')], APP); // a read is not a write
        const held = bridge.removeByAssociations([misc('x')], APP);
        await settle();
        expect(gate.waiting).toHaveLength(1);
        expect(await bridge.readByAssociations([misc('x')], APP)).toEqual([{ v: 1 }]);
        gate.releaseAll();
        expect(await held).toEqual([{ v: 1 }]);
        expect(await bridge.readByAssociations([misc('x')], APP)).toEqual([]);
    });
});

describe('per instance', () => {
    it("holds only the writes of the instance it names; each instance counts its own; any instance arms for another", async () => {
        const one = instance(0);
        const two = instance(1);
        const gate = manualSleep();
        Object.defineProperty(two.ctx, 'faults', { value: new WriteFaults(store, 1, { sleep: gate.sleep }) });
        // armed through instance 0, for instance 1's second write
        const fault = one.ctx.faults.arm({ instance: 1, nth: 2, pauseMs: 12_000 });
        expect(fault.instance).toBe(1);
        for (let i = 0; i < 3; i++) await one.bridge.createWithAssociations({ i }, [misc('one')], APP);
        expect(two.ctx.faults.list(1)[0]).toMatchObject({ state: 'armed', seen: 0 });
        await two.bridge.createWithAssociations({ i: 0 }, [misc('two')], APP);
        const held = two.bridge.createWithAssociations({ i: 1 }, [misc('two')], APP);
        await settle();
        expect(gate.waiting.map((w) => w.ms)).toEqual([12_000]);
        // instance 0 writes on meanwhile, and sees the same table
        await one.bridge.createWithAssociations({ i: 3 }, [misc('one')], APP);
        expect(one.ctx.faults.list()[0]).toMatchObject({ instance: 1, state: 'paused' });
        gate.releaseAll();
        await held;
        expect(await one.bridge.readByAssociations([misc('two')], APP)).toEqual([{ i: 0 }, { i: 1 }]);
    });

    it('clear disarms armed faults; a restarted instance drops what an earlier run left armed', async () => {
        const { ctx, bridge } = instance(0);
        ctx.faults.arm({ nth: 1, pauseMs: 60_000 });
        ctx.faults.arm({ instance: 1, nth: 1, pauseMs: 60_000 });
        expect(ctx.faults.clear(0)).toBe(1);
        const t = Date.now();
        await bridge.createWithAssociations({ v: 1 }, [misc('c')], APP);
        expect(Date.now() - t).toBeLessThan(250);
        expect(ctx.faults.list().map((f) => f.state)).toEqual(['cleared', 'armed']);
        new WriteFaults(store, 1).resetOwn();
        expect(ctx.faults.list().map((f) => f.state)).toEqual(['cleared', 'cleared']);
    });

    it('refuses nonsense', () => {
        const { ctx } = instance(0);
        expect(() => ctx.faults.arm({ nth: 0, pauseMs: 10 })).toThrow(/nth/);
        expect(() => ctx.faults.arm({ nth: 1, pauseMs: -1 })).toThrow(/pauseMs/);
        expect(() => ctx.faults.arm({ nth: 1, pauseMs: 10_000_000 })).toThrow(/pauseMs/);
        expect(() => validatePauseSpec({ nth: 1, pauseMs: 1, method: 'read' })).toThrow(/method/);
        expect(() => validatePauseSpec({ nth: 1, pauseMs: 1, instance: -1 })).toThrow(/instance/);
        expect(() => validatePauseSpec({ nth: 1, pauseMs: 1, match: '' })).toThrow(/match/);
        expect(ctx.faults.list()).toEqual([]);
    });
});

describe('switches', () => {
    it('--pause-write N:M[:METHOD][@I] and --persistence-purge, passed on to every instance of a cluster', () => {
        expect(parsePauseWrite('3:12000')).toEqual({ instance: undefined, method: 'any-write', nth: 3, pauseMs: 12000 });
        expect(parsePauseWrite('1:500:updateByAssociations@1')).toEqual({ instance: 1, method: 'updateByAssociations', nth: 1, pauseMs: 500 });
        expect(() => parsePauseWrite('3')).toThrow(/N:M/);
        expect(() => parsePauseWrite('0:10')).toThrow(/nth/);
        expect(() => parsePauseWrite('1:10:readById')).toThrow(/method/);

        const opts = parseCli(['--instances', '2', '--pause-write', '2:12000@1', '--pause-write=1:50:createWithAssociations', '--persistence-purge', 'all']);
        expect(opts.switches.purge).toBe('all');
        expect(opts.pauseWrites.map(formatPauseWrite)).toEqual(['2:12000@1', '1:50:createWithAssociations']);
        const child = instanceArgs(opts, 1, 3001);
        expect(child.join(' ')).toContain('--persistence-purge all');
        expect(child.join(' ')).toContain('--pause-write 2:12000@1 --pause-write 1:50:createWithAssociations');
        expect(parseCli(child).pauseWrites).toEqual(opts.pauseWrites);
        expect(parseCli([]).switches.purge).toBe('one');
        expect(() => parseCli(['--persistence-purge', 'some'])).toThrow(/one \| all/);
    });
});

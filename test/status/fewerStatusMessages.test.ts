// Fewer, better status messages (issue 8): votes and other state operations post none unless the admin
// asks for them, and one user's burst of changes to a room within the coalescing window is one message.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Coalescer } from '../../src/surfaces/events/coalescer';
import { createRoomStatusMessage } from '../../src/surfaces/status/roomStatusMessage';
import { AppSettingsValues } from '../../src/settings';
import { createChat } from '../../src/engine/chat';
import { item, notice, settings } from '../support/changes';
import { FakeEngine } from '../support/fakeEngine';

const bob = { id: 'u-bob', username: 'bob', roles: ['user'] };
const vote = notice({ stateChanged: ['votes'] });
/** The room's items after every write of a test: a, b and c (public). */
const itemsNow = [item('a', 'one', 'public'), item('b', 'two', 'public'), item('c', 'three', 'public')];
const write = (key: string, _value: string, actor = notice().actor) => notice({ actor, changed: [key], set: { majorRevision: 3, items: itemsNow } });

function setup(overrides: Partial<AppSettingsValues> = {}) {
    const engine = new FakeEngine({ rooms: [{ id: 'r-1', name: 'planning', type: 'c', creator: 'u-owner' }] });
    const coalescer = new Coalescer(() => undefined);
    const effect = createRoomStatusMessage({ chat: createChat(engine.read, engine.modify), logger: engine.logger, settings: settings(overrides), coalescer });
    return { engine, effect, coalescer };
}

describe('state operations post no room status message unless an admin setting says so', () => {
    it('a vote posts nothing out of the box', async () => {
        const { engine, effect } = setup();
        await effect(vote);
        expect(engine.posted).toEqual([]);
    });

    it('with "Room status messages for state changes" on, a vote says which state key changed', async () => {
        const { engine, effect } = setup({ stateStatusMessages: true });
        await effect(vote);
        expect(engine.posted.map((message) => message.text)).toEqual(['alice updated state: `votes`']);
    });

    it('the setting is off by default', () => {
        expect(settings().stateStatusMessages).toBe(false);
    });

    it('with room status messages off, not even the state setting posts', async () => {
        const { engine, effect } = setup({ roomStatusMessages: false, stateStatusMessages: true });
        await effect(vote);
        await effect(write('topic', 'x'));
        expect(engine.posted).toEqual([]);
    });
});

describe('bursts from one user in one room within the coalescing window become one message', () => {
    beforeEach(() => {
        vi.useFakeTimers();
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    it('three writes by alice within the window are one message naming all three', async () => {
        const { engine, effect, coalescer } = setup({ coalesceWindowMs: 1000 });
        await effect(write('a', '1'));
        await vi.advanceTimersByTimeAsync(300);
        await effect(write('b', '2'));
        await effect(write('c', '3'));
        expect(engine.posted).toEqual([]);
        await vi.advanceTimersByTimeAsync(1000);
        expect(engine.posted.map((message) => message.text)).toEqual(['alice changed metadata: `a` = `one`, `b` = `two`, `c` = `three`']);
        expect(coalescer.size).toBe(0);
    });

    it('another user\'s change in the same window is their own message', async () => {
        const { engine, effect } = setup({ coalesceWindowMs: 1000 });
        await effect(write('a', '1'));
        await effect(write('b', '2', bob));
        await vi.advanceTimersByTimeAsync(1000);
        expect(engine.posted.map((message) => message.text).sort()).toEqual(['alice changed metadata: `a` = `one`', 'bob changed metadata: `b` = `two`']);
    });

    it('a change after the window closed is a message of its own', async () => {
        const { engine, effect } = setup({ coalesceWindowMs: 1000 });
        await effect(write('a', '1'));
        await vi.advanceTimersByTimeAsync(1000);
        await effect(write('b', '2'));
        await vi.advanceTimersByTimeAsync(1000);
        expect(engine.posted).toHaveLength(2);
    });

    it('a vote does not hold a window open while state messages are off', async () => {
        const { engine, effect, coalescer } = setup({ coalesceWindowMs: 1000 });
        await effect(vote);
        expect(coalescer.size).toBe(0);
        await vi.advanceTimersByTimeAsync(1000);
        expect(engine.posted).toEqual([]);
    });

    it('without a window (0, the default) every change posts at once', async () => {
        const { engine, effect } = setup();
        await effect(write('a', '1'));
        await effect(write('b', '2'));
        expect(engine.posted).toHaveLength(2);
    });
});

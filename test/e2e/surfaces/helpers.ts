// Shared helpers for the end-to-end surface suites (test/e2e/surfaces/*.test.ts): they read what a client of the
// local host sees (REST answers, ephemeral notifications, room messages) and never reach into the app.
import { expect } from 'vitest';

import { SEED_ROOMS, SEED_USERS, type HostInstance, type UserName } from '../../support/host';
import type { NotificationRecord } from '../../../host/store/docs';

export const BOT = 'metadata-store.bot';
export const TEAM = SEED_ROOMS.team.id;
export const SECRET = SEED_ROOMS.secret.id;
export const GENERAL = SEED_ROOMS.general.id;
export const ID = {
    admin: SEED_USERS.admin.id,
    alice: SEED_USERS.alice.id,
    bob: SEED_USERS.bob.id,
    carol: SEED_USERS.carol.id,
};

export interface Item {
    key: string;
    value: unknown;
    revision: number;
    updatedAt: string;
    updatedBy: string;
    visibility: 'public' | 'private';
}

export interface MetadataView {
    subject: { namespace: 'user' | 'room'; id: string; name: string };
    majorRevision: number;
    items: Item[];
    document: Record<string, unknown>;
    state: Record<string, { type: string; byUser: Record<string, unknown>; summary: Array<{ value: unknown; count: number; users: string[] }> }>;
}

export interface MetadataEvent extends MetadataView {
    type: 'SNAPSHOT' | 'UPDATE';
    changed: string[];
    removed: string[];
    stateChanged: string[];
    actor: { id: string; username: string };
    at: string;
    cause?: unknown;
}

export interface ErrorBody {
    error: { code: string; message: string; majorRevision?: number; items?: Array<{ key: string; revision: number }>; [k: string]: unknown };
}

/** The text of a command's replies, joined (a reply is normally one message). */
export function replyText(replies: NotificationRecord[]): string {
    return replies.map((r) => String(r.message.msg ?? '')).join('\n');
}

/** The metadata event a notification carries, if any. */
export function eventOf(n: NotificationRecord): MetadataEvent | undefined {
    return (n.message.customFields as { metadataEvent?: MetadataEvent } | undefined)?.metadataEvent;
}

export function eventsIn(notifications: NotificationRecord[]): MetadataEvent[] {
    return notifications.map(eventOf).filter((e): e is MetadataEvent => e !== undefined);
}

/** The sequence number after which new notifications of `user` will appear. */
export async function mark(instance: HostInstance, user: UserName): Promise<number> {
    const all = await instance.notifications(user);
    return all.length ? all[all.length - 1].seq : 0;
}

/**
 * Waits (generously: delivery is asynchronous) until `user` has received, after `since`, a metadata event that
 * passes `match`; returns that notification.
 */
export async function waitForEvent(
    instance: HostInstance,
    user: UserName,
    since: number,
    match: (e: MetadataEvent) => boolean,
    timeoutMs = 10_000,
): Promise<NotificationRecord> {
    const deadline = Date.now() + timeoutMs;
    let seen: NotificationRecord[] = [];
    for (;;) {
        seen = await instance.notifications(user, { since });
        const hit = seen.find((n) => {
            const e = eventOf(n);
            return e !== undefined && match(e);
        });
        if (hit) return hit;
        if (Date.now() > deadline) {
            throw new Error(`${user} got no matching event in ${timeoutMs} ms; got ${JSON.stringify(eventsIn(seen).map((e) => ({ type: e.type, subject: e.subject, changed: e.changed, removed: e.removed })))}`);
        }
        await instance.notifications(user, { since: seen.length ? seen[seen.length - 1].seq : since, wait: 500 });
    }
}

/**
 * Proves a negative about asynchronous delivery: writes a public "sentinel" change that `user` does get (through
 * `sentinel`), then checks that nothing before it matched `unwanted`. Events of one subject go out in write order.
 */
export async function expectNoEventBefore(
    instance: HostInstance,
    user: UserName,
    since: number,
    sentinel: () => Promise<unknown>,
    isSentinel: (e: MetadataEvent) => boolean,
    unwanted: (e: MetadataEvent) => boolean,
): Promise<MetadataEvent[]> {
    await sentinel();
    await waitForEvent(instance, user, since, isSentinel);
    const events = eventsIn(await instance.notifications(user, { since }));
    expect(events.filter(unwanted)).toEqual([]);
    return events;
}

/** Messages the app's bot posted in a room (oldest first). */
export async function botMessages(instance: HostInstance, room: string): Promise<Array<Record<string, unknown>>> {
    return (await instance.messages(room)).filter((m) => (m.u as { username?: string } | undefined)?.username === BOT);
}

/** Waits until the bot has posted more than `count` messages in the room; returns the new ones. */
export async function waitForBotMessages(instance: HostInstance, room: string, count: number, timeoutMs = 10_000): Promise<Array<Record<string, unknown>>> {
    let messages: Array<Record<string, unknown>> = [];
    await expect
        .poll(async () => {
            messages = await botMessages(instance, room);
            return messages.length;
        }, { timeout: timeoutMs, interval: 100 })
        .toBeGreaterThan(count);
    return messages.slice(count);
}

/** The customFields of a user (by username) or room (by id) as the host's users.info / rooms.info show them. */
export async function userCustomFields(instance: HostInstance, username: string): Promise<Record<string, unknown> | undefined> {
    return (await instance.userInfo(username))?.customFields as Record<string, unknown> | undefined;
}

export async function roomCustomFields(instance: HostInstance, room: string): Promise<Record<string, unknown> | undefined> {
    return (await instance.roomInfo(room)).customFields as Record<string, unknown> | undefined;
}

/** `@name` where the server's mention parser would count it (start, or after whitespace, `>` or `<`). */
export function liveMentions(text: string): string[] {
    return [...text.matchAll(/(^|\s|>|<)@([0-9a-zA-Z-_.]+)/gm)].map((m) => m[2]);
}

export function keysOf(view: { items: Item[] }): string[] {
    return view.items.map((i) => i.key).sort();
}

export function itemOf(view: { items: Item[] }, key: string): Item | undefined {
    return view.items.find((i) => i.key === key);
}

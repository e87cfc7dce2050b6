// SPEC §8 — `/meta` as people type it, run by the packaged app in the real engine through the host's
// commands.run (the server's own argument splitting), with the replies read back as the caller's ephemeral messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import de from '../../../i18n/de.json';
import en from '../../../i18n/en.json';
import { startHost, type Host, type HostInstance } from '../../support/host';
import { BOT, botMessages, ID, itemOf, mark, replyText, TEAM, type MetadataView } from './helpers';

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost();
    a = host.first;
});

afterAll(async () => {
    await host?.stop();
});

async function aliceItems(): Promise<MetadataView> {
    const res = await a.api<MetadataView>('alice', 'GET', 'metadata/user/me');
    expect(res.status).toBe(200);
    return res.body;
}

describe('/meta set and get', () => {
    it('`/meta set theme=dark` then `/meta get` shows theme = dark in a readable table', async () => {
        const set = await a.command('alice', 'team', 'set theme=dark');
        expect(set.status).toBe(200);
        expect(replyText(set.replies)).toMatch(/^✓ Saved on @alice · majorRevision \d+\n• `theme` = `dark` · rev \d+ · private$/);

        const get = await a.command('alice', 'team', 'get');
        const text = replyText(get.replies);
        expect(text).toContain('*@alice* · majorRevision');
        const table = text.split('\n');
        expect(table).toContain('```');
        expect(table.find((line) => line.startsWith('key '))).toMatch(/^key\s+\| value\s+\| rev\s+\| visibility$/);
        expect(table.find((line) => line.startsWith('theme '))).toMatch(/^theme\s+\| dark\s+\| \d+\s+\| private$/);
    });

    it('`/meta get me KEY` shows only that key and says which asked-for keys do not exist', async () => {
        await a.command('alice', 'team', 'set color=blue size=3');
        const text = replyText((await a.command('alice', 'team', 'get me color nosuchkey')).replies);
        expect(text).toMatch(/^color\s+\| blue/m);
        expect(text).not.toMatch(/^size\s/m);
        expect(text).toContain('Not found: `nosuchkey`');
    });

    it('`--public` makes an item readable by others, `--private` hides it again', async () => {
        await a.command('alice', 'team', 'set status=away --public');
        let bobView = (await a.api<MetadataView>('bob', 'GET', 'metadata/user/alice')).body;
        expect(itemOf(bobView, 'status')).toMatchObject({ value: 'away', visibility: 'public' });

        const reply = replyText((await a.command('alice', 'team', 'set status=busy --private')).replies);
        expect(reply).toContain('`status` = `busy`');
        expect(reply).toContain('private');
        bobView = (await a.api<MetadataView>('bob', 'GET', 'metadata/user/alice')).body;
        expect(itemOf(bobView, 'status')).toBeUndefined();
        expect(itemOf(await aliceItems(), 'status')).toMatchObject({ value: 'busy', visibility: 'private' });
    });

    it('reads values as JSON when they parse: numbers, booleans, arrays and single-quoted objects', async () => {
        const res = await a.command('alice', 'team', `set n=5 ok=true tags=[1,2] prefs='{"lang":"de","tz":"CET"}'`);
        expect(replyText(res.replies)).toContain('✓ Saved');
        const view = await aliceItems();
        expect(itemOf(view, 'n')?.value).toBe(5);
        expect(itemOf(view, 'ok')?.value).toBe(true);
        expect(itemOf(view, 'tags')?.value).toEqual([1, 2]);
        expect(itemOf(view, 'prefs')?.value).toEqual({ lang: 'de', tz: 'CET' });
    });

    it('keeps quoted words together as one text value, and JSON-quoted digits as text', async () => {
        await a.command('alice', 'team', `set title="hello big world" code='"42"' plain=hello`);
        const view = await aliceItems();
        expect(itemOf(view, 'title')?.value).toBe('hello big world');
        expect(itemOf(view, 'code')?.value).toBe('42');
        expect(itemOf(view, 'plain')?.value).toBe('hello');
    });

    it('writes dot keys that `get` shows and the HTTP document nests', async () => {
        await a.command('alice', 'team', 'set contact.first_name=Grace contact.last_name=Hopper');
        expect((await aliceItems()).document.contact).toEqual({ first_name: 'Grace', last_name: 'Hopper' });
    });

    it('writes the current room with `here` and another user with `@name` (as an admin)', async () => {
        const here = await a.command('alice', 'team', 'set here agenda=budget --public');
        expect(replyText(here.replies)).toContain('✓ Saved on #team');
        const room = (await a.api<MetadataView>('carol', 'GET', `metadata/room/${TEAM}`)).body;
        expect(itemOf(room, 'agenda')?.value).toBe('budget');

        const admin = await a.command('admin', 'general', 'set @carol badge=gold --public');
        expect(replyText(admin.replies)).toContain('✓ Saved on @carol');
        expect(itemOf((await a.api<MetadataView>('bob', 'GET', 'metadata/user/carol')).body, 'badge')).toMatchObject({ value: 'gold', updatedBy: ID.admin });
    });
});

describe('/meta revisions', () => {
    it('`--rev KEY=N` with a stale N is refused with a reply naming the current revisions, and nothing is written', async () => {
        await a.command('alice', 'team', 'set stage=draft');
        const current = itemOf(await aliceItems(), 'stage')!;
        const major = (await aliceItems()).majorRevision;
        const stale = current.revision + 7;

        const res = await a.command('alice', 'team', `set stage=final --rev stage=${stale}`);
        const text = replyText(res.replies);
        expect(text).toContain('Someone changed this first, so nothing was written');
        expect(text).toContain(`majorRevision ${major}`);
        expect(text).toContain(`\`stage\` is at rev ${current.revision}`);
        expect(text).toContain(`\`--rev stage=${current.revision}\``);
        expect(itemOf(await aliceItems(), 'stage')?.value).toBe('draft');
    });

    it('`--rev KEY=N` with the current N writes', async () => {
        const current = itemOf(await aliceItems(), 'stage')!;
        const res = await a.command('alice', 'team', `set stage=review --rev stage=${current.revision}`);
        expect(replyText(res.replies)).toContain('✓ Saved');
        expect(itemOf(await aliceItems(), 'stage')?.value).toBe('review');
    });

    it('`--rev KEY=0` creates only: on an existing key it says the key is at its revision', async () => {
        const current = itemOf(await aliceItems(), 'stage')!;
        const text = replyText((await a.command('alice', 'team', 'set stage=again --rev stage=0')).replies);
        expect(text).toContain(`\`stage\` is at rev ${current.revision}`);
        const created = replyText((await a.command('alice', 'team', 'set fresh=1 --rev fresh=0')).replies);
        expect(created).toContain('✓ Saved');
    });

    it('`--major N` with a stale N is refused with the current majorRevision and the flag to retry with', async () => {
        const major = (await aliceItems()).majorRevision;
        const text = replyText((await a.command('alice', 'team', `set stage=x --major ${major - 1}`)).replies);
        expect(text).toContain(`The set is now at majorRevision ${major}.`);
        expect(text).toContain(`\`--major ${major}\``);
        expect((await aliceItems()).majorRevision).toBe(major);
        const ok = replyText((await a.command('alice', 'team', `set stage=x --major ${major}`)).replies);
        expect(ok).toContain(`majorRevision ${major + 1}`);
    });
});

describe('/meta update, remove, merge and state', () => {
    it('`update` changes an existing item, and for a missing one says to use `set`', async () => {
        await a.command('alice', 'team', 'set mood=ok');
        expect(replyText((await a.command('alice', 'team', 'update mood=great')).replies)).toContain('✓ Updated on @alice');
        expect(itemOf(await aliceItems(), 'mood')?.value).toBe('great');

        const major = (await aliceItems()).majorRevision;
        const missing = replyText((await a.command('alice', 'team', 'update ghost=1')).replies);
        expect(missing).toContain('ghost');
        expect(missing).toContain('`update` changes existing items only, so nothing was written. Create it with `/meta set`.');
        expect((await aliceItems()).majorRevision).toBe(major);
    });

    it('`remove KEY` removes that item; removing a missing key is an error and removes nothing', async () => {
        await a.command('alice', 'team', 'set temp1=a temp2=b');
        const text = replyText((await a.command('alice', 'team', 'remove temp1')).replies);
        expect(text).toMatch(/^✓ Removed `temp1` from @alice · majorRevision \d+$/);
        const view = await aliceItems();
        expect(itemOf(view, 'temp1')).toBeUndefined();
        expect(itemOf(view, 'temp2')?.value).toBe('b');

        const missing = replyText((await a.command('alice', 'team', 'remove temp2 nothere')).replies);
        expect(missing).toContain('There is no item `nothere` to remove, so nothing was removed.');
        expect(itemOf(await aliceItems(), 'temp2')?.value).toBe('b');
    });

    it('`remove --all` empties the set but keeps counting majorRevision', async () => {
        await a.command('carol', 'team', 'set a=1 b=2');
        const before = (await a.api<MetadataView>('carol', 'GET', 'metadata/user/me')).body.majorRevision;
        const text = replyText((await a.command('carol', 'team', 'remove --all')).replies);
        expect(text).toBe(`✓ Removed all items from @carol · majorRevision ${before + 1}`);
        const after = (await a.api<MetadataView>('carol', 'GET', 'metadata/user/me')).body;
        expect(after.items.filter((i) => i.updatedBy === ID.carol)).toEqual([]);
        expect(after.majorRevision).toBe(before + 1);
    });

    it('`merge JSON` applies a merge patch as written in the README: objects merge, null removes', async () => {
        await a.command('alice', 'team', `set contact.phone=12345 contact.city=Paris`);
        const res = await a.command('alice', 'team', 'merge {"contact":{"phone":null,"email":"g@h.io"}}');
        const text = replyText(res.replies);
        expect(text).toContain('✓ Merged into @alice');
        expect(text).toContain('• set: `contact.email`');
        expect(text).toContain('• removed: `contact.phone`');
        const contact = (await aliceItems()).document.contact as Record<string, unknown>;
        expect(contact).toMatchObject({ city: 'Paris', email: 'g@h.io' });
        expect(contact).not.toHaveProperty('phone');
    });

    it('`merge` with something that is not a JSON object says what to write', async () => {
        const text = replyText((await a.command('alice', 'team', 'merge [1,2]')).replies);
        expect(text).toContain('`merge` needs a JSON object');
    });

    it('`state here votes add pizza --type set` adds to the caller\'s own entry, and `get here` counts it', async () => {
        const add = replyText((await a.command('carol', 'team', 'state here votes add pizza --type set')).replies);
        expect(add.split('\n')[0]).toBe('✓ Added `pizza` to `votes` on #team');
        await a.command('bob', 'team', 'state here votes add pizza');
        await a.command('bob', 'team', 'state here votes add pasta');
        const get = replyText((await a.command('carol', 'team', 'get here')).replies);
        expect(get).toContain('state `votes` (set): `pizza` ×2 (@bob, @carol), `pasta` ×1 (@bob)');
        const state = (await a.api<MetadataView>('carol', 'GET', `metadata/room/${TEAM}`)).body.state.votes;
        expect(state.type).toBe('set');
        expect(state.byUser).toEqual({ [ID.carol]: ['pizza'], [ID.bob]: expect.arrayContaining(['pizza', 'pasta']) });
    });

    it('`state … remove` takes the value out of the caller\'s entry only', async () => {
        await a.command('carol', 'team', 'state here lunch add soup --type set');
        await a.command('bob', 'team', 'state here lunch add soup');
        await a.command('bob', 'team', 'state here lunch add salad');
        const text = replyText((await a.command('bob', 'team', 'state here lunch remove soup')).replies);
        expect(text.split('\n')[0]).toBe('✓ Removed `soup` from `lunch` on #team');
        const state = (await a.api<MetadataView>('carol', 'GET', `metadata/room/${TEAM}`)).body.state.lunch;
        expect(state.byUser).toEqual({ [ID.carol]: ['soup'], [ID.bob]: ['salad'] });
    });

    it('`state` with another type than the key\'s first is refused with the reason', async () => {
        const text = replyText((await a.command('carol', 'team', 'state here votes add x --type lww')).replies);
        expect(text).toContain('A state key keeps the type of its first operation');
    });
});

describe('/meta help and errors', () => {
    it('`/meta help` lists every action and the TARGET forms', async () => {
        const text = replyText((await a.command('bob', 'team', 'help')).replies);
        for (const action of ['get', 'set', 'update', 'remove', 'merge', 'state', 'subscribe', 'unsubscribe', 'subscriptions']) {
            expect(text).toContain(`/meta ${action}`);
        }
        expect(text).toContain('*TARGET*: `@username`, `#room`, `me`');
    });

    it('a bare `/meta` opens the room\'s panel rather than answering in text (test/e2e/surfaces/panel.test.ts opens it)', async () => {
        const { replies } = await a.command('bob', 'team', '');
        expect(replies.filter((r) => r.kind !== 'uiInteraction').map((r) => r.message.msg)).toEqual([]);
    });

    it('an unknown action names it and lists the actions there are', async () => {
        const text = replyText((await a.command('bob', 'team', 'frobnicate x')).replies);
        expect(text).toContain('`frobnicate` is not a /meta command. Use one of: help, get, set, update, remove, merge, state, history, subscribe, unsubscribe, subscriptions, lock, unlock, locks, choose.');
        expect(text).toContain('Type `/meta help`');
    });

    it('an unknown option is named, with the options there are', async () => {
        const text = replyText((await a.command('bob', 'team', 'set x=1 --loud')).replies);
        expect(text).toContain('`--loud` is not an option');
    });

    it('a key without a value says to write KEY=VALUE', async () => {
        expect(replyText((await a.command('bob', 'team', 'set lonely')).replies)).toContain('`lonely` needs a value: write `lonely=VALUE`');
    });

    it('an invalid key explains the key rules', async () => {
        const text = replyText((await a.command('bob', 'team', 'set a..b=1')).replies);
        expect(text).toContain('The key `a..b` has an empty part');
        expect(text).toContain('dot-separated parts');
    });

    it('a `__proto__` member in a JSON value or merge patch is refused by name, nothing is written, and the app keeps answering', async () => {
        const before = (await a.api<MetadataView>('carol', 'GET', 'metadata/user/me')).body.majorRevision;
        const set = replyText((await a.command('carol', 'team', `set obj='{"__proto__":{"polluted":true},"fine":1}'`)).replies);
        expect(set).toContain('__proto__');
        expect(set).not.toContain('✓');
        const merge = replyText((await a.command('carol', 'team', `merge '{"__proto__":{"polluted":true},"merged":1}'`)).replies);
        expect(merge).toContain('__proto__');
        const view = (await a.api<MetadataView>('carol', 'GET', 'metadata/user/me')).body;
        expect(view.majorRevision).toBe(before);
        expect(JSON.stringify(view)).not.toContain('polluted');
        expect(replyText((await a.command('carol', 'team', 'help')).replies)).toContain('/meta');
        expect(await a.hostLog({ level: 'error' })).toEqual([]);
    });

    it('writing someone else\'s metadata says who may', async () => {
        const text = replyText((await a.command('bob', 'team', 'set @alice hacked=1')).replies);
        expect(text).toBe('Only @alice and admins may change the metadata of @alice.');
        expect(itemOf(await aliceItems(), 'hacked')).toBeUndefined();
    });

    it('an unknown user or room is reported as not found, with how to name one', async () => {
        expect(replyText((await a.command('bob', 'team', 'get @nobody')).replies)).toBe('No user has the id or username `nobody`. Name a user as `@username`, or use `me`.');
        expect(replyText((await a.command('bob', 'team', 'get #nowhere')).replies)).toBe('No room has the id or name `nowhere`. Name a room as `#room`, or use `here`.');
    });
});

describe('/meta never mangles a value (issue 8)', () => {
    it(`prefs='{"a":1} without its closing quote is refused with the line to type, and the object stays as it was`, async () => {
        await a.command('bob', 'team', `set prefs='{"a":0}'`);
        const before = (await a.api<MetadataView>('bob', 'GET', 'metadata/user/me')).body;
        const text = replyText((await a.command('bob', 'team', `set prefs='{"a":1}`)).replies);
        expect(text).toContain("opens a quote ' that is never closed, so nothing was written. Write it as `prefs='{\"a\":1}'`.");
        expect(text).not.toContain('✓');
        const after = (await a.api<MetadataView>('bob', 'GET', 'metadata/user/me')).body;
        expect(after.majorRevision).toBe(before.majorRevision);
        expect(itemOf(after, 'prefs')?.value).toEqual({ a: 0 });
    });

    it(`prefs3='{"a":1' is refused, never stored as text, with the object it was meant to be`, async () => {
        const text = replyText((await a.command('bob', 'team', `set prefs3='{"a":1'`)).replies);
        expect(text).toContain("Did you mean `prefs3='{\"a\":1}'`?");
        expect(itemOf((await a.api<MetadataView>('bob', 'GET', 'metadata/user/me')).body, 'prefs3')).toBeUndefined();
    });

    it('typographic quotes work as quotes: “…” holds text with spaces, and “5” stays the text "5"', async () => {
        const reply = replyText((await a.command('bob', 'team', 'set motto=“keep it simple” code=“5”')).replies);
        expect(reply).toContain('• `motto` = `keep it simple` · rev');
        expect(reply).toContain('• `code` = `"5"` · text · rev');
        const view = (await a.api<MetadataView>('bob', 'GET', 'metadata/user/me')).body;
        expect(itemOf(view, 'motto')?.value).toBe('keep it simple');
        expect(itemOf(view, 'code')?.value).toBe('5');
    });

    it('a number says it is one, and how to store the text instead', async () => {
        const reply = replyText((await a.command('bob', 'team', 'set count="5"')).replies);
        expect(reply).toContain('• `count` = `5` · number · rev');
        expect(reply).toContain('For the text, write `count=“5”`.');
    });

    it('setting a=2 lists a.b.c as removed; a merge names the null that found nothing', async () => {
        await a.command('bob', 'team', 'set a.b.c=1');
        const set = replyText((await a.command('bob', 'team', 'set a=2')).replies);
        expect(set).toContain('• removed, because the keys above replace them: `a.b.c`');
        const merge = replyText((await a.command('bob', 'team', 'merge {"a":null,"ghost":null}')).replies);
        expect(merge).toContain('• removed: `a`');
        expect(merge).toContain('• not there, so nothing to remove: `ghost`');
    });

    it('`/meta gte` suggests `get`', async () => {
        expect(replyText((await a.command('bob', 'team', 'gte')).replies)).toContain('`gte` is not a /meta command. Did you mean `/meta get`?');
    });

    it('unsubscribing from nothing says so', async () => {
        expect(replyText((await a.command('carol', 'team', 'unsubscribe @bob')).replies)).toContain('You were not subscribed to @bob, so there was nothing to end.');
    });

    it('a direct room is named by the other user, and a state summary names who holds each value', async () => {
        const dm = 'dmAliceBob';
        expect(replyText((await a.command('alice', dm, 'set here lunch=soon')).replies)).toMatch(/^✓ Saved on direct room with @bob · majorRevision \d+\n/);
        await a.command('alice', dm, 'state here menu add soup --type set');
        const reply = replyText((await a.command('bob', dm, 'state here menu add soup')).replies);
        expect(reply).toBe('✓ Added `soup` to `menu` on direct room with @alice\nstate `menu` (set): `soup` ×2 (@alice, @bob)');
    });
});

describe('/meta replies are ephemeral', () => {
    it('reach only the caller, from the bot, in the room of the command, and are not posted as room messages', async () => {
        const bobBefore = await mark(a, 'bob');
        const carolBefore = await mark(a, 'carol');
        const roomBefore = (await a.messages('team')).length;

        const res = await a.command('alice', 'team', 'set quiet=1');
        expect(res.replies).toHaveLength(1);
        expect(res.replies[0]).toMatchObject({ userId: ID.alice, roomId: TEAM, kind: 'ephemeral' });
        expect((res.replies[0].message.u as { username: string }).username).toBe(BOT);
        expect(replyText(res.replies)).toContain('`quiet` = `1`');

        expect(await a.notifications('bob', { since: bobBefore })).toEqual([]);
        expect(await a.notifications('carol', { since: carolBefore })).toEqual([]);
        const messages = await a.messages('team');
        expect(messages).toHaveLength(roomBefore);
        expect(messages.map((m) => String(m.msg))).not.toContainEqual(expect.stringContaining('quiet'));
    });

    it('error replies are ephemeral too', async () => {
        const aliceBefore = await mark(a, 'alice');
        const roomBefore = (await botMessages(a, 'team')).length;
        const res = await a.command('bob', 'team', 'frobnicate');
        expect(res.replies).toHaveLength(1);
        expect(res.replies[0]).toMatchObject({ userId: ID.bob, kind: 'ephemeral' });
        expect(await a.notifications('alice', { since: aliceBefore })).toEqual([]);
        expect(await botMessages(a, 'team')).toHaveLength(roomBefore);
    });
});

describe('/meta in the caller\'s language (users.setPreferences)', () => {
    it('replies in German to a user whose language is `de`, in English to the others', async () => {
        const user = await a.setPreferences('carol', { language: 'de' });
        expect(user).toMatchObject({ _id: ID.carol, settings: { preferences: { language: 'de' } } });
        try {
            expect(replyText((await a.command('carol', 'team', 'help')).replies)).toBe(de.Meta_Help);
            const saved = replyText((await a.command('carol', 'team', 'set sprache=deutsch')).replies);
            expect(saved).toMatch(new RegExp(`^${escape(de.Meta_Saved_Heading.split(' · ')[0].replace('{subject}', '@carol'))} · majorRevision \\d+\n`));
            expect(saved).toContain('· Rev ');
            expect(replyText((await a.command('carol', 'team', 'frobnicate')).replies)).toContain(de.Meta_Help_Hint);
            // her refusals and her events too, without English inside
            expect(replyText((await a.command('carol', 'team', 'set @alice x=1')).replies)).toBe('Nur @alice und Admins dürfen die Metadaten von @alice ändern.');
            const subscribed = replyText((await a.command('carol', 'team', 'subscribe @bob')).replies);
            expect(subscribed).toContain('✓ @bob abonniert');
            expect(subscribed).toMatch(/Metadaten von Benutzer bob abonniert \(Revision \d+, \d+ Einträge?\)\. Änderungen erscheinen hier\./);
            await a.command('carol', 'team', 'unsubscribe @bob');
            expect(replyText((await a.command('bob', 'team', 'help')).replies)).toBe(en.Meta_Help);
        } finally {
            await a.setPreferences('carol', { language: 'en' });
        }
        expect(replyText((await a.command('carol', 'team', 'help')).replies)).toBe(en.Meta_Help);
    });
});

describe('/meta in a thread', () => {
    it('the reply to a command typed in a thread carries that thread\'s id', async () => {
        const parent = await a.postMessage('alice', 'team', 'a thread about settings');
        const inThread = await a.command('alice', 'team', 'get me theme', { tmid: String(parent._id) });
        expect(inThread.status).toBe(200);
        expect(inThread.replies).toHaveLength(1);
        expect(inThread.replies[0]).toMatchObject({ userId: ID.alice, roomId: TEAM, kind: 'ephemeral' });
        expect(inThread.replies[0].message.tmid).toBe(parent._id);
        expect(replyText(inThread.replies)).toMatch(/^theme\s+\| dark/m);

        const outside = await a.command('alice', 'team', 'get me theme');
        expect(outside.replies[0].message.tmid).toBeUndefined();
    });
});

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

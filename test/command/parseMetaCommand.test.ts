import { describe, expect, it } from 'vitest';
import { CommandSyntaxError } from '../../src/surfaces/command/CommandSyntaxError';
import { ACTIONS, parseMetaCommand } from '../../src/surfaces/command/parseMetaCommand';

const here = { roomId: 'ROOM1' };
const parse = (...args: string[]) => parseMetaCommand(args, here);

/** The i18n key and params of the syntax error a command line produces. */
function syntaxError(...args: string[]): { key: string; params: Record<string, unknown> } {
    try {
        parse(...args);
    } catch (error) {
        if (error instanceof CommandSyntaxError) return { key: error.key, params: error.params };
        throw error;
    }
    throw new Error(`expected a syntax error for: ${args.join(' ')}`);
}

describe('/meta with no arguments or help', () => {
    it('shows help when nothing follows /meta', () => {
        expect(parse()).toEqual({ action: 'help' });
    });

    it('shows help for /meta help', () => {
        expect(parse('help')).toEqual({ action: 'help' });
    });

    it('accepts the action word in any case', () => {
        expect(parse('GET')).toEqual({ action: 'get', target: { namespace: 'user', ref: 'me' } });
    });

    it('names the unknown action and lists the real ones', () => {
        expect(syntaxError('fetch')).toEqual({ key: 'Meta_Syntax_Unknown_Action', params: { action: 'fetch', actions: ACTIONS.join(', ') } });
    });
});

describe('targets', () => {
    it('reads your own metadata when no target is given', () => {
        expect(parse('get')).toEqual({ action: 'get', target: { namespace: 'user', ref: 'me' } });
    });

    it('reads `me` as yourself', () => {
        expect(parse('get', 'me')).toEqual({ action: 'get', target: { namespace: 'user', ref: 'me' } });
    });

    it('reads `@name` as a user', () => {
        expect(parse('get', '@alice')).toEqual({ action: 'get', target: { namespace: 'user', ref: 'alice' } });
    });

    it('reads `#name` as a room', () => {
        expect(parse('get', '#planning')).toEqual({ action: 'get', target: { namespace: 'room', ref: 'planning' } });
    });

    it('reads `here` as the room the command was typed in', () => {
        expect(parse('get', 'here')).toEqual({ action: 'get', target: { namespace: 'room', ref: 'ROOM1' } });
    });

    it('treats an ordinary first word as a key, not a target', () => {
        expect(parse('get', 'theme')).toEqual({ action: 'get', target: { namespace: 'user', ref: 'me' }, keys: ['theme'] });
    });

    it('asks for a name after a bare @ or #', () => {
        expect(syntaxError('get', '@')).toEqual({ key: 'Meta_Syntax_Target_Empty', params: { target: '@' } });
    });

    it('asks to move a target that comes after the keys', () => {
        expect(syntaxError('get', 'theme', '@alice')).toMatchObject({ key: 'Meta_Syntax_Target_First', params: { arg: '@alice' } });
    });

    it('finds the target after leading options', () => {
        const parsed = parse('set', '--public', '@alice', 'theme=dark');
        expect(parsed).toMatchObject({ target: { namespace: 'user', ref: 'alice' } });
    });
});

describe('get', () => {
    it('asks for the keys named', () => {
        expect(parse('get', '@alice', 'theme', 'contact.email')).toEqual({
            action: 'get',
            target: { namespace: 'user', ref: 'alice' },
            keys: ['theme', 'contact.email'],
        });
    });

    it('refuses options it has no use for', () => {
        expect(syntaxError('get', '--public')).toEqual({ key: 'Meta_Syntax_Flag_Not_Here', params: { flag: '--public', action: 'get' } });
    });
});

describe('set and update values', () => {
    const valueOf = (assignment: string) => {
        const parsed = parse('set', assignment);
        if (parsed.action !== 'set') throw new Error('not a set');
        return parsed.request.items![0].value;
    };

    it('reads a number as a number', () => {
        expect(valueOf('n=5')).toBe(5);
    });

    it('reads true as a boolean', () => {
        expect(valueOf('b=true')).toBe(true);
    });

    it('reads a word as text', () => {
        expect(valueOf('theme=dark')).toBe('dark');
    });

    it('keeps a quoted phrase (one argument from the server) as text', () => {
        expect(valueOf('title=hello world')).toBe('hello world');
    });

    it('reads a single-quoted JSON object as that object', () => {
        // `prefs='{"theme":"dark"}'` arrives from the server as `prefs={"theme":"dark"}`
        expect(valueOf('prefs={"theme":"dark","size":2}')).toEqual({ theme: 'dark', size: 2 });
    });

    it('reads the object the server left after stripping its inner quotes', () => {
        // `prefs={"theme":"dark"}` arrives as `prefs={theme:dark}`
        expect(valueOf('prefs={theme:dark,size:2}')).toEqual({ theme: 'dark', size: 2 });
    });

    it('reads a JSON array as one value', () => {
        expect(valueOf('tags=["a","b"]')).toEqual(['a', 'b']);
    });

    it('reads a JSON string as text even when it looks like a number', () => {
        expect(valueOf('code="42"')).toBe('42');
    });

    it('splits at the first = only', () => {
        expect(valueOf('query=a=b')).toBe('a=b');
    });

    it('keeps an empty value as empty text', () => {
        expect(valueOf('note=')).toBe('');
    });

    it('keeps a __proto__ member as an own member (never the prototype), for the value rules to refuse by name', () => {
        for (const text of ['o={"__proto__":{"x":1},"a":1}', 'o={__proto__:{x:1},a:1}']) {
            const value = valueOf(text) as object;
            expect(Object.keys(value)).toEqual(['__proto__', 'a']);
            expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
        }
    });

    it('refuses null and points to remove', () => {
        expect(syntaxError('set', 'theme=null')).toEqual({ key: 'Meta_Syntax_Null_Value', params: { key: 'theme' } });
    });
});

describe('set and update', () => {
    it('builds a set request with every item', () => {
        expect(parse('set', 'here', 'theme=dark', 'n=5')).toEqual({
            action: 'set',
            target: { namespace: 'room', ref: 'ROOM1' },
            request: { items: [{ key: 'theme', value: 'dark' }, { key: 'n', value: 5 }] },
        });
    });

    it('builds an update request the same way', () => {
        expect(parse('update', 'theme=light')).toEqual({
            action: 'update',
            target: { namespace: 'user', ref: 'me' },
            request: { items: [{ key: 'theme', value: 'light' }] },
        });
    });

    it('gives every item the chosen visibility', () => {
        expect(parse('set', 'a=1', 'b=2', '--public')).toMatchObject({
            request: { items: [{ key: 'a', visibility: 'public' }, { key: 'b', visibility: 'public' }] },
        });
    });

    it('leaves visibility out when none is chosen, so items keep theirs', () => {
        const parsed = parse('set', 'a=1');
        expect(parsed).toMatchObject({ request: { items: [{ key: 'a', value: 1 }] } });
        expect((parsed as { request: { items: object[] } }).request.items[0]).not.toHaveProperty('visibility');
    });

    it('attaches --rev to the item it names', () => {
        expect(parse('set', 'theme=dark', 'color=red', '--rev', 'theme=3')).toMatchObject({
            request: { items: [{ key: 'theme', revision: 3 }, { key: 'color' }] },
        });
    });

    it('accepts --rev KEY=0 for create-only', () => {
        expect(parse('set', 'theme=dark', '--rev=theme=0')).toMatchObject({ request: { items: [{ key: 'theme', revision: 0 }] } });
    });

    it('passes --major as the expected majorRevision', () => {
        expect(parse('set', 'theme=dark', '--major', '4')).toMatchObject({ request: { majorRevision: 4 } });
    });

    it('passes --cause text along', () => {
        expect(parse('set', 'theme=dark', '--cause', 'weekly sync')).toMatchObject({ request: { cause: 'weekly sync' } });
    });

    it('passes a JSON object --cause as an object', () => {
        expect(parse('set', 'theme=dark', '--cause', '{"ticket":42}')).toMatchObject({ request: { cause: { ticket: 42 } } });
    });

    it('keeps a --cause that is JSON but not an object as the text typed', () => {
        expect(parse('set', 'theme=dark', '--cause', '42')).toMatchObject({ request: { cause: '42' } });
    });

    it('asks for at least one KEY=VALUE', () => {
        expect(syntaxError('set', '@alice')).toEqual({ key: 'Meta_Syntax_Write_Needs_Items', params: { action: 'set' } });
    });

    it('asks for a value when a word has no =', () => {
        expect(syntaxError('set', 'theme')).toEqual({ key: 'Meta_Syntax_Needs_Value', params: { arg: 'theme' } });
    });

    it('asks for a key when the argument starts with =', () => {
        expect(syntaxError('set', '=5')).toEqual({ key: 'Meta_Syntax_Empty_Key', params: { arg: '=5' } });
    });

    it('refuses the same key twice', () => {
        expect(syntaxError('set', 'a=1', 'a=2')).toEqual({ key: 'Meta_Syntax_Key_Twice', params: { key: 'a' } });
    });

    it('says what --rev needs when it has no =N', () => {
        expect(syntaxError('set', 'theme=dark', '--rev', 'theme')).toEqual({ key: 'Meta_Syntax_Rev_Format', params: { got: 'theme' } });
    });

    it('says what --rev needs when N is not a whole number', () => {
        expect(syntaxError('set', 'theme=dark', '--rev', 'theme=x')).toEqual({ key: 'Meta_Syntax_Rev_Format', params: { got: 'theme=x' } });
    });

    it('refuses --rev for a key the command does not write', () => {
        expect(syntaxError('set', 'theme=dark', '--rev', 'color=2')).toEqual({ key: 'Meta_Syntax_Rev_Unknown_Key', params: { key: 'color' } });
    });

    it('refuses two --rev for the same key', () => {
        expect(syntaxError('set', 'theme=dark', '--rev', 'theme=1', '--rev', 'theme=2')).toEqual({
            key: 'Meta_Syntax_Rev_Twice',
            params: { key: 'theme' },
        });
    });

    it('says what --major needs', () => {
        expect(syntaxError('set', 'a=1', '--major', 'four')).toEqual({ key: 'Meta_Syntax_Major_Format', params: { got: 'four' } });
    });

    it('refuses a --major below -1', () => {
        expect(syntaxError('set', 'a=1', '--major', '-2')).toEqual({ key: 'Meta_Syntax_Major_Format', params: { got: '-2' } });
    });

    it('says a value flag at the end needs a value', () => {
        expect(syntaxError('set', 'a=1', '--major')).toEqual({
            key: 'Meta_Syntax_Flag_Needs_Value',
            params: { flag: '--major', example: '--major 4' },
        });
    });

    it('refuses --public together with --private', () => {
        expect(syntaxError('set', 'a=1', '--public', '--private').key).toBe('Meta_Syntax_Visibility_Both');
    });

    it('refuses the same option twice', () => {
        expect(syntaxError('set', 'a=1', '--major', '1', '--major', '2')).toEqual({ key: 'Meta_Syntax_Flag_Twice', params: { flag: '--major' } });
    });

    it('names an unknown option', () => {
        expect(syntaxError('set', 'a=1', '--force')).toEqual({ key: 'Meta_Syntax_Unknown_Flag', params: { flag: '--force' } });
    });

    it('refuses a value on a switch', () => {
        expect(syntaxError('set', 'a=1', '--public=yes')).toEqual({ key: 'Meta_Syntax_Flag_Takes_No_Value', params: { flag: '--public' } });
    });
});

describe('remove', () => {
    it('removes the keys named', () => {
        expect(parse('remove', '#planning', 'theme', 'color')).toEqual({
            action: 'remove',
            target: { namespace: 'room', ref: 'planning' },
            request: { items: [{ key: 'theme' }, { key: 'color' }] },
        });
    });

    it('removes the whole set with --all', () => {
        expect(parse('remove', '--all')).toEqual({ action: 'remove', target: { namespace: 'user', ref: 'me' }, request: {} });
    });

    it('takes --rev, --major and --cause', () => {
        expect(parse('remove', 'theme', '--rev', 'theme=2', '--major', '7', '--cause', 'cleanup')).toEqual({
            action: 'remove',
            target: { namespace: 'user', ref: 'me' },
            request: { items: [{ key: 'theme', revision: 2 }], majorRevision: 7, cause: 'cleanup' },
        });
    });

    it('asks for keys or --all', () => {
        expect(syntaxError('remove').key).toBe('Meta_Syntax_Remove_Needs_Keys');
    });

    it('refuses keys together with --all', () => {
        expect(syntaxError('remove', 'theme', '--all').key).toBe('Meta_Syntax_Remove_All_And_Keys');
    });

    it('refuses KEY=VALUE', () => {
        expect(syntaxError('remove', 'theme=dark')).toEqual({ key: 'Meta_Syntax_Remove_Takes_Keys', params: { arg: 'theme=dark' } });
    });

    it('refuses visibility options', () => {
        expect(syntaxError('remove', 'theme', '--public').key).toBe('Meta_Syntax_Flag_Not_Here');
    });
});

describe('merge', () => {
    it('reads a single-quoted JSON patch, nulls included', () => {
        expect(parse('merge', '@alice', '{"contact":{"email":"a@b.c"},"old":null}')).toEqual({
            action: 'merge',
            target: { namespace: 'user', ref: 'alice' },
            request: { patch: { contact: { email: 'a@b.c' }, old: null } },
        });
    });

    it('reads an unquoted patch the server split at its spaces', () => {
        // `merge {"a": 1, "b": {"c": null}}` arrives as these four arguments
        expect(parse('merge', '{a:', '1,', 'b:', '{c:null}}')).toMatchObject({ request: { patch: { a: 1, b: { c: null } } } });
    });

    it('takes --major and --cause', () => {
        expect(parse('merge', '{"a":1}', '--major', '2', '--cause', 'sync')).toMatchObject({
            request: { patch: { a: 1 }, majorRevision: 2, cause: 'sync' },
        });
    });

    it('asks for a JSON object when given something else', () => {
        expect(syntaxError('merge', '[1,2]').key).toBe('Meta_Syntax_Merge_Needs_Object');
    });

    it('asks for a JSON object when given nothing', () => {
        expect(syntaxError('merge', 'here').key).toBe('Meta_Syntax_Merge_Needs_Object');
    });
});

describe('state', () => {
    it('adds a value to a state key', () => {
        expect(parse('state', 'here', 'votes', 'add', 'pizza')).toEqual({
            action: 'state',
            target: { namespace: 'room', ref: 'ROOM1' },
            request: { key: 'votes', op: 'add', value: 'pizza' },
        });
    });

    it('reads the value as JSON when it is JSON', () => {
        expect(parse('state', 'score', 'add', '7', '--type', 'lww')).toMatchObject({ request: { value: 7, type: 'lww' } });
    });

    it('removes without a value (clearing an lwwn entry)', () => {
        expect(parse('state', 'status', 'remove', '--type', 'lwwn')).toEqual({
            action: 'state',
            target: { namespace: 'user', ref: 'me' },
            request: { key: 'status', op: 'remove', type: 'lwwn' },
        });
    });

    it('allows a value that looks like a mention', () => {
        expect(parse('state', 'votes', 'add', '@bob')).toMatchObject({ request: { value: '@bob' } });
    });

    it('asks for KEY and an operation', () => {
        expect(syntaxError('state', 'votes').key).toBe('Meta_Syntax_State_Usage');
    });

    it('names a wrong operation', () => {
        expect(syntaxError('state', 'votes', 'toggle', 'x')).toEqual({ key: 'Meta_Syntax_State_Bad_Op', params: { op: 'toggle' } });
    });

    it('asks for the value to add', () => {
        expect(syntaxError('state', 'votes', 'add')).toEqual({ key: 'Meta_Syntax_State_Needs_Value', params: { key: 'votes' } });
    });

    it('refuses null with the state fix (remove your value), not the items\' `/meta remove KEY`', () => {
        expect(syntaxError('state', 'votes', 'add', 'null')).toEqual({ key: 'Meta_Syntax_State_Null_Value', params: { key: 'votes' } });
        expect(syntaxError('state', 'votes', 'remove', 'null').key).toBe('Meta_Syntax_State_Null_Value');
    });

    it('asks for quotes when several words follow', () => {
        expect(syntaxError('state', 'votes', 'add', 'deep', 'dish').key).toBe('Meta_Syntax_State_One_Value');
    });

    it('names a wrong --type', () => {
        expect(syntaxError('state', 'votes', 'add', 'x', '--type', 'counter')).toEqual({
            key: 'Meta_Syntax_Type_Format',
            params: { got: 'counter' },
        });
    });
});

describe('subscriptions', () => {
    it('subscribes to a user with delivery in the current room', () => {
        expect(parse('subscribe', '@alice')).toEqual({
            action: 'subscribe',
            target: { namespace: 'user', ref: 'alice' },
            roomId: 'ROOM1',
        });
    });

    it('subscribes to the current room', () => {
        expect(parse('subscribe', 'here')).toEqual({
            action: 'subscribe',
            target: { namespace: 'room', ref: 'ROOM1' },
            roomId: 'ROOM1',
        });
    });

    it('unsubscribes from a room', () => {
        expect(parse('unsubscribe', '#planning')).toEqual({ action: 'unsubscribe', target: { namespace: 'room', ref: 'planning' } });
    });

    it('lists subscriptions', () => {
        expect(parse('subscriptions')).toEqual({ action: 'subscriptions' });
    });

    it('asks subscribe for a target', () => {
        expect(syntaxError('subscribe')).toEqual({ key: 'Meta_Syntax_Needs_Target', params: { action: 'subscribe' } });
    });

    it('suggests @ or # for a bare name', () => {
        expect(syntaxError('subscribe', 'alice')).toEqual({ key: 'Meta_Syntax_Not_A_Target', params: { arg: 'alice' } });
    });

    it('refuses extra words', () => {
        expect(syntaxError('subscriptions', 'all')).toEqual({ key: 'Meta_Syntax_Extra_Argument', params: { action: 'subscriptions', arg: 'all' } });
    });
});

describe('/meta history', () => {
    const context = { roomId: 'r1' };
    it('reads your own history by default', () => {
        expect(parseMetaCommand(['history'], context)).toEqual({ action: 'history', target: { namespace: 'user', ref: 'me' } });
    });

    it('takes a target and one key', () => {
        expect(parseMetaCommand(['history', 'here', 'topic'], context)).toEqual({ action: 'history', target: { namespace: 'room', ref: 'r1' }, key: 'topic' });
    });

    it('refuses a second key, naming it', () => {
        expect(() => parseMetaCommand(['history', '@alice', 'a', 'b'], context)).toThrow(expect.objectContaining({ params: { arg: 'b' } }));
    });
});

describe('choose', () => {
    const here = { namespace: 'room', ref: 'ROOM1' };

    it('posts in the room the command ran in: the question, then the choices, as text', () => {
        expect(parse('choose', 'Lunch today?', 'pizza', 'green salad')).toEqual({
            action: 'choose', target: here, request: { question: 'Lunch today?', choices: ['pizza', 'green salad'] },
        });
    });

    it('takes another room first, and the type as an option', () => {
        expect(parse('choose', '#planning', 'When?', 'May', 'June', '--type', 'fww')).toEqual({
            action: 'choose', target: { namespace: 'room', ref: 'planning' }, request: { question: 'When?', choices: ['May', 'June'], type: 'fww' },
        });
    });

    it('reads every choice as the text typed: numbers, JSON-looking text and typographic quotes alike', () => {
        const parsed = parse('choose', 'Pick', '5', 'true', '[x]', '“two words”');
        expect(parsed).toMatchObject({ request: { choices: ['5', 'true', '[x]', 'two words'] } });
    });

    it('needs a question and at least one choice, and a room rather than a user', () => {
        expect(syntaxError('choose').key).toBe('Meta_Syntax_Choose_Usage');
        expect(syntaxError('choose', 'Lunch?').key).toBe('Meta_Syntax_Choose_Usage');
        expect(syntaxError('choose', '@alice', 'Lunch?', 'a', 'b').key).toBe('Meta_Syntax_Choose_In_Room');
    });
});

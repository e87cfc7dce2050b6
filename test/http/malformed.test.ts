import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { SETTING } from '../../src/settings';
import { httpHarness, Method } from './httpHarness';

const ROUTES: Array<[string, Method]> = [
    ['metadata/:ns/:id', 'get'],
    ['metadata/:ns/:id', 'put'],
    ['metadata/:ns/:id', 'patch'],
    ['metadata/:ns/:id', 'delete'],
    ['metadata/:ns/:id/merge', 'post'],
    ['metadata/:ns/:id/state', 'post'],
    ['subscriptions', 'post'],
    ['subscriptions', 'delete'],
    ['subscriptions', 'head'],
    ['metadata/:ns/:id', 'head'],
    ['metadata/:ns/:id/merge', 'options'],
    ['metadata/:ns/:id/state', 'trace'],
];

const anyBody = fc.oneof(
    fc.jsonValue(),
    fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true }),
    fc.record({ items: fc.anything(), document: fc.anything(), majorRevision: fc.anything(), cause: fc.anything() }, { requiredKeys: [] }),
    fc.record({ items: fc.array(fc.record({ key: fc.anything(), value: fc.anything(), revision: fc.anything(), visibility: fc.anything() }, { requiredKeys: [] })) }),
    fc.record({ patch: fc.anything() }),
    fc.record({ key: fc.anything(), type: fc.anything(), op: fc.constantFrom('add', 'remove', 'x'), value: fc.anything() }, { requiredKeys: [] }),
    fc.record({ subject: fc.oneof(fc.string(), fc.anything()), roomId: fc.anything() }, { requiredKeys: [] }),
    fc.constant(JSON.parse('{"__proto__": {"a": 1}, "items": [{"key": "__proto__", "value": 1}]}')),
);

const anyText = fc.oneof(fc.string(), fc.constantFrom('me', 'alice', 'general', '__proto__', 'constructor', '', '%00', 'a,b,,c'));
// Express: ?k=a&k=b is an array, ?k[x]=1 an object (qs), ?k[0][0]=a nested.
const anyQueryValue = fc.oneof(anyText, fc.array(anyText), fc.dictionary(fc.string(), anyText), fc.array(fc.array(anyText)));

describe('malformed input never gets a 500', () => {
    it.each(ROUTES)('%s %s', async (path, method) => {
        const { call, engine } = httpHarness();
        // Not the rate limit's 429 but the parsing and the operations are under test.
        engine.settings[SETTING.writesPerSecond] = 0;
        await fc.assert(fc.asyncProperty(
            anyBody,
            fc.record({ ns: fc.oneof(fc.constantFrom('user', 'room'), fc.string()), id: anyText }),
            fc.record({ keys: anyQueryValue, subject: anyQueryValue }, { requiredKeys: [] }),
            async (content, params, query) => {
                const response = await call(path, method, { content, params, query });
                expect(response.status, JSON.stringify(response.content)).toBeLessThan(500);
            },
        ), { numRuns: 150 });
    });
});

import { describe, expect, it } from 'vitest';

import { newId } from '../../src/store/ids';

describe('newId', () => {
    it('gives 32 hex characters, different every time', () => {
        const ids = new Set(Array.from({ length: 1000 }, () => newId()));
        expect(ids.size).toBe(1000);
        for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    });
});

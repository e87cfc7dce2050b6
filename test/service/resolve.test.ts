import { describe, expect, it } from 'vitest';

import { failure, harness } from './harness';

describe('naming a subject', () => {
    it('"me" is the caller', async () => {
        const { service, caller } = harness();
        const view = await service.get(caller('alice'), { namespace: 'user', ref: 'me' });
        expect(view.subject).toEqual({ namespace: 'user', id: 'u-alice', name: 'alice' });
    });

    it('a user is found by username', async () => {
        const { service, caller } = harness();
        expect((await service.get(caller('bob'), { namespace: 'user', ref: 'alice' })).subject.id).toBe('u-alice');
    });

    it('a user is found by id', async () => {
        const { service, caller } = harness();
        expect((await service.get(caller('bob'), { namespace: 'user', ref: 'u-alice' })).subject.name).toBe('alice');
    });

    it('a username may be written with @', async () => {
        const { service, caller } = harness();
        expect((await service.get(caller('bob'), { namespace: 'user', ref: '@alice' })).subject.id).toBe('u-alice');
    });

    it('a room is found by name, with or without #', async () => {
        const { service, caller } = harness();
        const plain = await service.get(caller('bob'), { namespace: 'room', ref: 'general' });
        const hashed = await service.get(caller('bob'), { namespace: 'room', ref: '#general' });
        expect([plain.subject, hashed.subject]).toEqual([
            { namespace: 'room', id: 'r-general', name: 'general' },
            { namespace: 'room', id: 'r-general', name: 'general' },
        ]);
    });

    it('a room is found by id', async () => {
        const { service, caller } = harness();
        expect((await service.get(caller('bob'), { namespace: 'room', ref: 'r-general' })).subject.name).toBe('general');
    });

    it('an unknown user is 404 subject_not_found', async () => {
        const { service, caller } = harness();
        const error = await failure(service.get(caller('bob'), { namespace: 'user', ref: 'nobody' }));
        expect([error.status, error.code]).toEqual([404, 'subject_not_found']);
    });

    it('an unknown room is 404 subject_not_found, and the message names it', async () => {
        const { service, caller } = harness();
        const error = await failure(service.get(caller('bob'), { namespace: 'room', ref: 'nowhere' }));
        expect([error.status, error.code]).toEqual([404, 'subject_not_found']);
        expect(error.message).toContain('"nowhere"');
    });

    it('"me" is no room', async () => {
        const { service, caller } = harness();
        expect((await failure(service.get(caller('bob'), { namespace: 'room', ref: 'me' }))).code).toBe('subject_not_found');
    });

    it('an empty name is 404 subject_not_found', async () => {
        const { service, caller } = harness();
        expect((await failure(service.get(caller('bob'), { namespace: 'user', ref: ' ' }))).code).toBe('subject_not_found');
    });

    it('a namespace other than user or room is 400 invalid_request', async () => {
        const { service, caller } = harness();
        const error = await failure(service.get(caller('bob'), { namespace: 'team' as 'user', ref: 'x' }));
        expect([error.status, error.code]).toEqual([400, 'invalid_request']);
    });
});

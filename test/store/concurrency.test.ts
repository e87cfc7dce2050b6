import { describe, expect, it } from 'vitest';
import { isMetadataError } from '../../src/core/errors';
import { WriteOutcome } from '../../src/core/types';
import { SubjectSnapshot } from '../../src/store/MetadataStore';
import { randomLatency, seededRandom } from '../support/memoryPersistence';
import { alice, database, expecting, instance, racing, setItems } from './helpers';

/** setItems that also records which revision each attempt started from */
function tracked(values: Record<string, number>, seen: number[]): (c: SubjectSnapshot) => WriteOutcome {
    const mutate = setItems(values);
    return (current) => {
        seen.push(current.set.majorRevision);
        return mutate(current);
    };
}

describe.each(['A', 'B'] as const)('concurrent item writes on server %s', (server) => {
    it('applies many concurrent writes on one instance in some serial order, revisions 1..N, none lost', async () => {
        const db = database({ server, latency: randomLatency(2, seededRandom(7)) });

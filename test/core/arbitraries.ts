import fc from 'fast-check';
import { JsonValue, NullableJsonValue } from '../../src/core/json';
import { applySet, emptySet } from '../../src/core/metadataSet';
import { MetadataSet, Visibility } from '../../src/core/types';
import { context } from './helpers';

/** Few segment names, so generated keys overlap often. */
export const segment = fc.constantFrom('a', 'b', 'c');
export const key = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('.'));
export const visibility = fc.constantFrom<Visibility>('public', 'private');

const scalar: fc.Arbitrary<JsonValue> = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'y'), fc.boolean());

export const value: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
    value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('value'), { maxLength: 2 }),
        fc.dictionary(segment, tie('value'), { maxKeys: 3 }),
    ),
})).value;

export const patch: fc.Arbitrary<{ [key: string]: NullableJsonValue }> = fc.letrec<{
    patch: { [key: string]: NullableJsonValue };
}>((tie) => ({
    patch: fc.dictionary(
        segment,
        fc.oneof({ depthSize: 'small' }, fc.constant(null), value as fc.Arbitrary<NullableJsonValue>, tie('patch')),
        { maxKeys: 3 },
    ),
})).patch;

/** A set grown by a few single-item writes, so it holds nested keys and object-valued items alike. */
export const metadataSet: fc.Arbitrary<MetadataSet> = fc
    .array(fc.record({ key, value, visibility }), { maxLength: 6 })
    .map((writes) =>
        writes.reduce((set, write, index) => {
            const ctx = context({ actorId: `user${index}` });
            return applySet(set, { items: [write] }, ctx).set;
        }, emptySet()),
    );

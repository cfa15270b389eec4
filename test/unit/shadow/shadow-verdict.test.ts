import { describe, expect, it } from 'vitest';
import { shadowVerdict } from '../../../server/src/shadow/shadow-verdict.js';

describe('shadow verdict', () => {
  // [Tollgate allowed, Tollgate limit, legacy allowed, legacy limit, disagreement (null = agreed)]
  const cases: [boolean, number | null, boolean, number | null, 'ACCESS' | 'LIMIT' | null][] = [
    [true, null, true, null, null],
    [false, null, false, null, null],
    [true, 100, true, null, null], // no legacy limit: only access is compared
    [true, 100, true, 100, null],
    [false, 100, false, 100, null],
    [true, null, false, null, 'ACCESS'],
    [false, 100, true, 100, 'ACCESS'],
    [false, 100, true, 50, 'ACCESS'], // access outranks the limit
    [true, 100, true, 50, 'LIMIT'],
    [false, 100, false, 50, 'LIMIT'],
    [true, null, true, 50, 'LIMIT'], // Tollgate unlimited, legacy capped
    [true, 0, true, 0, null],
  ];
  it.each(cases)('Tollgate %s (limit %s) against legacy %s (limit %s): %s', (allowed, limit, legacyAllowed, legacyLimit, disagreement) => {
    expect(shadowVerdict({ allowed, limit }, { allowed: legacyAllowed, limit: legacyLimit })).toEqual({ agreed: disagreement === null, disagreement });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { named } from '../../../server/src/db/named-parameters.js';

describe('named SQL parameters', () => {
  it('binds each :name in order, repeats included, and leaves :: casts alone', () => {
    const [sql, params] = named('select cast(:a as bigint), :b::text, :a where x = :b', { a: 1, b: 'two' });
    expect(sql).toBe('select cast(? as bigint), ?::text, ? where x = ?');
    expect(params).toEqual([1, 'two', 1, 'two']);
  });

  it('throws when a name has no value, so a typo cannot bind undefined', () => {
    expect(() => named('select :missing', {})).toThrow('named SQL: no value for :missing');
  });

  // Property: for any list of names and values, the positional form has one `?` per placeholder
  // and binds exactly the value of each name where it stood.
  it('binds the value of every placeholder, for generated statements', () => {
    const name = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/);
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 12 }), fc.dictionary(name, fc.integer()), (names, extra) => {
        const values = Object.fromEntries(names.map((key, index) => [key, extra[key] ?? index]));
        const [sql, params] = named(names.map((key) => `:${key}`).join(', '), values);
        expect(sql).toBe(names.map(() => '?').join(', '));
        expect(params).toEqual(names.map((key) => values[key]));
      }),
      { seed: 20261126, numRuns: 200 },
    );
  });
});

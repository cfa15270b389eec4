import fc from 'fast-check';

/**
 * Values a careless or malicious client can put into GraphQL variables: strings with NUL, lone
 * surrogates and every plane of unicode, strings of boundary lengths, integers across the whole
 * JSON number range (and number texts that `JSON.stringify` cannot write: `-0`, `1e400`, 2^64 in
 * full), far and invalid dates, and JSON objects with hostile keys. Every arbitrary here mixes
 * such values with valid ones through {@link validOrHostile}, so that requests built from them
 * still reach deep into the services and the database.
 *
 * Values that would flood a counterexample (long strings, deep nesting) and values that only
 * exist at request time (now + 4 minutes) are placeholders, printed short by fast-check and made
 * real by {@link materialize}.
 */

/**
 * JSON written into the request body exactly as given: numbers no JavaScript number serializes
 * to (`-0`, `1e400`, `18446744073709551616`), or nesting too deep for `JSON.stringify`.
 */
export class JsonText {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string {
    return `json(${this.text})`;
  }
}

/** `unit` repeated `count` times: a long string, or for a non-string unit an array of `count` copies. */
export class Repeated {
  constructor(
    readonly unit: unknown,
    readonly count: number,
  ) {}
  [fc.toStringMethod](): string {
    return `repeat(${fc.stringify(this.unit)}, ${this.count})`;
  }
}

/** An array nested `depth` levels deep: `[[[…]]]`. */
export class Nested {
  constructor(readonly depth: number) {}
  [fc.toStringMethod](): string {
    return `nested(${this.depth})`;
  }
}

/** An ISO date-time `offsetMs` from the moment the request is sent. */
export class FromNow {
  constructor(readonly offsetMs: number) {}
  [fc.toStringMethod](): string {
    return `now${this.offsetMs < 0 ? '' : '+'}${this.offsetMs}ms`;
  }
}

/**
 * A value that comes from the state of the run: the `index`-th account, override or API key the
 * run knows of (modulo how many there are). Resolved by {@link materialize}.
 */
export class StateRef {
  constructor(
    readonly kind: 'account' | 'override' | 'apiKey' | 'operator' | 'overrideRequest',
    readonly index: number,
  ) {}
  [fc.toStringMethod](): string {
    return `${this.kind}[${this.index}]`;
  }
}

/** Turns placeholders into the values they stand for; `JsonText` stays for {@link toJsonBody}. */
export function materialize(value: unknown, resolve: (ref: StateRef) => unknown): unknown {
  if (value instanceof StateRef) return resolve(value);
  if (value instanceof FromNow) return new Date(Date.now() + value.offsetMs).toISOString();
  if (value instanceof Nested) return new JsonText('['.repeat(value.depth) + ']'.repeat(value.depth));
  if (value instanceof Repeated) {
    if (typeof value.unit === 'string') return value.unit.repeat(value.count);
    const copy = materialize(value.unit, resolve);
    return Array.from({ length: value.count }, () => copy);
  }
  if (value instanceof JsonText || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => materialize(item, resolve));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a "__proto__" key must stay a key, not become the prototype.
    Object.defineProperty(result, key, { value: materialize(item, resolve), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/**
 * `JSON.stringify`, except that a {@link JsonText} is written as its text, so the body can
 * carry numbers no JavaScript number serializes to, and nesting of any depth. Lone surrogates come out as `\ud800` escapes
 * (well-formed JSON.stringify), NUL as `\u0000`.
 */
export function toJsonBody(value: unknown): string {
  const nonce = Math.random().toString(36).slice(2);
  const texts: string[] = [];
  const json = JSON.stringify(value, (_key, item) => {
    if (item instanceof JsonText) {
      texts.push(item.text);
      return `@@${nonce}:${texts.length - 1}@@`;
    }
    return item;
  });
  return json.replace(new RegExp(`"@@${nonce}:(\\d+)@@"`, 'g'), (_match, index: string) => texts[Number(index)]!);
}

/** Valid values three times out of four (by default), hostile ones otherwise. */
export function validOrHostile<T, H>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<H>, validWeight = 3): fc.Arbitrary<T | H> {
  return fc.oneof({ arbitrary: valid, weight: validWeight }, { arbitrary: hostile, weight: 1 });
}

/** Explicitly null, or a value. (Leaving the key out is the record's business: see its required keys.) */
export function optional<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary, weight: 3 });
}

/** One UTF-16 code unit, any of the 65 536: NUL, controls and lone surrogate halves included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

const specialStrings = [
  '', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uDBFF', '\uDC00x', '\uD83D', '😀', '\uFFFE', '\uFFFF', '\uFEFF',
  '\u202Eevil', 'e\u0301', '\t\n\r', '\u0085\u2028\u2029', '%', '_', '\\', '\'', '"', '`', '\'; drop table account; --',
  '${x}', '{"a":1}', '[]', 'null', 'true', 'NaN', '-0', '1e400', '__proto__', 'constructor', 'prototype',
  'ＡＢＣ', 'İ', 'ß', 'ǅ', '\u00A0', 'a'.padEnd(64, 'b'), 'a'.padEnd(65, 'b'),
];

/** Short strings that break naive code: NUL, lone surrogates, every plane, SQL and JSON look-alikes. */
export const hostileShortString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...specialStrings), weight: 4 },
  { arbitrary: fc.string({ unit: codeUnit, maxLength: 12 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 2 },
  // A valid-looking key with one poisoned character: passes length checks, fails (or not) the pattern.
  {
    arbitrary: fc
      .tuple(fc.constantFrom('calls', 'pro', 'acme', 'k1'), fc.constantFrom('\u0000', '\uD800', '\uDFFF', ' ', 'É', '\u200B'), fc.boolean())
      .map(([base, poison, atEnd]) => (atEnd ? base + poison : poison + base)),
    weight: 3,
  },
);

/** {@link hostileShortString}, and strings of boundary lengths (64, 128, 200, 255, 16 kB, 70 000 characters). */
export const hostileString: fc.Arbitrary<string | Repeated> = fc.oneof(
  { arbitrary: hostileShortString, weight: 12 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('a', 'é', '😀', '\u0000', '\uD800'), fc.constantFrom(64, 65, 128, 129, 200, 201, 255, 256, 1000, 1001, 2000, 2001, 16_385, 70_000))
      .map(([unit, count]) => new Repeated(unit, count)),
    weight: 1,
  },
);

const numberTexts = [
  '-0', '0.0', '1.0', '1e0', '1E2', '0.1e1', '1e400', '-1e400', '1e-400', '9007199254740993', '-9007199254740993',
  '18446744073709551616', '18446744073709551615', '-18446744073709551616', '9223372036854775807', '9223372036854775808',
  '-9223372036854775809', '2147483648.0', '4.9e-324', '100000000000000000000000000000000000000000',
];

/** Integer boundaries of int4, int8, doubles' safe range, and non-integers around them. */
export const numberBoundaries = [
  0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, -(2 ** 53 - 1),
  -(2 ** 53), 2 ** 63, -(2 ** 63), 2 ** 64, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 0.5, -0.5, 1.5,
  2 ** 31 - 0.5, 2 ** 53 - 1.5, 1e21,
];

/** Numbers across the whole range a JSON body can carry, and a few values of the wrong type. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...numberBoundaries), weight: 5 },
  { arbitrary: fc.integer(), weight: 2 },
  { arbitrary: fc.maxSafeInteger(), weight: 2 },
  { arbitrary: fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map((value) => new JsonText(value.toString())), weight: 2 },
  { arbitrary: fc.constantFrom(...numberTexts).map((text) => new JsonText(text)), weight: 2 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>('1', '', true, [], {}, [1]), weight: 1 },
);

/**
 * A quantity (amount, limit, value, used): mostly small valid ones, often ones at the int4 and
 * 2^53 boundaries that push counters, sometimes anything. Valid under both the Int contract and
 * the Quantity (0..2^53-1) one, or an error with a code under either.
 */
export function quantity(small: fc.Arbitrary<number> = fc.integer({ min: 1, max: 10 })): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: small, weight: 4 },
    { arbitrary: fc.constantFrom(1000, 2 ** 30, 2 ** 31 - 2, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 52, 2 ** 53 - 2, 2 ** 53 - 1), weight: 2 },
    { arbitrary: hostileNumber, weight: 2 },
  );
}

/** An Int argument that is not a quantity (rank, version, trial days, ttl): `valid`, or anything. */
export function integerOrHostile(valid: fc.Arbitrary<number>): fc.Arbitrary<unknown> {
  return validOrHostile(valid, hostileNumber);
}

const dateTexts = [
  '0001-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '0000-01-01T00:00:00+23:59', '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59-23:59', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-06-30T23:59:60Z',
  '2026-01-01T00:00:00.1234567890123Z', '2026-01-01', 'now', '', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z',
  '1970-01-01T00:00:00Z', '2038-01-19T03:14:08Z', '2099-01-01T00:00:00\u0000Z',
];

/** Far past, far future, impossible and malformed date-times, Unix timestamps, hostile strings. */
export const hostileDate: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...dateTexts), weight: 4 },
  { arbitrary: fc.constantFrom(0, -1, 8.64e15, 8.64e15 + 1, 1e20, 1.5), weight: 1 },
  { arbitrary: hostileString, weight: 1 },
);

/** A date-time in the future (a valid endsAt), at a fixed instant or relative to the request. */
export const futureDate: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('2099-01-01T00:00:00Z', '2030-06-15T12:00:00.000Z', '2999-12-31T23:59:59Z'),
  fc.constantFrom(60_000, 3_600_000, 86_400_000 * 30).map((offset) => new FromNow(offset)),
);

/** A date-time that may be past, near now, or slightly ahead (reported usage may be up to 5 minutes ahead). */
export const eventDate: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-3_600_000, -60_000, 0, 240_000, 360_000).map((offset) => new FromNow(offset)),
  fc.constantFrom('2020-01-01T00:00:00Z', '2025-12-31T23:59:59.999Z'),
);

/** A JSON value as metadata holds it, hostile strings and numbers included. */
const metadataValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 3 },
  { arbitrary: hostileString, weight: 2 },
  { arbitrary: hostileNumber, weight: 1 },
  { arbitrary: fc.constantFrom(100, 1000, 5000).map((depth) => new Nested(depth)), weight: 1 },
);

/** A metadata object with hostile keys and values; sometimes not an object at all. */
export const hostileMetadata: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.dictionary(validOrHostile(fc.constantFrom('plan', 'crm_id', 'tier'), hostileShortString, 1), metadataValue, { maxKeys: 4, noNullPrototype: true }),
    weight: 5,
  },
  { arbitrary: fc.constantFrom<unknown>([], 'text', 42, true), weight: 1 },
);

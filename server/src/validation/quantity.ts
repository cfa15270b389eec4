import { GraphQLError } from 'graphql';
import { z } from 'zod';

/**
 * The largest quantity Tollgate stores or answers: 2^53−1, JavaScript's largest exact whole
 * number. Counters are `bigint` in PostgreSQL, but every client reads them as JSON numbers, so
 * nothing past this may ever be written, or a client would read a rounded value.
 */
export const MAX_QUANTITY = Number.MAX_SAFE_INTEGER;

const RANGE_TEXT = `a whole number from 0 to ${MAX_QUANTITY} (2^53-1)`;

/** Whether `value` is a quantity Tollgate can store and answer exactly. */
export function isQuantity(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A quantity is out of range, or a request would push a counter past {@link MAX_QUANTITY}.
 * Nothing was written. Its code is part of the public contract.
 */
export function quantityOutOfRange(detail: string, field?: string): GraphQLError {
  return new GraphQLError(`${detail}. A quantity must be ${RANGE_TEXT}.`, {
    extensions: { code: 'QUANTITY_OUT_OF_RANGE', ...(field ? { field } : {}), max: MAX_QUANTITY },
  });
}

/** An input quantity: a whole number from `min` (default 0) to {@link MAX_QUANTITY}. */
export function quantityRule(min = 0) {
  return z
    .number()
    .int('must be a whole number')
    .min(min, min === 0 ? 'must not be negative' : `must be at least ${min}`)
    .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY} (2^53-1)`);
}

/**
 * A `bigint` column as node-postgres returns it (a string) turned into a number. Every such
 * column is kept within {@link MAX_QUANTITY} by the statements that write it, so this is exact.
 */
export function fromBigint(value: string | number): number;
export function fromBigint(value: string | number | null): number | null;
export function fromBigint(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

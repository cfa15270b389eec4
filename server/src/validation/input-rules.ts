import { z } from 'zod';

const KEY_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
const supportedCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** A catalog key: feature, plan or add-on. Lowercase slug, so keys read well in code and URLs. */
export const catalogKey = z
  .string()
  .regex(KEY_PATTERN, 'must be a lowercase slug: a letter, then up to 63 of a-z, 0-9, "_", "." or "-"');

/** A human-readable name shown in paywalls and dashboards. */
export const displayName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** A free-text description. */
export const description = z.string().max(2000, 'must be at most 2000 characters');

/** An account id as the host product knows it. */
export const accountId = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** A count or limit: a whole number from 0 to 2^31-1. */
export const nonNegativeInt = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(2_147_483_647, 'must be at most 2147483647');

/** An amount of money in integer minor units with an ISO 4217 currency. */
export const money = z.object({
  amount: nonNegativeInt,
  currency: z
    .string()
    .transform((code) => code.toUpperCase())
    .refine((code) => supportedCurrencies.has(code), 'must be an ISO 4217 currency code such as USD or EUR'),
});

/** Why an admin made a change; kept in the audit log. */
export const reason = z.string().trim().min(1, 'is required: say why').max(1000, 'must be at most 1000 characters');

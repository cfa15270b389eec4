import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRole } from './api-key.entity.js';

const SECRET_PATTERN = /^tg_(admin|server)_[A-Za-z0-9_-]{43}$/;

/** A new random 32-byte secret, prefixed with its role so a leaked key is easy to recognise. */
export function generateApiKeySecret(role: ApiKeyRole): string {
  return `tg_${role.toLowerCase()}_${randomBytes(32).toString('base64url')}`;
}

/** Whether a bearer value has the shape of a Tollgate API key. */
export function looksLikeApiKey(value: string): boolean {
  return value.startsWith('tg_');
}

/** Whether a bearer value is a well-formed Tollgate API key. */
export function isWellFormedApiKey(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

/**
 * SHA-256 of the secret. The secrets carry 256 random bits, so a fast hash is enough: there is
 * nothing to brute-force, and the lookup stays on the hot path's budget.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares two hex hashes without leaking where they differ. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

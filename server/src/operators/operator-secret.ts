import { createHash, randomBytes } from 'node:crypto';

/**
 * A new session id or one-time link token: 32 random bytes, base64url (43 characters). Nothing
 * to guess, so a fast hash is enough to store it.
 */
export function newOperatorSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a value has the shape of a session id or link token; anything else is refused before it costs a query. */
export function isOperatorSecret(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** SHA-256 hex of a session id or link token: what the database keeps instead. */
export function hashOperatorSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

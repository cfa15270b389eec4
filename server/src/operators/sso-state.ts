import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** How long a browser has between leaving for the provider and coming back. */
export const SSO_STATE_LIFETIME_MS = 10 * 60_000;

/** The short-lived cookie that carries a single sign-on attempt from its start to its callback. */
export const SSO_STATE_COOKIE = 'tollgate_oidc';

/** What a sign-on attempt must remember across the provider: checked on return, never shown to anyone. */
export interface SsoAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The console path to open after signing in. */
  next: string;
  /** Milliseconds since the epoch after which the attempt is refused. */
  expiresAt: number;
}

/**
 * Seals and opens {@link SsoAttempt}s with AES-256-GCM under a key derived from the client
 * secret: every process of one deployment shares the key without a table, the browser can
 * neither read the PKCE verifier nor forge or alter an attempt, and nothing is kept server-side.
 */
export class SsoStateSealer {
  private readonly key: Buffer;

  constructor(clientSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', clientSecret, 'tollgate', 'tollgate single sign-on state cookie v1', 32));
  }

  /** The cookie value for an attempt: base64url of iv, ciphertext and tag. */
  seal(attempt: SsoAttempt): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(attempt), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The attempt a cookie value seals, or null when it is missing, altered, sealed by another key, or expired at `now`. */
  open(value: string | null | undefined, now: number): SsoAttempt | null {
    if (!value || value.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
    const raw = Buffer.from(value, 'base64url');
    if (raw.length < 12 + 16 + 2) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const text = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
      const attempt = JSON.parse(text) as SsoAttempt;
      if (typeof attempt.state !== 'string' || typeof attempt.nonce !== 'string' || typeof attempt.codeVerifier !== 'string') return null;
      if (typeof attempt.expiresAt !== 'number' || attempt.expiresAt <= now) return null;
      return attempt;
    } catch {
      return null;
    }
  }
}

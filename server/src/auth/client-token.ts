import { createSecretKey, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'tollgate';
const AUDIENCE = 'tollgate:client';

/** The result of checking a client token. */
export type ClientTokenCheck =
  | { ok: true; accountId: string; expiresAt: Date }
  | { ok: false; problem: 'expired' | 'invalid-token' };

/**
 * Signs and checks client tokens: short-lived HS256 JWTs bound to one account, so a browser can
 * read that account's entitlements without holding an API key.
 */
export class ClientTokenSigner {
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  async sign(accountId: string, expiresAt: Date, now: Date): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(accountId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
  }

  async verify(token: string, now: Date): Promise<ClientTokenCheck> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: now,
        requiredClaims: ['sub', 'exp'],
      });
      return { ok: true, accountId: payload.sub!, expiresAt: new Date(payload.exp! * 1000) };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, problem: 'expired' };
      return { ok: false, problem: 'invalid-token' };
    }
  }
}

/** Whether a bearer value has the shape of a JWT (three base64url parts). */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}

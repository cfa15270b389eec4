import { createSecretKey, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

const ISSUER = 'tollgate';
const AUDIENCE = 'tollgate:client';

/**
 * How far ahead of this server's clock a token's `iat` or `nbf` may be: tokens minted by another
 * process whose clock runs a little fast are accepted; a token from further in the future is
 * not one Tollgate minted for now.
 */
export const CLOCK_SKEW_SECONDS = 60;

/** The longest lifetime createClientToken grants; no token of ours is older than this and valid. */
export const MAX_CLIENT_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

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

  /**
   * Checks signature, issuer, audience and claims: `sub` a non-empty string; `iat` and `exp`
   * present; `iat` and `nbf` no more than {@link CLOCK_SKEW_SECONDS} ahead of `now`; `exp` after
   * `now` (exactly, so a token lives no longer than it was minted for); and the token no older
   * than {@link MAX_CLIENT_TOKEN_LIFETIME_SECONDS}.
   */
  async verify(token: string, now: Date): Promise<ClientTokenCheck> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: now,
        requiredClaims: ['sub', 'exp', 'iat'],
        // Applies to nbf and, through maxTokenAge, to an iat in the future: jose checks the
        // latter only when maxTokenAge is set. It also loosens exp, which is checked again below.
        clockTolerance: CLOCK_SKEW_SECONDS,
        maxTokenAge: MAX_CLIENT_TOKEN_LIFETIME_SECONDS,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, problem: 'expired' };
      return { ok: false, problem: 'invalid-token' };
    }
    // jose checks that sub is present, not that it is a string.
    if (typeof payload.sub !== 'string' || payload.sub === '') return { ok: false, problem: 'invalid-token' };
    if (payload.exp! * 1000 <= now.getTime()) return { ok: false, problem: 'expired' };
    return { ok: true, accountId: payload.sub, expiresAt: new Date(payload.exp! * 1000) };
  }
}

/** Whether a bearer value has the shape of a JWT (three base64url parts). */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}

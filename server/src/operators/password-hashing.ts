import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane): about 50-100 ms on
 * one core here, so a stolen table costs an attacker that much per guess and per row, and a
 * sign-in costs the server as much. Written into each hash (PHC string), so raising them later
 * leaves old hashes verifiable.
 */
const PARAMETERS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a new password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMETERS);
}

/** Whether `password` matches `passwordHash`; false (never a throw) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password with the same parameters, made once per process. A sign-in for an
 * unknown, deactivated or not-yet-invited email is verified against it, so it takes as long as a
 * wrong password for a real operator and the answer's timing tells nothing.
 */
export class DummyPasswordHash {
  private readonly value: Promise<string> = hashPassword(`tollgate-no-such-operator-${Math.random()}`);

  /** Verifies `password` against the dummy hash: the same work as a real check, always false. */
  async burn(password: string): Promise<false> {
    await verifyPassword(await this.value, password);
    return false;
  }
}

/**
 * The password column of an operator who signs in only through single sign-on: not a PHC string,
 * so no password ever matches it, yet it marks the operator as signed up (state ACTIVE). A
 * password reset link gives them a password as well.
 */
export const SSO_ONLY = '!sso';

/** Whether a stored hash is a real password's (neither null nor {@link SSO_ONLY}). */
export function isPasswordHash(value: string | null): value is string {
  return value !== null && value !== SSO_ONLY;
}

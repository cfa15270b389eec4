import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { named } from '../db/index.js';

/** The limits of {@link SignInThrottle}. */
export interface SignInLimits {
  /** Attempts at one email from one address: a guesser locks out only their own address. */
  maxPerEmailAndAddress: number;
  /** Attempts at one email from all addresses together: bounds a spread-out attack, set much higher. */
  maxPerEmail: number;
  maxPerAddress: number;
  /** The counting window and the lockout, both this long. */
  lockoutMs: number;
}

/** Whether a sign-in may go ahead, and if not, when to try again. */
export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Reserves one attempt for `key` and answers the row as it stands after. One statement, so
 * concurrent attempts are counted one by one under the row's lock: a burst of parallel guesses
 * cannot all pass a check made before any of them was counted (the race a check-then-count
 * would leave open). A window that ended, or a lockout that ended, starts the count again; a
 * key over its limit is locked until `:until`; a locked key is not counted further (so a
 * lockout is not prolonged by the attacker's own retries).
 */
const RESERVE_SQL = `
  insert into sign_in_throttle (key, failures, window_started_at, locked_until, updated_at)
  values (:key, 1, :now, case when 1 > :limit then :until::timestamptz end, :now)
  on conflict (key) do update set
    failures = case
      when sign_in_throttle.locked_until > :now then sign_in_throttle.failures
      when sign_in_throttle.locked_until is not null or sign_in_throttle.window_started_at <= :windowStart then 1
      else sign_in_throttle.failures + 1 end,
    window_started_at = case
      when sign_in_throttle.locked_until > :now then sign_in_throttle.window_started_at
      when sign_in_throttle.locked_until is not null or sign_in_throttle.window_started_at <= :windowStart then :now
      else sign_in_throttle.window_started_at end,
    locked_until = case
      when sign_in_throttle.locked_until > :now then sign_in_throttle.locked_until
      when sign_in_throttle.locked_until is not null or sign_in_throttle.window_started_at <= :windowStart
        then case when 1 > :limit then :until::timestamptz end
      when sign_in_throttle.failures + 1 > :limit then :until::timestamptz
      else null end,
    updated_at = :now
  returning locked_until`;

/** Rows whose window and lockout have both ended say nothing any more; a hundred go per attempt, so the table shrinks as fast as an attack grows it. */
const SWEEP_SQL = `
  delete from sign_in_throttle where key in (
    select key from sign_in_throttle where updated_at < :cutoff and (locked_until is null or locked_until < :now) limit 100)`;

/**
 * Sign-in attempts limited per (email, client address) pair, per email across all addresses
 * (a much higher limit) and per client address, in PostgreSQL so every process counts together
 * and a restart forgets nothing; it holds no memory in the process. Someone guessing one
 * person's password locks out their own address for that email, not the person: the owner
 * signing in from another address still gets in, unless the email's own, higher limit is
 * reached by guesses from many addresses. An attempt is reserved before the password is
 * checked (and given back on success), so at most `maxPerEmailAndAddress` passwords are
 * checked for one email from one address per window, however many requests arrive at once.
 * Past a limit the key is locked for `lockoutMs`: 429 with Retry-After.
 */
export class SignInThrottle {
  constructor(
    private readonly orm: MikroORM,
    private readonly limits: SignInLimits,
  ) {}

  /** Reserves an attempt for this email and this address; refused when either is locked or over its limit. */
  async reserve(email: string, address: string, now: Date): Promise<AttemptVerdict> {
    const em = this.orm.em.fork();
    const windowStart = new Date(now.getTime() - this.limits.lockoutMs);
    const until = new Date(now.getTime() + this.limits.lockoutMs);
    let lockedUntil = 0;
    const keys = [
      [pairKey(email, address), this.limits.maxPerEmailAndAddress],
      [emailKey(email), this.limits.maxPerEmail],
      [addressKey(address), this.limits.maxPerAddress],
    ] as const;
    for (const [key, limit] of keys) {
      const [row] = await em.execute<{ locked_until: Date | string | null }[]>(...named(RESERVE_SQL, { key, now, windowStart, until, limit }));
      const locked = row?.locked_until ? new Date(row.locked_until).getTime() : 0;
      lockedUntil = Math.max(lockedUntil, locked);
      // A locked pair counts nothing further: retries from a locked-out address do not use up the email's shared limit.
      if (lockedUntil > now.getTime()) break;
    }
    await em.execute(...named(SWEEP_SQL, { cutoff: new Date(now.getTime() - 2 * this.limits.lockoutMs), now }));
    if (lockedUntil > now.getTime()) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - now.getTime()) / 1000)) };
    return { allowed: true };
  }

  /**
   * A sign-in succeeded: the count of this email from this address starts again, and the
   * email's and the address's counts get their attempt back (others' failures still count).
   */
  async succeeded(email: string, address: string): Promise<void> {
    const em = this.orm.em.fork();
    await em.execute('delete from sign_in_throttle where key = ?', [pairKey(email, address)]);
    await em.execute('update sign_in_throttle set failures = greatest(failures - 1, 0) where key in (?, ?) and locked_until is null', [emailKey(email), addressKey(address)]);
  }
}

function emailKey(email: string): string {
  return `email:${email.toLowerCase()}`;
}

/** One email from one address, hashed so the key stays short whatever the lengths (an email may be 320 characters). */
function pairKey(email: string, address: string): string {
  return `pair:${createHash('sha256').update(`${email.toLowerCase()}\u0000${address}`).digest('base64url')}`;
}

function addressKey(address: string): string {
  return `address:${address}`;
}

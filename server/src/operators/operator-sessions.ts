import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { OperatorPrincipal, Principal } from '../access/index.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../db/index.js';
import type { OperatorRole } from '../vocabulary/index.js';
import { hashOperatorSecret, isOperatorSecret, newOperatorSecret } from './operator-secret.js';

/** Sessions kept in memory at most; the oldest goes first. */
const MAX_CACHED_SESSIONS = 10_000;
/** A cached session is read again from the database after this long, whatever the feed says. */
const CACHE_AGE_MS = 30_000;
/** `last_seen_at` moves forward at most this often per session, so reads do not each write. */
const TOUCH_INTERVAL_MS = 60_000;

/** How long sessions last. */
export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

/** A new session, to be set as the cookie. */
export interface NewSession {
  /** The session id: the cookie's value, never stored. */
  id: string;
  expiresAt: Date;
}

/** Where a sign-in came from, kept with its session for the owner's eyes. */
export interface SessionOrigin {
  address: string | null;
  userAgent: string | null;
}

/** A session as an owner sees it: no secret, no hash, only its public id. */
export interface SessionListing {
  /** The first 32 hex characters of the stored hash: names the session, signs nobody in. */
  id: string;
  hash: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  address: string | null;
  userAgent: string | null;
}

/** How long a session's public id is: 128 bits of the stored SHA-256. */
const PUBLIC_ID_LENGTH = 32;

interface CachedSession {
  principal: OperatorPrincipal;
  lastSeenAt: number;
  cachedAt: number;
}

interface SessionRow {
  operator_id: string;
  email: string;
  name: string;
  role: OperatorRole;
  last_seen_at: Date | string;
  expires_at: Date | string;
}

/**
 * Operators' server-side sessions: created at sign-in with a new random id (never one the
 * browser brought), looked up by the id's SHA-256, ended by deleting the row. Sessions in use are
 * cached (bounded, 30 s at most), and every process drops an operator's cached sessions when the
 * change feed says they ended (sign-out, deactivation, a role change, a password reset), so an
 * ended session is refused at once in every process. While the feed is down nothing is cached.
 */
export class OperatorSessions {
  private readonly cache = new Map<string, CachedSession>();
  /** Bumped on every operator change, so a lookup that raced one is not cached. */
  private generation = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
    private readonly limits: SessionLimits,
  ) {
    feed.subscribe((change) => {
      if (change.scope === 'all') {
        this.generation += 1;
        this.cache.clear();
      } else if (change.scope === 'operator') {
        this.generation += 1;
        for (const [hash, entry] of this.cache) if (entry.principal.operatorId === change.operatorId) this.cache.delete(hash);
      }
    });
  }

  /**
   * Adds a session for `operatorId` inside the caller's transaction (the sign-in's), with expired
   * sessions of everyone swept on the way.
   */
  async create(em: EntityManager, operatorId: string, origin: SessionOrigin, now: Date): Promise<NewSession> {
    const id = newOperatorSecret();
    const expiresAt = new Date(now.getTime() + this.limits.maxMs);
    await em.execute('delete from operator_session where expires_at <= ? or last_seen_at <= ?', [now, new Date(now.getTime() - this.limits.idleMs)]);
    await em.execute(
      'insert into operator_session (id_hash, operator_id, created_at, last_seen_at, expires_at, address, user_agent) values (?, ?, ?, ?, ?, ?, ?)',
      [hashOperatorSecret(id), operatorId, now, now, expiresAt, origin.address?.slice(0, 64) ?? null, origin.userAgent?.slice(0, 512) ?? null],
    );
    return { id, expiresAt };
  }

  /**
   * The operator a session cookie's value names, or anonymous (`session`) when it names no
   * session in force: unknown, ended, idle past the limit, past its absolute end, or its operator
   * deactivated. An idle or expired session is deleted on the way.
   */
  async authenticate(sessionId: string): Promise<Principal> {
    if (!isOperatorSecret(sessionId)) return { kind: 'anonymous', problem: 'session' };
    const hash = hashOperatorSecret(sessionId);
    const now = this.clock().getTime();
    let entry = this.cache.get(hash);
    if (entry && now - entry.cachedAt >= CACHE_AGE_MS) {
      this.cache.delete(hash);
      entry = undefined;
    }
    if (!entry) {
      const generation = this.generation;
      const [row] = await this.orm.em.fork().execute<SessionRow[]>(
        `select s.operator_id, o.email, o.name, o.role, s.last_seen_at, s.expires_at
         from operator_session s join operator o on o.id = s.operator_id
         where s.id_hash = ? and o.active`,
        [hash],
      );
      if (!row) return { kind: 'anonymous', problem: 'session' };
      entry = {
        principal: {
          kind: 'operator', operatorId: row.operator_id, email: row.email, name: row.name, role: row.role,
          sessionHash: hash, expiresAt: new Date(row.expires_at),
        },
        lastSeenAt: new Date(row.last_seen_at).getTime(),
        cachedAt: now,
      };
      if (this.feed.live && generation === this.generation) this.remember(hash, entry);
    }
    if (now >= entry.principal.expiresAt.getTime() || now - entry.lastSeenAt >= this.limits.idleMs) {
      this.cache.delete(hash);
      await this.orm.em.fork().execute('delete from operator_session where id_hash = ?', [hash]);
      return { kind: 'anonymous', problem: 'session' };
    }
    if (now - entry.lastSeenAt >= TOUCH_INTERVAL_MS) {
      const touched = await this.orm.em.fork().execute('update operator_session set last_seen_at = ? where id_hash = ? returning id_hash', [new Date(now), hash]);
      if (!touched.length) {
        // Ended in another process whose announcement has not arrived yet.
        this.cache.delete(hash);
        return { kind: 'anonymous', problem: 'session' };
      }
      entry.lastSeenAt = now;
    }
    return entry.principal;
  }

  /** Ends one session by its id (sign-out); returns the operator it belonged to, or null when it named none. */
  async end(em: EntityManager, sessionId: string): Promise<string | null> {
    if (!isOperatorSecret(sessionId)) return null;
    const [row] = await em.execute<{ operator_id: string }[]>('delete from operator_session where id_hash = ? returning operator_id', [hashOperatorSecret(sessionId)]);
    return row?.operator_id ?? null;
  }

  /** Ends every session of an operator, inside the caller's transaction; the caller announces `{ scope: 'operator' }`. */
  async endAll(em: EntityManager, operatorId: string): Promise<number> {
    const rows = await em.execute('delete from operator_session where operator_id = ? returning id_hash', [operatorId]);
    return rows.length;
  }

  /** An operator's sessions in force (not idle past the limit, not past their end), newest first. */
  async list(operatorId: string): Promise<SessionListing[]> {
    const now = this.clock().getTime();
    const rows = await this.orm.em.fork().execute<{ id_hash: string; created_at: Date | string; last_seen_at: Date | string; expires_at: Date | string; address: string | null; user_agent: string | null }[]>(
      'select id_hash, created_at, last_seen_at, expires_at, address, user_agent from operator_session where operator_id = ? and expires_at > ? and last_seen_at > ? order by created_at desc',
      [operatorId, new Date(now), new Date(now - this.limits.idleMs)],
    );
    return rows.map((row) => ({
      id: row.id_hash.slice(0, PUBLIC_ID_LENGTH),
      hash: row.id_hash,
      createdAt: new Date(row.created_at),
      lastSeenAt: new Date(row.last_seen_at),
      expiresAt: new Date(row.expires_at),
      address: row.address,
      userAgent: row.user_agent,
    }));
  }

  /**
   * Ends one of an operator's sessions by its public id, inside the caller's transaction; the
   * caller announces `{ scope: 'operator' }`. Answers whether it was in force.
   */
  async endById(em: EntityManager, operatorId: string, publicId: string): Promise<boolean> {
    if (!/^[0-9a-f]{32}$/.test(publicId)) return false;
    const rows = await em.execute('delete from operator_session where operator_id = ? and left(id_hash, ?) = ? returning id_hash', [operatorId, PUBLIC_ID_LENGTH, publicId]);
    return rows.length > 0;
  }

  private remember(hash: string, entry: CachedSession): void {
    if (this.cache.size >= MAX_CACHED_SESSIONS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, entry);
  }
}

import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Account } from '../accounts/index.js';
import { recordAudit } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../db/index.js';
import { validateInput, rules } from '../validation/index.js';
import { z } from 'zod';
import { API_KEY_ROLES } from '../vocabulary/index.js';
import { ApiKey, type ApiKeyRole } from './api-key.entity.js';
import {
  generateApiKeySecret,
  hashApiKeySecret,
  isWellFormedApiKey,
  looksLikeApiKey,
  sameHash,
} from './api-key-secret.js';
import { apiKeyAlreadyRevoked, apiKeyNotFound } from './api-key.errors.js';
import { ClientTokenSigner, looksLikeToken, MAX_CLIENT_TOKEN_LIFETIME_SECONDS } from './client-token.js';
import { accountNotFound } from '../entitlements/index.js';
import { actorName, auditActor, type Principal } from '../access/index.js';
import { SigningSecret } from './signing-secret.entity.js';

const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;

const createApiKeySchema = z.object({
  name: rules.displayName,
  role: z.enum(API_KEY_ROLES),
});

const clientTokenSchema = z.object({
  accountId: rules.accountId,
  ttlSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(MAX_CLIENT_TOKEN_LIFETIME_SECONDS, 'must be at most 86400 seconds (24 hours)')
    .default(DEFAULT_TOKEN_TTL_SECONDS),
});

interface CachedKey {
  id: string;
  name: string;
  role: ApiKeyRole;
  revoked: boolean;
}

/**
 * Turns bearer credentials into principals, and issues and revokes them. Known keys are cached
 * by hash (dropped on any key change, from any process) so authentication costs no query.
 */
export class AuthService {
  private readonly keysByHash = new Map<string, Promise<CachedKey | null>>();
  private signer: ClientTokenSigner | null = null;
  private readonly bootstrapHash: string | null;

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
    bootstrapAdminKey: string | null,
    private readonly configuredTokenSecret: string | null,
  ) {
    this.bootstrapHash = bootstrapAdminKey ? hashApiKeySecret(bootstrapAdminKey) : null;
    feed.subscribe((change) => {
      if (change.scope === 'api-keys' || change.scope === 'all') this.keysByHash.clear();
    });
  }

  /** Loads (or creates, once for all processes) the client-token signing secret. */
  async start(): Promise<void> {
    if (this.configuredTokenSecret) {
      this.signer = new ClientTokenSigner(this.configuredTokenSecret);
      return;
    }
    const em = this.orm.em.fork();
    // Two processes starting on a new database race here; the first insert wins and both read it.
    await em.execute(
      'insert into signing_secret (name, secret) values (?, ?) on conflict (name) do nothing',
      ['client-token', randomBytes(48).toString('base64url')],
    );
    const row = await em.findOneOrFail(SigningSecret, { name: 'client-token' });
    this.signer = new ClientTokenSigner(row.secret);
  }

  /** The principal behind an `Authorization` header value (or its absence). */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) return { kind: 'anonymous', problem: 'missing' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { kind: 'anonymous', problem: 'malformed' };
    const credential = match[1]!;

    const hash = hashApiKeySecret(credential);
    if (this.bootstrapHash && sameHash(hash, this.bootstrapHash)) {
      return { kind: 'admin', name: 'bootstrap admin (TOLLGATE_ADMIN_KEY)', keyId: null };
    }
    if (looksLikeApiKey(credential)) {
      if (!isWellFormedApiKey(credential)) return { kind: 'anonymous', problem: 'malformed' };
      const key = await this.findKey(hash);
      if (!key) return { kind: 'anonymous', problem: 'unknown' };
      if (key.revoked) return { kind: 'anonymous', problem: 'revoked' };
      return key.role === 'ADMIN'
        ? { kind: 'admin', name: key.name, keyId: key.id }
        : { kind: 'server', name: key.name, keyId: key.id };
    }
    if (looksLikeToken(credential)) {
      const check = await this.tokenSigner().verify(credential, this.clock());
      if (!check.ok) return { kind: 'anonymous', problem: check.problem };
      return { kind: 'client', accountId: check.accountId, expiresAt: check.expiresAt };
    }
    return { kind: 'anonymous', problem: 'unknown' };
  }

  /** Creates an API key and returns its secret, which is never retrievable again. */
  async createApiKey(actor: Principal, input: { name: string; role: string }): Promise<{ key: ApiKey; secret: string }> {
    const { name, role } = validateInput(createApiKeySchema, input);
    const secret = generateApiKeySecret(role);
    const now = this.clock();
    const key = await this.feed.write(this.orm.em, { scope: 'api-keys' }, async (em) => {
      const created = em.create(ApiKey, {
        name,
        role,
        prefix: `${secret.slice(0, secret.indexOf('_', 3) + 5)}…`,
        secretHash: hashApiKeySecret(secret),
        createdBy: actorName(actor),
        createdAt: now,
      });
      recordAudit(em, {
        actor: auditActor(actor),
        action: 'api_key.create',
        entityType: 'ApiKey',
        entityId: created.id,
        after: { id: created.id, name, role, prefix: created.prefix },
      }, now);
      return created;
    });
    return { key, secret };
  }

  /** Revokes an API key; requests with it are refused from the next one on, in every process. */
  async revokeApiKey(actor: Principal, id: string): Promise<ApiKey> {
    const now = this.clock();
    return this.feed.write(this.orm.em, { scope: 'api-keys' }, async (em) => {
      const found = z.uuid().safeParse(id).success ? await em.findOne(ApiKey, { id }) : null;
      if (!found) throw apiKeyNotFound(id);
      if (found.revokedAt) throw apiKeyAlreadyRevoked(id);
      found.revokedAt = now;
      found.revokedBy = actorName(actor);
      recordAudit(em, {
        actor: auditActor(actor),
        action: 'api_key.revoke',
        entityType: 'ApiKey',
        entityId: found.id,
        before: { revokedAt: null },
        after: { revokedAt: now },
      }, now);
      return found;
    });
  }

  /** Every API key, newest first, without secrets. */
  async listApiKeys(): Promise<ApiKey[]> {
    return this.orm.em.fork().find(ApiKey, {}, { orderBy: { createdAt: 'desc' } });
  }

  /** Mints a client token bound to one existing account. */
  async createClientToken(input: { accountId: string; ttlSeconds?: number | null }): Promise<{ token: string; expiresAt: Date }> {
    const { accountId, ttlSeconds } = validateInput(clientTokenSchema, {
      accountId: input.accountId,
      ttlSeconds: input.ttlSeconds ?? undefined,
    });
    const account = await this.orm.em.fork().findOne(Account, { id: accountId });
    if (!account) throw accountNotFound(accountId);
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    return { token: await this.tokenSigner().sign(accountId, expiresAt, now), expiresAt };
  }

  private tokenSigner(): ClientTokenSigner {
    if (!this.signer) throw new Error('AuthService.start() must run before tokens are used');
    return this.signer;
  }

  private findKey(hash: string): Promise<CachedKey | null> {
    const cached = this.keysByHash.get(hash);
    if (cached) return cached;
    const loading = this.orm.em
      .fork()
      .findOne(ApiKey, { secretHash: hash })
      .then((key) => (key ? { id: key.id, name: key.name, role: key.role, revoked: key.revokedAt !== null } : null));
    // Only known keys are cached: unknown guesses must not grow the map.
    if (this.feed.live) {
      this.keysByHash.set(hash, loading);
      loading.then(
        (key) => { if (!key && this.keysByHash.get(hash) === loading) this.keysByHash.delete(hash); },
        () => { if (this.keysByHash.get(hash) === loading) this.keysByHash.delete(hash); },
      );
    }
    return loading;
  }
}

import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import type { z } from 'zod';
import { actorName, auditActor, type AuditActor, type Principal } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../db/index.js';
import { badUserInput, rules, validateInput } from '../validation/index.js';
import type { OperatorLinkPurpose, OperatorState } from '../vocabulary/index.js';
import { OperatorLink } from './operator-link.entity.js';
import { hashOperatorSecret, isOperatorSecret, newOperatorSecret } from './operator-secret.js';
import { OperatorSessions, type NewSession, type SessionListing, type SessionOrigin } from './operator-sessions.js';
import { Operator } from './operator.entity.js';
import {
  badAuthRequest,
  invalidCredentials,
  invitePending,
  lastOwner,
  linkExpired,
  linkInvalid,
  linkUsed,
  operatorDeactivated,
  operatorExists,
  operatorDeactivatedSignIn,
  operatorNotFound,
  sessionNotFound,
  SignInRefusal,
  tooManyAttempts,
  weakPassword,
} from './operators.errors.js';
import {
  inviteOperatorSchema,
  linkAcceptanceSchema,
  setOperatorRoleSchema,
  signInSchema,
  type InviteOperatorValues,
} from './operators.validation.js';
import { DummyPasswordHash, hashPassword, isPasswordHash, SSO_ONLY, verifyPassword } from './password-hashing.js';
import { passwordProblem } from './password-policy.js';
import type { SsoIdentity } from './single-sign-on.js';
import { SignInThrottle } from './sign-in-throttle.js';

/** One-time links (invites and password resets) last this long. */
export const LINK_LIFETIME_MS = 72 * 3600_000;

const MAX_PAGE = 100;

/** How operators sign in, from the config. */
export interface OperatorsOptions {
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** Failures for one email from one address before that address is locked out of that email. */
  maxFailuresPerEmail: number;
  /** Failures for one email from every address together before the email is locked out. */
  maxFailuresPerEmailAllAddresses: number;
  maxFailuresPerAddress: number;
  lockoutMs: number;
  /** The start of invite and reset links (TOLLGATE_PUBLIC_URL); null until the server knows its address. */
  publicUrl: string | null;
  /** TOLLGATE_OVERRIDE_POLICY_DAYS, told to the console through `me`. */
  overridePolicyDays: number;
}

/** A one-time link, shown once. */
export interface IssuedLink {
  operator: Operator;
  link: string;
  expiresAt: Date;
}

/** A signed-in operator and their new session (the cookie's value). */
export interface SignedIn {
  operator: Operator;
  session: NewSession;
}

/** A page of operators, by email. */
export interface OperatorPage {
  operators: Operator[];
  hasNextPage: boolean;
}

/** Where an operator is, from their row. */
export function operatorState(operator: Operator): OperatorState {
  if (!operator.active) return 'DEACTIVATED';
  return operator.passwordHash ? 'ACTIVE' : 'INVITED';
}

/**
 * Operators: people who run Tollgate through the console. Invites and password resets are
 * one-time links (72 h, stored hashed, shown once to the owner who made them); sign-in checks an
 * argon2id hash with the same work for an unknown email, limited per email and per client
 * address; sessions are server-side (operator-sessions.ts). Every change is audited with its
 * actor and announced, so another process drops the sessions it ended at once.
 */
export class OperatorsService {
  readonly sessions: OperatorSessions;
  private readonly throttle: SignInThrottle;
  private readonly dummy = new DummyPasswordHash();
  private linkBase: string | null;
  /** How far ahead an operator's override may reach without a second person (the console shows it). */
  readonly overridePolicyDays: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
    options: OperatorsOptions,
  ) {
    this.sessions = new OperatorSessions(orm, feed, clock, { idleMs: options.sessionIdleMs, maxMs: options.sessionMaxMs });
    this.throttle = new SignInThrottle(orm, {
      maxPerEmailAndAddress: options.maxFailuresPerEmail,
      maxPerEmail: options.maxFailuresPerEmailAllAddresses,
      maxPerAddress: options.maxFailuresPerAddress,
      lockoutMs: options.lockoutMs,
    });
    this.linkBase = options.publicUrl;
    this.overridePolicyDays = options.overridePolicyDays;
  }

  /** Where links point when TOLLGATE_PUBLIC_URL is not set: the address the server listens on, known once it listens. */
  useAddressForLinks(url: string): void {
    this.linkBase ??= url.replace(/\/+$/, '');
  }

  /** The principal a session cookie's value names (see OperatorSessions.authenticate). */
  authenticateSession(sessionId: string): Promise<Principal> {
    return this.sessions.authenticate(sessionId);
  }

  /**
   * `POST /auth/login`. Refusals are SignInRefusals: 400 for a malformed body, 429 while the
   * email or address is locked out, and one 401 INVALID_CREDENTIALS for an unknown email, a
   * wrong password, an invite not yet accepted and a deactivated operator alike, each after the
   * same argon2 work. A session the browser already had is ended: sign-in always starts a new one.
   */
  async signIn(body: unknown, origin: SessionOrigin & { address: string }, previousSessionId: string | null): Promise<SignedIn> {
    const { email: typed, password } = parseBody(signInSchema, body);
    const email = typed.trim().toLowerCase();
    const now = this.clock();
    const verdict = await this.throttle.reserve(email, origin.address, now);
    if (!verdict.allowed) throw tooManyAttempts(verdict.retryAfterSeconds);
    const operator = await this.orm.em.fork().findOne(Operator, { email });
    const matches = isPasswordHash(operator?.passwordHash ?? null) ? await verifyPassword(operator!.passwordHash!, password) : await this.dummy.burn(password);
    if (!operator || !matches || !operator.active) throw invalidCredentials();
    await this.throttle.succeeded(email, origin.address);
    const session = await this.feed.write(this.orm.em, { scope: 'operator', operatorId: operator.id }, async (em) => {
      if (previousSessionId) await this.sessions.end(em, previousSessionId);
      return this.sessions.create(em, operator.id, origin, now);
    });
    return { operator, session };
  }

  /**
   * `GET /auth/oidc/callback`, once SingleSignOn vouched for the person: their first sign-in
   * creates them as an operator with the role their claim maps to (or accepts their pending
   * invite, keeping its role), audited as the operator themself; later sign-ins change nothing
   * (the role is then managed in Tollgate). A deactivated operator is refused, writing nothing.
   * Like a password sign-in, a session the browser already had is ended and a new one starts.
   */
  async signInWithSso(identity: SsoIdentity, origin: SessionOrigin, previousSessionId: string | null): Promise<SignedIn> {
    const now = this.clock();
    const known = await this.orm.em.fork().findOne(Operator, { email: identity.email });
    if (known && !known.active) throw operatorDeactivatedSignIn();
    const self = (operator: Operator): AuditActor => ({ kind: 'OPERATOR', id: operator.id, name: operator.email });
    const operatorId = known?.id ?? null;
    return this.feed.write(this.orm.em, (result: SignedIn) => ({ scope: 'operator', operatorId: result.operator.id }), async (em) => {
      let operator = operatorId ? await em.findOne(Operator, { id: operatorId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
      if (operator && !operator.active) throw operatorDeactivatedSignIn();
      if (!operator) {
        // Two first sign-ins at once: the unique email lets one insert, the other finds it.
        const inserted = await em.execute<{ id: string }[]>(
          `insert into operator (id, email, name, role, active, password_hash, created_by, created_at, updated_at)
           values (?, ?, ?, ?, true, ?, ?, ?, ?) on conflict (email) do nothing returning id`,
          [randomUUID(), identity.email, identity.name, identity.role, SSO_ONLY, 'single sign-on', now, now],
        );
        operator = await em.findOneOrFail(Operator, { email: identity.email }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!operator.active) throw operatorDeactivatedSignIn();
        if (inserted.length) {
          recordAudit(em, {
            actor: self(operator), action: 'operator.sso_create', entityType: 'Operator', entityId: operator.id,
            after: { ...operatorSnapshot(operator), subject: identity.subject },
          }, now);
        }
      } else if (!operator.passwordHash) {
        const before = operatorSnapshot(operator);
        operator.passwordHash = SSO_ONLY;
        operator.updatedAt = now;
        await this.supersedeLinks(em, operator.id, 'INVITE', now);
        await em.flush();
        recordAudit(em, {
          actor: self(operator), action: 'operator.sso_accept_invite', entityType: 'Operator', entityId: operator.id,
          before, after: { ...operatorSnapshot(operator), subject: identity.subject },
        }, now);
      }
      if (previousSessionId) await this.sessions.end(em, previousSessionId);
      const session = await this.sessions.create(em, operator.id, origin, now);
      return { operator, session };
    });
  }

  /** `POST /auth/logout`: ends the session the cookie names (if any), in every process at once. */
  async signOut(sessionId: string | null): Promise<void> {
    if (!sessionId || !isOperatorSecret(sessionId)) return;
    let ended: string | null = null;
    await this.feed.write(this.orm.em, () => ({ scope: 'operator', operatorId: ended ?? 'none' }), async (em) => {
      ended = await this.sessions.end(em, sessionId);
    });
  }

  /** `POST /auth/invite`: accepts an invite link with a new password, activates the operator and signs them in. */
  acceptInvite(body: unknown, origin: SessionOrigin): Promise<SignedIn> {
    return this.useLink('INVITE', body, origin);
  }

  /** `POST /auth/reset`: sets a new password from a reset link, ends the operator's other sessions and signs them in. */
  resetPassword(body: unknown, origin: SessionOrigin): Promise<SignedIn> {
    return this.useLink('PASSWORD_RESET', body, origin);
  }

  /**
   * Invites a person (or invites again someone who has not accepted yet, or was deactivated):
   * the link is in the answer only. An earlier unused invite of theirs stops working.
   */
  async invite(actor: Principal, input: InviteOperatorValues): Promise<IssuedLink> {
    const values = validateInput(inviteOperatorSchema, input);
    const now = this.clock();
    const token = newOperatorSecret();
    const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS);
    const operator = await this.write(async (em) => {
      const existing = await em.findOne(Operator, { email: values.email }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (existing?.active && existing.passwordHash) throw operatorExists(values.email);
      const before = existing ? operatorSnapshot(existing) : null;
      const operator = existing ?? em.create(Operator, {
        email: values.email, name: values.name, role: values.role, active: true, createdBy: actorName(actor), createdAt: now, updatedAt: now,
      });
      if (existing) Object.assign(existing, { name: values.name, role: values.role, updatedAt: now });
      await em.flush();
      await this.supersedeLinks(em, operator.id, 'INVITE', now);
      this.addLink(em, operator, 'INVITE', token, actor, now, expiresAt);
      recordAudit(em, {
        actor: auditActor(actor), action: 'operator.invite', entityType: 'Operator', entityId: operator.id,
        before, after: operatorSnapshot(operator),
      }, now);
      return operator;
    }, (operator) => operator.id);
    return { operator, link: this.link('invite', token), expiresAt };
  }

  /** A one-time link to set a new password, for an active operator who forgot theirs; shown once. */
  async createPasswordReset(actor: Principal, id: string): Promise<IssuedLink> {
    const now = this.clock();
    const token = newOperatorSecret();
    const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS);
    const operator = await this.write(async (em) => {
      const operator = await this.lockOperator(em, id);
      if (!operator.active) throw operatorDeactivated(id);
      if (!operator.passwordHash) throw invitePending(id);
      await this.supersedeLinks(em, operator.id, 'PASSWORD_RESET', now);
      this.addLink(em, operator, 'PASSWORD_RESET', token, actor, now, expiresAt);
      recordAudit(em, {
        actor: auditActor(actor), action: 'operator.request_password_reset', entityType: 'Operator', entityId: operator.id,
        after: { expiresAt },
      }, now);
      return operator;
    }, (operator) => operator.id);
    return { operator, link: this.link('reset', token), expiresAt };
  }

  /**
   * Gives an operator another role. Their sessions end at once, in every process, so the new
   * role applies from their next sign-in and no request runs with the old one. The last active
   * OWNER cannot stop being one.
   */
  async setRole(actor: Principal, input: { id: string; role: string }): Promise<Operator> {
    const values = validateInput(setOperatorRoleSchema, input);
    const now = this.clock();
    return this.write(async (em) => {
      const operator = await this.lockOperator(em, values.id);
      if (!operator.active) throw operatorDeactivated(values.id);
      if (operator.role === values.role) return operator;
      if (operator.role === 'OWNER' && operator.passwordHash) await this.requireAnotherOwner(em, operator.id);
      const before = operatorSnapshot(operator);
      operator.role = values.role;
      operator.updatedAt = now;
      const sessionsEnded = await this.sessions.endAll(em, operator.id);
      recordAudit(em, {
        actor: auditActor(actor), action: 'operator.set_role', entityType: 'Operator', entityId: operator.id,
        before, after: { ...operatorSnapshot(operator), sessionsEnded },
      }, now);
      return operator;
    }, (operator) => operator.id);
  }

  /** Deactivates an operator: their sessions and unused links end at once, in every process. Kept on record, never deleted. */
  async deactivate(actor: Principal, id: string): Promise<Operator> {
    const now = this.clock();
    return this.write(async (em) => {
      const operator = await this.lockOperator(em, id);
      if (!operator.active) return operator;
      if (operator.role === 'OWNER' && operator.passwordHash) await this.requireAnotherOwner(em, operator.id);
      const before = operatorSnapshot(operator);
      operator.active = false;
      operator.deactivatedAt = now;
      operator.updatedAt = now;
      const sessionsEnded = await this.sessions.endAll(em, operator.id);
      await this.supersedeLinks(em, operator.id, 'INVITE', now);
      await this.supersedeLinks(em, operator.id, 'PASSWORD_RESET', now);
      recordAudit(em, {
        actor: auditActor(actor), action: 'operator.deactivate', entityType: 'Operator', entityId: operator.id,
        before, after: { ...operatorSnapshot(operator), sessionsEnded },
      }, now);
      return operator;
    }, (operator) => operator.id);
  }

  /** An operator's sessions in force, newest first, for an owner to see (OPERATOR_NOT_FOUND for an unknown id). */
  async sessionsOf(id: string): Promise<SessionListing[]> {
    if (!(await this.get(id))) throw operatorNotFound(id);
    return this.sessions.list(id);
  }

  /**
   * Ends one session of an operator (a lost laptop, a shared computer): refused at once in every
   * process, and its live socket closed; their other sessions go on. Audited. SESSION_NOT_FOUND
   * when it is not in force (ended already, or never theirs).
   */
  async endSession(actor: Principal, operatorId: string, sessionId: string): Promise<Operator> {
    const now = this.clock();
    return this.write(async (em) => {
      const operator = await this.lockOperator(em, operatorId);
      if (!(await this.sessions.endById(em, operator.id, sessionId))) throw sessionNotFound(operatorId, sessionId);
      recordAudit(em, {
        actor: auditActor(actor), action: 'operator.end_session', entityType: 'Operator', entityId: operator.id,
        after: { sessionEnded: sessionId },
      }, now);
      return operator;
    }, (operator) => operator.id);
  }

  /** One operator by id, or null. */
  async get(id: string): Promise<Operator | null> {
    if (!rules.isUuid(id)) return null;
    return this.orm.em.fork().findOne(Operator, { id });
  }

  /** Operators by email, a page at a time. */
  async page(options: { first?: number | null; after?: string | null }): Promise<OperatorPage> {
    const first = options.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badUserInput([{ path: 'first', message: `must be from 1 to ${MAX_PAGE}` }]);
    const after = options.after ? decodeOperatorCursor(options.after) : null;
    const operators = await this.orm.em.fork().find(Operator, after ? { email: { $gt: after } } : {}, { orderBy: { email: 'asc' }, limit: first + 1 });
    return { operators: operators.slice(0, first), hasNextPage: operators.length > first };
  }

  /**
   * Creates an OWNER (or another role) from the command line, with no caller to check: the way
   * into a new installation. Answers its invite link, shown once.
   */
  inviteFromCommandLine(input: { email: string; name: string; role: string }): Promise<IssuedLink> {
    // Validated by invite() like any GraphQL input: an unknown role is BAD_USER_INPUT there.
    return this.invite({ kind: 'admin', name: 'command line (npm run operator)', keyId: null }, input as InviteOperatorValues);
  }

  private async useLink(purpose: OperatorLinkPurpose, body: unknown, origin: SessionOrigin): Promise<SignedIn> {
    const { token, password } = parseBody(linkAcceptanceSchema, body);
    if (!isOperatorSecret(token)) throw linkInvalid();
    const tokenHash = hashOperatorSecret(token);
    const now = this.clock();
    const link = await this.orm.em.fork().findOne(OperatorLink, { tokenHash }, { populate: ['operator'] });
    if (!link || link.purpose !== purpose) throw linkInvalid();
    if (link.usedAt) throw linkUsed();
    if (link.expiresAt <= now) throw linkExpired();
    const problem = passwordProblem(password, link.operator);
    if (problem) throw weakPassword(problem);
    const passwordHash = await hashPassword(password);
    const operatorId = link.operator.id;
    const self = (operator: Operator): AuditActor => ({ kind: 'OPERATOR', id: operator.id, name: operator.email });
    return this.feed.write(this.orm.em, { scope: 'operator', operatorId }, async (em) => {
      // One statement: of two acceptances of one link (two tabs, a replay), only one finds it unused.
      const used = await em.execute('update operator_link set used_at = ? where token_hash = ? and used_at is null and expires_at > ? returning token_hash', [now, tokenHash, now]);
      if (!used.length) throw linkUsed();
      const operator = await em.findOneOrFail(Operator, { id: operatorId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (purpose === 'PASSWORD_RESET' && !operator.active) throw linkInvalid();
      const before = operatorSnapshot(operator);
      operator.passwordHash = passwordHash;
      operator.active = true;
      operator.deactivatedAt = null;
      operator.updatedAt = now;
      const sessionsEnded = await this.sessions.endAll(em, operator.id);
      await em.flush();
      const session = await this.sessions.create(em, operator.id, origin, now);
      recordAudit(em, {
        actor: self(operator), action: purpose === 'INVITE' ? 'operator.accept_invite' : 'operator.reset_password',
        entityType: 'Operator', entityId: operator.id, before, after: { ...operatorSnapshot(operator), sessionsEnded },
      }, now);
      return { operator, session };
    });
  }

  /** A write that changes one operator, announced so every process drops that operator's cached sessions. */
  private write<T>(work: (em: EntityManager) => Promise<T>, operatorId: (result: T) => string): Promise<T> {
    return this.feed.write(this.orm.em, (result: T) => ({ scope: 'operator', operatorId: operatorId(result) }), work);
  }

  private async lockOperator(em: EntityManager, id: string): Promise<Operator> {
    const operator = rules.isUuid(id) ? await em.findOne(Operator, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
    if (!operator) throw operatorNotFound(id);
    return operator;
  }

  /**
   * Refuses unless an active OWNER other than `operatorId` remains. The owners' rows are locked
   * first, so two owners demoting each other at once cannot both pass and leave none.
   */
  private async requireAnotherOwner(em: EntityManager, operatorId: string): Promise<void> {
    const owners = await em.execute<{ id: string }[]>(
      'select id from operator where role = ? and active and password_hash is not null order by id for update',
      ['OWNER'],
    );
    if (!owners.some((owner) => owner.id !== operatorId)) throw lastOwner(operatorId);
  }

  private async supersedeLinks(em: EntityManager, operatorId: string, purpose: OperatorLinkPurpose, now: Date): Promise<void> {
    await em.execute('update operator_link set used_at = ? where operator_id = ? and purpose = ? and used_at is null', [now, operatorId, purpose]);
  }

  private addLink(em: EntityManager, operator: Operator, purpose: OperatorLinkPurpose, token: string, actor: Principal, now: Date, expiresAt: Date): void {
    em.create(OperatorLink, { tokenHash: hashOperatorSecret(token), operator, purpose, createdBy: actorName(actor), createdAt: now, expiresAt });
  }

  private link(kind: 'invite' | 'reset', token: string): string {
    return `${this.linkBase ?? ''}/console/${kind}/${token}`;
  }
}

/** What the audit log keeps of an operator: never a password hash. */
function operatorSnapshot(operator: Operator) {
  return { id: operator.id, email: operator.email, name: operator.name, role: operator.role, state: operatorState(operator) };
}

/** The body of an `/auth/*` route, or 400 BAD_REQUEST saying which field is wrong (NUL characters included). */
function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badAuthRequest('Send a JSON object (Content-Type: application/json).');
  try {
    return validateInput(schema, body);
  } catch (error) {
    if (error instanceof GraphQLError) throw badAuthRequest(error.message);
    throw error;
  }
}


/** The opaque cursor of an operator in the `operators` connection. */
export function encodeOperatorCursor(email: string): string {
  return Buffer.from(`operator:${email}`).toString('base64url');
}

function decodeOperatorCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  if (!decoded.startsWith('operator:') || decoded.length > 329 || decoded.includes('\u0000')) {
    throw badUserInput([{ path: 'after', message: 'is not a cursor from this list; pass pageInfo.endCursor' }]);
  }
  return decoded.slice('operator:'.length);
}

export { SignInRefusal };

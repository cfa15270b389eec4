import { ForeignKeyConstraintViolationException, LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/index.js';
import { actorName, auditActor, ownApproval, principalIdentity, type Principal } from '../access/index.js';
import { unknownFeature } from '../catalog/index.js';
import { Feature } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../db/index.js';
import { accountNotFound } from '../entitlements/index.js';
import { badUserInput, rules, validateInput } from '../validation/index.js';
import type { OverrideRequestStatus } from '../vocabulary/index.js';
import { FEATURE_KIND_RULES } from '../vocabulary/index.js';
import { OverrideRequest } from './override-request.entity.js';
import { Override } from './override.entity.js';
import {
  approvalRequired,
  overrideAlreadyRevoked,
  overrideNotFound,
  overrideRequestDecided,
  overrideRequestNotFound,
  selfApproval,
} from './overrides.errors.js';
import {
  decideOverrideRequestSchema,
  grantOverrideSchema,
  overrideRequestsSchema,
  rejectOverrideRequestSchema,
  revokeOverrideSchema,
  type GrantOverrideValues,
  type RevokeOverrideValues,
} from './overrides.validation.js';

const DAY_MS = 86_400_000;

/** What overrides need from the config. */
export interface OverridesOptions {
  /** TOLLGATE_OVERRIDE_POLICY_DAYS: how far ahead an operator's own grant may reach. */
  policyDays: number;
}

/** A page of override requests, newest first. */
export interface OverrideRequestPage {
  requests: OverrideRequest[];
  hasNextPage: boolean;
}

type GrantValues = ReturnType<typeof grantOverrideSchema.parse>;

/**
 * Overrides: what support and sales give or take away from one account. Effective on commit,
 * audited with who approved it and why, never deleted. An operator grants alone only within the
 * policy (TOLLGATE_OVERRIDE_POLICY_DAYS, never permanent); beyond it, requestOverride asks a
 * second person, whose approval creates the override with them as `approvedBy`.
 */
export class OverridesService {
  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
    private readonly options: OverridesOptions = { policyDays: 30 },
  ) {}

  async grantOverride(actor: Principal, input: GrantOverrideValues): Promise<Override> {
    const values = validateInput(grantOverrideSchema, input);
    const now = this.clock();
    const approval = ownApproval(actor, values.approvedBy);
    if ('problem' in approval) throw badUserInput([{ path: 'approvedBy', message: approval.problem }]);
    const { approvedBy } = approval;
    if (actor.kind === 'operator') {
      const latest = new Date(now.getTime() + this.options.policyDays * DAY_MS);
      if (values.permanent || (values.endsAt && values.endsAt > latest)) throw approvalRequired(this.options.policyDays, latest, values.permanent === true);
    }
    const write = this.feed.write(this.orm.em, { scope: 'account', accountId: values.accountId }, async (em) =>
      this.createOverride(em, values, { approvedBy, createdBy: actorName(actor), actor, now }));
    return write.catch((error: unknown) => {
      if (error instanceof ForeignKeyConstraintViolationException) throw accountNotFound(values.accountId);
      throw error;
    });
  }

  /** Stops an override from now on. It stays on record with who revoked it and why. */
  async revokeOverride(actor: Principal, input: RevokeOverrideValues): Promise<Override> {
    const values = validateInput(revokeOverrideSchema, input);
    const now = this.clock();
    const revoked = (override: Override) => ({ scope: 'account', accountId: override.account.id }) as const;
    return this.feed.write(this.orm.em, revoked, async (em) => {
      const found = await em.findOne(Override, { id: values.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!found) throw overrideNotFound(values.id);
      if (found.revokedAt) throw overrideAlreadyRevoked(values.id);
      const before = overrideSnapshot(found);
      found.revokedAt = now;
      found.revokedBy = actorName(actor);
      found.revokeReason = values.reason;
      recordAudit(em, {
        actor: auditActor(actor), action: 'override.revoke', entityType: 'Override', entityId: found.id,
        accountId: found.account.id, before, after: overrideSnapshot(found), reason: values.reason,
      }, now);
      return found;
    });
  }

  /**
   * Asks for an override that a second person approves: any effect, any length, permanent
   * included. Checked now as a grant would be (account, feature, effect and value, dates), so the
   * approver decides on something that can be granted. Announced, so the console's queue shows it live.
   */
  async requestOverride(actor: Principal, input: GrantOverrideValues): Promise<OverrideRequest> {
    const values = validateInput(grantOverrideSchema, input);
    if (values.approvedBy) {
      throw badUserInput([{ path: 'approvedBy', message: 'must be empty: the person who approves the request is recorded as its approver' }]);
    }
    const now = this.clock();
    checkDates(values, now);
    const pending = (request: OverrideRequest) => ({ scope: 'override-request', requestId: request.id, accountId: values.accountId, status: 'PENDING' }) as const;
    return this.feed.write(this.orm.em, pending, async (em) => {
      const feature = await checkedFeature(em, values);
      const created = em.create(OverrideRequest, {
        account: values.accountId,
        featureKey: feature.key,
        effect: values.effect,
        value: values.value ?? null,
        startsAt: values.startsAt ?? null,
        endsAt: values.endsAt ?? null,
        permanent: values.permanent ?? false,
        reason: values.reason,
        status: 'PENDING',
        requestedBy: actorName(actor),
        requestedById: principalIdentity(actor),
        requestedAt: now,
      });
      recordAudit(em, {
        actor: auditActor(actor), action: 'override_request.create', entityType: 'OverrideRequest', entityId: created.id,
        accountId: values.accountId, after: requestSnapshot(created), reason: values.reason,
      }, now);
      return created;
    }).catch((error: unknown) => {
      if (error instanceof ForeignKeyConstraintViolationException) throw accountNotFound(values.accountId);
      throw error;
    });
  }

  /**
   * Approves a pending request: the override is granted in the same transaction, with the
   * approver as `approvedBy` and the requester as `createdBy`. Nobody approves their own request
   * (SELF_APPROVAL); the first decision stands (OVERRIDE_REQUEST_DECIDED).
   */
  async approveOverrideRequest(actor: Principal, input: { id: string; note?: string | null }): Promise<OverrideRequest> {
    const values = validateInput(decideOverrideRequestSchema, input);
    const now = this.clock();
    const request = await this.decide(values.id, async (em, request) => {
      if (request.requestedById === principalIdentity(actor)) throw selfApproval(request.id);
      const grant: GrantValues = {
        accountId: request.account.id, feature: request.featureKey, effect: request.effect, value: request.value,
        startsAt: request.startsAt, endsAt: request.endsAt, permanent: request.permanent, reason: request.reason, approvedBy: null,
      };
      checkDates(grant, now);
      const override = await this.createOverride(em, grant, { approvedBy: actorName(actor), createdBy: request.requestedBy, actor, now });
      const before = requestSnapshot(request);
      Object.assign(request, {
        status: 'APPROVED', decidedBy: actorName(actor), decidedById: principalIdentity(actor), decidedAt: now,
        decisionNote: values.note ?? null, override,
      });
      recordAudit(em, {
        actor: auditActor(actor), action: 'override_request.approve', entityType: 'OverrideRequest', entityId: request.id,
        accountId: request.account.id, before, after: requestSnapshot(request), reason: values.note ?? null,
      }, now);
    });
    await this.announce(request);
    return request;
  }

  /** Rejects a pending request, with a reason; nothing is granted. The requester may withdraw their own this way. */
  async rejectOverrideRequest(actor: Principal, input: { id: string; reason: string }): Promise<OverrideRequest> {
    const values = validateInput(rejectOverrideRequestSchema, input);
    const now = this.clock();
    const request = await this.decide(values.id, async (em, request) => {
      const before = requestSnapshot(request);
      Object.assign(request, {
        status: 'REJECTED', decidedBy: actorName(actor), decidedById: principalIdentity(actor), decidedAt: now, decisionNote: values.reason,
      });
      recordAudit(em, {
        actor: auditActor(actor), action: 'override_request.reject', entityType: 'OverrideRequest', entityId: request.id,
        accountId: request.account.id, before, after: requestSnapshot(request), reason: values.reason,
      }, now);
    });
    await this.announce(request);
    return request;
  }

  /** Override requests, newest first, optionally of one status or account. */
  async requests(options: { status?: OverrideRequestStatus | null; accountId?: string | null; first?: number | null; after?: string | null }): Promise<OverrideRequestPage> {
    const values = validateInput(overrideRequestsSchema, { status: options.status, accountId: options.accountId, first: options.first });
    const first = values.first ?? 20;
    const after = options.after ? decodeRequestCursor(options.after) : null;
    const requests = await this.orm.em.fork().find(
      OverrideRequest,
      {
        ...(values.status ? { status: values.status } : {}),
        ...(values.accountId ? { account: values.accountId } : {}),
        ...(after ? { $or: [{ requestedAt: { $lt: after.at } }, { requestedAt: after.at, id: { $lt: after.id } }] } : {}),
      },
      { orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }], limit: first + 1, populate: ['override'] },
    );
    return { requests: requests.slice(0, first), hasNextPage: requests.length > first };
  }

  /** One request, or null. */
  async request(id: string): Promise<OverrideRequest | null> {
    if (!rules.isUuid(id)) return null;
    return this.orm.em.fork().findOne(OverrideRequest, { id }, { populate: ['override'] });
  }

  private async createOverride(
    em: EntityManager,
    values: GrantValues,
    by: { approvedBy: string; createdBy: string; actor: Principal; now: Date },
  ): Promise<Override> {
    checkDates(values, by.now);
    const feature = await checkedFeature(em, values);
    // The account is named by id: its foreign key makes an unknown one fail the insert, in the
    // same statement, so no account can vanish between a check and the write.
    const created = em.create(Override, {
      account: values.accountId,
      featureKey: feature.key,
      effect: values.effect,
      value: values.value ?? null,
      startsAt: values.startsAt ?? by.now,
      endsAt: values.endsAt ?? null,
      permanent: values.permanent ?? false,
      reason: values.reason,
      approvedBy: by.approvedBy,
      createdBy: by.createdBy,
      createdAt: by.now,
    });
    recordAudit(em, {
      actor: auditActor(by.actor), action: 'override.grant', entityType: 'Override', entityId: created.id,
      accountId: values.accountId, after: overrideSnapshot(created), reason: values.reason,
    }, by.now);
    return created;
  }

  /** Locks a request, refuses it unless PENDING, and runs the decision in one transaction announced for its account. */
  private async decide(id: string, work: (em: EntityManager, request: OverrideRequest) => Promise<void>): Promise<OverrideRequest> {
    let accountId = '';
    return this.feed.write(this.orm.em, () => ({ scope: 'account', accountId }), async (em) => {
      const request = await em.findOne(OverrideRequest, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!request) throw overrideRequestNotFound(id);
      accountId = request.account.id;
      if (request.status !== 'PENDING') throw overrideRequestDecided(id, request.status);
      await work(em, request);
      return request;
    });
  }

  /** Tells every process (and so the console's live queue) that a request was made or decided. */
  private async announce(request: OverrideRequest): Promise<void> {
    await this.feed.write(this.orm.em, { scope: 'override-request', requestId: request.id, accountId: request.account.id, status: request.status }, async () => {});
  }
}

/** The dates of a grant: an end after the start and in the future. */
function checkDates(values: GrantValues, now: Date): void {
  const startsAt = values.startsAt ?? now;
  if (values.endsAt && values.endsAt <= startsAt) throw badUserInput([{ path: 'endsAt', message: 'must be after startsAt' }]);
  if (values.endsAt && values.endsAt <= now) throw badUserInput([{ path: 'endsAt', message: 'must be in the future' }]);
}

/** The feature a grant names, checked against its kind: a switch has no limit to set or add to. */
async function checkedFeature(em: EntityManager, values: GrantValues): Promise<Feature> {
  const feature = await em.findOne(Feature, { key: values.feature });
  if (!feature) throw unknownFeature(values.feature);
  if (!FEATURE_KIND_RULES[feature.kind].countable) {
    if (values.effect !== 'GRANT' && values.effect !== 'REVOKE') {
      throw badUserInput([{ path: 'effect', message: `"${feature.key}" is a ${feature.kind} feature: use GRANT or REVOKE` }]);
    }
    if (values.value !== null && values.value !== undefined) {
      throw badUserInput([{ path: 'value', message: `"${feature.key}" is a ${feature.kind} feature and has no limit` }]);
    }
  }
  return feature;
}

function overrideSnapshot(override: Override) {
  return {
    id: override.id,
    feature: override.featureKey,
    effect: override.effect,
    value: override.value,
    startsAt: override.startsAt,
    endsAt: override.endsAt,
    permanent: override.permanent,
    approvedBy: override.approvedBy,
    revokedAt: override.revokedAt,
    revokedBy: override.revokedBy,
  };
}

function requestSnapshot(request: OverrideRequest) {
  return {
    id: request.id,
    feature: request.featureKey,
    effect: request.effect,
    value: request.value,
    startsAt: request.startsAt,
    endsAt: request.endsAt,
    permanent: request.permanent,
    status: request.status,
    requestedBy: request.requestedBy,
    decidedBy: request.decidedBy,
    overrideId: request.override?.id ?? null,
  };
}

/** The opaque cursor of a request in `overrideRequests`. */
export function encodeRequestCursor(request: OverrideRequest): string {
  return Buffer.from(`request:${request.requestedAt.toISOString()}|${request.id}`).toString('base64url');
}

function decodeRequestCursor(cursor: string): { at: Date; id: string } {
  const match = /^request:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString());
  const at = match ? new Date(match[1]!) : null;
  if (!match || !at || Number.isNaN(at.getTime())) throw badUserInput([{ path: 'after', message: 'is not a cursor from this list; pass pageInfo.endCursor' }]);
  return { at, id: match[2]! };
}

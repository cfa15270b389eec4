import { ForeignKeyConstraintViolationException, LockMode } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/index.js';
import { actorName, type Principal } from '../access/index.js';
import { unknownFeature } from '../catalog/index.js';
import { Feature } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../db/index.js';
import { accountNotFound } from '../entitlements/index.js';
import { badUserInput, validateInput } from '../validation/index.js';
import { Override } from './override.entity.js';
import { overrideAlreadyRevoked, overrideNotFound } from './overrides.errors.js';
import {
  grantOverrideSchema,
  revokeOverrideSchema,
  type GrantOverrideValues,
  type RevokeOverrideValues,
} from './overrides.validation.js';
import { FEATURE_KIND_RULES } from '../vocabulary/index.js';

/**
 * Overrides: what support and sales give or take away from one account. Effective on commit,
 * audited with who approved it and why, never deleted.
 */
export class OverridesService {
  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  async grantOverride(actor: Principal, input: GrantOverrideValues): Promise<Override> {
    const values = validateInput(grantOverrideSchema, input);
    const now = this.clock();
    const startsAt = values.startsAt ?? now;
    if (values.endsAt && values.endsAt <= startsAt) {
      throw badUserInput([{ path: 'endsAt', message: 'must be after startsAt' }]);
    }
    if (values.endsAt && values.endsAt <= now) {
      throw badUserInput([{ path: 'endsAt', message: 'must be in the future' }]);
    }
    const write = this.feed.write(this.orm.em, { scope: 'account', accountId: values.accountId }, async (em) => {
      const feature = await em.findOne(Feature, { key: values.feature });
      if (!feature) throw unknownFeature(values.feature);
      if (!FEATURE_KIND_RULES[feature.kind].countable) {
        // No limit to set or add to: only access can be granted or revoked.
        if (values.effect !== 'GRANT' && values.effect !== 'REVOKE') {
          throw badUserInput([{ path: 'effect', message: `"${feature.key}" is a ${feature.kind} feature: use GRANT or REVOKE` }]);
        }
        if (values.value !== null && values.value !== undefined) {
          throw badUserInput([{ path: 'value', message: `"${feature.key}" is a ${feature.kind} feature and has no limit` }]);
        }
      }
      // The account is named by id: its foreign key makes an unknown one fail the insert, in the
      // same statement, so no account can vanish between a check and the write.
      const created = em.create(Override, {
        account: values.accountId,
        featureKey: feature.key,
        effect: values.effect,
        value: values.value ?? null,
        startsAt,
        endsAt: values.endsAt ?? null,
        permanent: values.permanent ?? false,
        reason: values.reason,
        approvedBy: values.approvedBy,
        createdBy: actorName(actor),
        createdAt: now,
      });
      recordAudit(em, {
        actor: actorName(actor), action: 'override.grant', entityType: 'Override', entityId: created.id,
        accountId: values.accountId, after: overrideSnapshot(created), reason: values.reason,
      }, now);
      return created;
    });
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
        actor: actorName(actor), action: 'override.revoke', entityType: 'Override', entityId: found.id,
        accountId: found.account.id, before, after: overrideSnapshot(found), reason: values.reason,
      }, now);
      return found;
    });
  }
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

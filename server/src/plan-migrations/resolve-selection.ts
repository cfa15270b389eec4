import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan, PlanVersion, planNotFound, planVersionNotFound } from '../catalog/index.js';
import { migrationTargetNotPublished } from './plan-migrations.errors.js';
import type { PlanMigrationInputParsed } from './plan-migrations.validation.js';
import type { Selection } from './selection.js';

/**
 * Resolves a migration's input against the catalog: the plan and its source versions (every
 * version unless `fromVersions`), the target (`toPlan` defaults to `plan`, `toVersion` to the
 * target plan's newest PUBLISHED version). PLAN_NOT_FOUND and PLAN_VERSION_NOT_FOUND name what is
 * missing; a target that is not PUBLISHED is MIGRATION_TARGET_NOT_PUBLISHED.
 */
export async function resolveSelection(em: EntityManager, input: PlanMigrationInputParsed): Promise<Selection> {
  const plan = await em.findOne(Plan, { key: input.plan });
  if (!plan) throw planNotFound(input.plan);
  const versions = await em.find(PlanVersion, { plan }, { orderBy: { version: 'asc' } });
  const fromVersions = input.fromVersions ? [...new Set(input.fromVersions)].sort((a, b) => a - b) : null;
  for (const number of fromVersions ?? []) {
    if (!versions.some((version) => version.version === number)) throw planVersionNotFound(plan.key, number);
  }
  const sources = fromVersions ? versions.filter((version) => fromVersions.includes(version.version)) : versions;

  const toPlanKey = input.toPlan ?? plan.key;
  const toPlan = toPlanKey === plan.key ? plan : await em.findOne(Plan, { key: toPlanKey });
  if (!toPlan) throw planNotFound(toPlanKey);
  const toVersions = toPlan === plan ? versions : await em.find(PlanVersion, { plan: toPlan }, { orderBy: { version: 'asc' } });
  let target: PlanVersion | undefined;
  if (input.toVersion !== null && input.toVersion !== undefined) {
    target = toVersions.find((version) => version.version === input.toVersion);
    if (!target) throw planVersionNotFound(toPlan.key, input.toVersion);
    if (target.status !== 'PUBLISHED') throw migrationTargetNotPublished(toPlan.key, target.version, target.status);
  } else {
    target = toVersions.filter((version) => version.status === 'PUBLISHED').at(-1);
    if (!target) throw migrationTargetNotPublished(toPlan.key, null, null);
  }

  return {
    planKey: plan.key,
    fromVersions,
    sourceVersionIds: sources.map((version) => version.id),
    target: { id: target.id, planKey: toPlan.key, version: target.version, interval: target.interval },
    accountIds: input.accountIds ? [...new Set(input.accountIds)].sort() : null,
    effective: input.effective ?? 'NOW',
    prorationBehavior: input.prorationBehavior ?? 'CREATE_PRORATIONS',
  };
}

/**
 * SHA-256 of the selection as resolved: the same migration asked for twice (the target spelled
 * out or left to default, accounts in another order) has the same key, so starting it again
 * resumes the open one rather than selecting anew.
 */
export function inputKeyOf(selection: Selection): string {
  const normalised = {
    plan: selection.planKey,
    fromVersions: selection.fromVersions,
    toPlan: selection.target.planKey,
    toVersion: selection.target.version,
    accountIds: selection.accountIds,
    effective: selection.effective,
  };
  return createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}

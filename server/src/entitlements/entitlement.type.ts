import { Field, ID, Int, ObjectType } from 'type-graphql';
import { FeatureKind } from '../catalog/index.js';
import type { CatalogFeature } from './evaluation-input.js';
import type { Decision } from './decision.js';
import { EntitlementReason } from './entitlement-reason.enum.js';
import { Quantity } from '../validation/index.js';

/** GraphQL: where a decision's access and limit came from. */
@ObjectType('EntitlementSource')
export class EntitlementSourceType {
  @Field(() => ID, { nullable: true, description: 'The plan version whose entitlement was the base.' })
  planVersionId!: string | null;

  @Field(() => [String], { description: 'Keys of the add-ons that contributed.' })
  addOns!: string[];

  @Field(() => [ID], { description: 'Ids of the overrides that applied.' })
  overrideIds!: string[];
}

/** GraphQL: the plan behind a decision. */
@ObjectType('EntitlementPlan')
export class EntitlementPlanType {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  version!: number;
}

/** GraphQL: the answer to "can this account do this thing right now?". */
@ObjectType('Entitlement')
export class EntitlementType {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'The feature key.' })
  feature!: string;

  @Field(() => String, { description: 'The feature\'s display name.' })
  featureName!: string;

  @Field(() => FeatureKind)
  kind!: keyof typeof FeatureKind;

  @Field(() => String, { nullable: true })
  unit!: string | null;

  @Field(() => Boolean)
  allowed!: boolean;

  @Field(() => EntitlementReason)
  reason!: keyof typeof EntitlementReason;

  @Field(() => EntitlementSourceType)
  source!: EntitlementSourceType;

  @Field(() => Quantity, { nullable: true, description: 'null = unlimited (and always for SWITCH features).' })
  limit!: number | null;

  @Field(() => Quantity, { description: 'Used in the current period (a gauge for QUANTITY features).' })
  used!: number;

  @Field(() => Quantity, { nullable: true, description: 'limit - used, never below 0; null when unlimited.' })
  remaining!: number | null;

  @Field(() => Quantity, { nullable: true, description: 'The amount this decision was asked about, if any.' })
  requested!: number | null;

  @Field(() => Boolean, { description: 'used has reached the plan\'s softLimitPercent of the limit.' })
  softLimitReached!: boolean;

  @Field(() => Date, { nullable: true, description: 'When metered usage starts again from 0.' })
  resetsAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the granting override or trial ends; the decision may change then.' })
  expiresAt!: Date | null;

  @Field(() => EntitlementPlanType, { nullable: true })
  plan!: EntitlementPlanType | null;

  @Field(() => [String], { description: 'For MISSING_DEPENDENCY: the required features that are not available.' })
  missingFeatures!: string[];

  @Field(() => Date, {
    description:
      'When this decision\'s inputs (catalog, account, usage) were read: the instant it was made for. Of two answers about one account, the later asOf is the newer state.',
  })
  asOf!: Date;

  static from(accountId: string, feature: CatalogFeature, decision: Decision, requested: number | null, asOf: Date): EntitlementType {
    return Object.assign(new EntitlementType(), {
      accountId,
      feature: feature.key,
      featureName: feature.name,
      kind: feature.kind,
      unit: feature.unit,
      allowed: decision.allowed,
      reason: decision.reason,
      source: Object.assign(new EntitlementSourceType(), {
        planVersionId: decision.source.planVersionId,
        addOns: decision.source.addOnKeys,
        overrideIds: decision.source.overrideIds,
      }),
      limit: decision.limit,
      used: decision.used,
      remaining: decision.remaining,
      requested,
      softLimitReached: decision.softLimitReached,
      resetsAt: decision.resetsAt,
      expiresAt: decision.expiresAt,
      plan: decision.plan ? Object.assign(new EntitlementPlanType(), decision.plan) : null,
      missingFeatures: decision.missingFeatures,
      asOf,
    });
  }
}

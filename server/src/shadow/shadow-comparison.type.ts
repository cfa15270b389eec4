import { Field, ID, ObjectType } from 'type-graphql';
import { EntitlementReason } from '../entitlements/index.js';
import { Quantity } from '../validation/index.js';
import { ShadowDisagreement } from './shadow-disagreement.enum.js';
import type { ComparisonRecord } from './shadow.service.js';

/** GraphQL: Tollgate's decision beside the legacy answer, and whether they agree. */
@ObjectType('ShadowComparison', {
  description: 'One shadow comparison: what Tollgate decided, what the legacy check answered, and whether they agree.',
})
export class ShadowComparisonType {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'The feature key.' })
  feature!: string;

  @Field(() => Quantity, { nullable: true, description: 'The amount asked about, if any.' })
  requested!: number | null;

  @Field(() => Boolean, { description: 'Tollgate\'s answer.' })
  allowed!: boolean;

  @Field(() => EntitlementReason, { description: 'Why Tollgate answered so.' })
  reason!: keyof typeof EntitlementReason;

  @Field(() => Quantity, { nullable: true, description: 'Tollgate\'s limit; null = unlimited (and always for SWITCH features).' })
  limit!: number | null;

  @Field(() => Quantity, { description: 'Used in the current period, as Tollgate counts it.' })
  used!: number;

  @Field(() => Quantity, { nullable: true, description: 'limit - used, never below 0; null when unlimited.' })
  remaining!: number | null;

  @Field(() => Boolean, { description: 'What the legacy check answered.' })
  legacyAllowed!: boolean;

  @Field(() => Quantity, { nullable: true, description: 'The legacy check\'s limit; null when none was sent.' })
  legacyLimit!: number | null;

  @Field(() => Boolean, { description: 'Access agrees, and so does the limit when the legacy check sent one.' })
  agreed!: boolean;

  @Field(() => ShadowDisagreement, { nullable: true, description: 'Why they disagree; null when they agree.' })
  disagreement!: keyof typeof ShadowDisagreement | null;

  @Field(() => Date, { description: 'When Tollgate decided.' })
  comparedAt!: Date;

  static from(record: ComparisonRecord): ShadowComparisonType {
    return Object.assign(new ShadowComparisonType(), {
      accountId: record.accountId,
      feature: record.featureKey,
      requested: record.requested,
      allowed: record.allowed,
      reason: record.reason,
      limit: record.limit,
      used: record.used,
      remaining: record.remaining,
      legacyAllowed: record.legacyAllowed,
      legacyLimit: record.legacyLimit,
      agreed: record.agreed,
      disagreement: record.disagreement,
      comparedAt: record.comparedAt,
    });
  }
}

import { Field, ID, ObjectType } from 'type-graphql';
import { OverrideEffect } from './override-effect.enum.js';
import type { Override } from './override.entity.js';
import { Quantity } from '../validation/index.js';
import { overrideInForce } from '../entitlements/index.js';

/** GraphQL: a per-account exception to the plan. */
@ObjectType('Override')
export class OverrideType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  feature!: string;

  @Field(() => OverrideEffect)
  effect!: keyof typeof OverrideEffect;

  @Field(() => Quantity, { nullable: true })
  value!: number | null;

  @Field(() => Date)
  startsAt!: Date;

  @Field(() => Date, { nullable: true, description: 'It stops applying at this instant exactly. null only when permanent.' })
  endsAt!: Date | null;

  @Field(() => Boolean)
  permanent!: boolean;

  @Field(() => String)
  reason!: string;

  @Field(() => String)
  approvedBy!: string;

  @Field(() => String, { description: 'The name of the API key that granted it.' })
  createdBy!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true })
  revokedBy!: string | null;

  @Field(() => String, { nullable: true })
  revokeReason!: string | null;

  @Field(() => Boolean, { description: 'Whether it applies right now: started, not ended, not revoked.' })
  active!: boolean;

  static from(override: Override, now: Date): OverrideType {
    const active = overrideInForce(override, now);
    return Object.assign(new OverrideType(), {
      id: override.id,
      accountId: override.account.id,
      feature: override.featureKey,
      effect: override.effect,
      value: override.value,
      startsAt: override.startsAt,
      endsAt: override.endsAt,
      permanent: override.permanent,
      reason: override.reason,
      approvedBy: override.approvedBy,
      createdBy: override.createdBy,
      createdAt: override.createdAt,
      revokedAt: override.revokedAt,
      revokedBy: override.revokedBy,
      revokeReason: override.revokeReason,
      active,
    });
  }
}

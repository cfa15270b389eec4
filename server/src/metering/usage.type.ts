import { Field, ObjectType } from 'type-graphql';
import type { UsageView } from './metering.service.js';
import { Quantity } from '../validation/index.js';

/** GraphQL: usage of one feature in its current period. */
@ObjectType('Usage')
export class UsageType {
  @Field(() => String)
  feature!: string;

  @Field(() => Quantity)
  used!: number;

  @Field(() => Quantity, { nullable: true, description: 'null = unlimited.' })
  limit!: number | null;

  @Field(() => Quantity, { nullable: true, description: 'null when unlimited.' })
  remaining!: number | null;

  @Field(() => Date, { nullable: true, description: 'Start of the current period (the epoch for gauges that never reset).' })
  periodStart!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the period ends and usage starts again from 0; null for gauges.' })
  periodEnd!: Date | null;

  @Field(() => Boolean)
  softLimitReached!: boolean;

  static from(view: UsageView): UsageType {
    return Object.assign(new UsageType(), {
      feature: view.feature.key,
      used: view.decision.used,
      limit: view.decision.limit,
      remaining: view.decision.remaining,
      periodStart: view.periodStart,
      periodEnd: view.periodEnd,
      softLimitReached: view.decision.softLimitReached,
    });
  }
}

import { Field, Int, ObjectType } from 'type-graphql';

/** GraphQL: a plan change waiting for the end of the period (`changePlan(at: PERIOD_END)`). */
@ObjectType('ScheduledPlanChange', {
  description: 'A plan change that takes effect at `at` (the end of the current period) by itself, with no job; until then the current plan applies.',
})
export class ScheduledPlanChangeType {
  @Field(() => String, { description: 'The plan key.' })
  plan!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String, { description: 'The plan\'s name.' })
  name!: string;

  @Field(() => Date, { description: 'The instant the change takes effect.' })
  at!: Date;

  static of(version: { planKey: string; version: number; planName: string }, at: Date): ScheduledPlanChangeType {
    return Object.assign(new ScheduledPlanChangeType(), { plan: version.planKey, version: version.version, name: version.planName, at });
  }
}

import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Plan } from './plan.entity.js';
import { PlanVersionType } from './plan-version.type.js';

/** GraphQL: a plan with its versions. */
@ObjectType('Plan')
export class PlanType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Int, { description: 'Upgrade order: a higher rank is an upgrade.' })
  rank!: number;

  @Field(() => Boolean, { description: 'Accounts without a subscription get this plan.' })
  isDefault!: boolean;

  @Field(() => [PlanVersionType], { description: 'Every version, oldest first, drafts included.' })
  versions!: PlanVersionType[];

  @Field(() => PlanVersionType, {
    nullable: true,
    description: 'The newest published version: what new subscriptions get. null until one is published.',
  })
  currentVersion!: PlanVersionType | null;

  @Field(() => Date)
  createdAt!: Date;

  /** Needs `versions` and their `entitlements` loaded. */
  static from(plan: Plan): PlanType {
    const versions = plan.versions.getItems().map((version) => PlanVersionType.from(version));
    const published = versions.filter((version) => version.status === 'PUBLISHED');
    return Object.assign(new PlanType(), {
      id: plan.id,
      key: plan.key,
      name: plan.name,
      description: plan.description,
      rank: plan.rank,
      isDefault: plan.isDefault,
      versions,
      currentVersion: published.at(-1) ?? null,
      createdAt: plan.createdAt,
    });
  }
}

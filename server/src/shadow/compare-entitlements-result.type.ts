import { Field, Int, ObjectType } from 'type-graphql';
import { ShadowComparisonType } from './shadow-comparison.type.js';
import type { BatchComparison } from './shadow.service.js';

/** GraphQL: one comparison of a compareEntitlements batch. */
@ObjectType('CompareEntitlementResult')
export class CompareEntitlementResultType {
  @Field(() => Int, { description: 'Position in the batch.' })
  index!: number;

  @Field(() => ShadowComparisonType, { nullable: true, description: 'The recorded comparison; null when this one failed.' })
  comparison!: ShadowComparisonType | null;

  @Field(() => String, { nullable: true, description: 'When it failed: the error code, such as UNKNOWN_FEATURE or ACCOUNT_NOT_FOUND.' })
  code!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;
}

/** GraphQL: the answer to compareEntitlements, one result per input in order. */
@ObjectType('CompareEntitlementsResult')
export class CompareEntitlementsResultType {
  @Field(() => [CompareEntitlementResultType])
  results!: CompareEntitlementResultType[];

  @Field(() => Int, { description: 'Comparisons recorded.' })
  compared!: number;

  @Field(() => Int, { description: 'Recorded comparisons that agreed.' })
  agreed!: number;

  @Field(() => Int, { description: 'Recorded comparisons that disagreed.' })
  disagreed!: number;

  @Field(() => Int, { description: 'Inputs that failed (see code), recorded nothing.' })
  failed!: number;

  static from(outcomes: BatchComparison[]): CompareEntitlementsResultType {
    const results = outcomes.map((outcome, index) =>
      Object.assign(new CompareEntitlementResultType(), {
        index,
        comparison: outcome.status === 'COMPARED' ? ShadowComparisonType.from(outcome.comparison) : null,
        code: outcome.status === 'FAILED' ? outcome.code : null,
        message: outcome.status === 'FAILED' ? outcome.message : null,
      }),
    );
    const compared = outcomes.flatMap((outcome) => (outcome.status === 'COMPARED' ? [outcome.comparison] : []));
    const agreed = compared.filter((comparison) => comparison.agreed).length;
    return Object.assign(new CompareEntitlementsResultType(), {
      results,
      compared: compared.length,
      agreed,
      disagreed: compared.length - agreed,
      failed: outcomes.length - compared.length,
    });
  }
}

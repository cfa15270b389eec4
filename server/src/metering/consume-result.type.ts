import { Field, ObjectType } from 'type-graphql';
import { EntitlementType } from '../entitlements/index.js';
import { UpgradeOfferType } from '../offers/index.js';
import type { MeteringOutcome } from './metering.service.js';
import { Quantity } from '../validation/index.js';

/** GraphQL: the answer to consume and release. */
@ObjectType('ConsumeResult')
export class ConsumeResultType {
  @Field(() => Boolean, { description: 'true: counted. false: refused, and nothing was recorded.' })
  ok!: boolean;

  @Field(() => EntitlementType, {
    description: 'After the request: used, remaining, softLimitReached. When refused: why (reason LIMIT_REACHED, NOT_IN_PLAN...).',
  })
  entitlement!: EntitlementType;

  @Field(() => Quantity, { description: 'Units of this request recorded past the limit (overage ALLOW only).' })
  overage!: number;

  @Field(() => [UpgradeOfferType], { description: 'When refused: what would unlock the request, cheapest first. Empty when ok.' })
  offers!: UpgradeOfferType[];

  static from(outcome: MeteringOutcome): ConsumeResultType {
    return Object.assign(new ConsumeResultType(), {
      ok: outcome.ok,
      entitlement: EntitlementType.from(outcome.accountId, outcome.feature, outcome.decision, outcome.ok ? null : outcome.amount, outcome.asOf),
      overage: outcome.overage,
      offers: outcome.offers.map((offer) => UpgradeOfferType.from(offer)),
    });
  }
}

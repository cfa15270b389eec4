import { Field, Int, ObjectType } from 'type-graphql';
import { BillingInterval } from '../catalog/index.js';
import { MoneyType } from '../catalog/index.js';
import type { UpgradeOffer } from './find-upgrade-offers.js';
import { OfferKind } from './offer-kind.enum.js';
import { Quantity } from '../validation/index.js';

/** GraphQL: one way to unlock a refused request. */
@ObjectType('UpgradeOffer', { description: 'A plan or add-on that would make the request allowed.' })
export class UpgradeOfferType {
  @Field(() => OfferKind)
  kind!: keyof typeof OfferKind;

  @Field(() => String, { description: 'The plan\'s or add-on\'s key.' })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { nullable: true, description: 'The plan version offered (its newest published one); null for add-ons.' })
  version!: number | null;

  @Field(() => Int, { description: '1 for a plan; for an add-on, how many more units to buy.' })
  quantity!: number;

  @Field(() => MoneyType, { description: 'The full price per interval (for add-ons: of `quantity` units).' })
  price!: MoneyType;

  @Field(() => BillingInterval)
  interval!: keyof typeof BillingInterval;

  @Field(() => MoneyType, { description: 'How much more than the account pays now, per interval.' })
  priceDifference!: MoneyType;

  @Field(() => Quantity, { nullable: true, description: 'The feature\'s limit with this offer; null = unlimited.' })
  newLimit!: number | null;

  @Field(() => [String], { description: 'Other features this offer makes available that are not now.' })
  unlocks!: string[];

  @Field(() => Boolean, { description: 'Exactly one offer is recommended: the cheapest that allows the request.' })
  recommended!: boolean;

  static from(offer: UpgradeOffer): UpgradeOfferType {
    return Object.assign(new UpgradeOfferType(), {
      ...offer,
      price: MoneyType.from(offer.price),
      priceDifference: MoneyType.from(offer.priceDifference),
    });
  }
}

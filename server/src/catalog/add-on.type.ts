import { Field, ID, ObjectType } from 'type-graphql';
import type { AddOn } from './add-on.entity.js';
import { BillingInterval } from './catalog.enums.js';
import { MoneyType } from './money.type.js';
import { Quantity } from '../validation/index.js';

/** GraphQL: what one unit of an add-on grants for one feature. */
@ObjectType('AddOnGrant')
export class AddOnGrantType {
  @Field(() => String)
  feature!: string;

  @Field(() => Boolean, { description: 'Gives access to the feature.' })
  enable!: boolean;

  @Field(() => Quantity, { nullable: true, description: 'Added to the limit per purchased unit.' })
  limitIncrement!: number | null;
}

/** GraphQL: an add-on. */
@ObjectType('AddOn', { description: 'Bought on top of a plan, in any quantity.' })
export class AddOnType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => MoneyType, { description: 'Price of one unit.' })
  price!: MoneyType;

  @Field(() => BillingInterval)
  interval!: keyof typeof BillingInterval;

  @Field(() => [AddOnGrantType])
  grants!: AddOnGrantType[];

  @Field(() => String, { nullable: true, description: 'The Stripe price id of one unit.' })
  billingPriceId!: string | null;

  static from(addOn: AddOn): AddOnType {
    return Object.assign(new AddOnType(), {
      id: addOn.id,
      key: addOn.key,
      name: addOn.name,
      description: addOn.description,
      price: MoneyType.from({ amount: addOn.priceAmount, currency: addOn.priceCurrency }),
      interval: addOn.interval,
      billingPriceId: addOn.billingPriceId,
      grants: addOn.grants.map((grant) =>
        Object.assign(new AddOnGrantType(), {
          feature: grant.featureKey,
          enable: grant.enable,
          limitIncrement: grant.limitIncrement,
        }),
      ),
    });
  }
}

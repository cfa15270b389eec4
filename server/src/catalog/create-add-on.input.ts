import { Field, InputType } from 'type-graphql';
import { BillingInterval } from './catalog.enums.js';
import { MoneyInput } from './money.input.js';
import { Quantity } from '../validation/index.js';
import type { AddOnGrantValues, CreateAddOnValues } from './catalog.validation.js';

/** GraphQL input: what one unit of an add-on grants for one feature. */
@InputType('AddOnGrantInput')
export class AddOnGrantInput implements AddOnGrantValues {
  @Field(() => String)
  feature!: string;

  @Field(() => Boolean, { nullable: true, description: 'Give access to the feature. Default false.' })
  enable?: boolean | null;

  @Field(() => Quantity, { nullable: true, description: 'Added to the feature\'s limit per purchased unit.' })
  limitIncrement?: number | null;
}

/** GraphQL input of createAddOn. */
@InputType('CreateAddOnInput')
export class CreateAddOnInput implements CreateAddOnValues {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => MoneyInput, { description: 'Price of one unit.' })
  price!: MoneyInput;

  @Field(() => BillingInterval, { nullable: true, description: 'Default MONTH.' })
  interval?: keyof typeof BillingInterval | null;

  @Field(() => String, { nullable: true, description: 'The Stripe price id of one unit: a subscription item with it sets this add-on\'s quantity.' })
  billingPriceId?: string | null;

  @Field(() => [AddOnGrantInput])
  grants!: AddOnGrantInput[];
}

import { Field, InputType, Int } from 'type-graphql';
import type { MoneyValues } from './catalog.validation.js';

/** GraphQL input: an amount of money. */
@InputType('MoneyInput')
export class MoneyInput implements MoneyValues {
  @Field(() => Int, { description: 'Integer minor units (cents); never a float.' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 currency code, such as USD or EUR.' })
  currency!: string;
}

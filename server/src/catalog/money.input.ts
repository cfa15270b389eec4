import { Field, InputType, Int } from 'type-graphql';

/** GraphQL input: an amount of money. */
@InputType('MoneyInput')
export class MoneyInput {
  @Field(() => Int, { description: 'Integer minor units (cents); never a float.' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 currency code, such as USD or EUR.' })
  currency!: string;
}

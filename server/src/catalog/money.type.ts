import { Field, Int, ObjectType } from 'type-graphql';
import { formatMoney, type Money } from './money.js';

/** GraphQL: an amount of money. */
@ObjectType('Money', { description: 'Money in integer minor units (cents) with its ISO 4217 currency.' })
export class MoneyType {
  @Field(() => Int, { description: 'Minor units: 2900 is $29.00, 500 is ¥500.' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 code, such as USD.' })
  currency!: string;

  @Field(() => String, { description: 'Ready to show, in the currency\'s own format: "$29.00", "¥500".' })
  formatted!: string;

  static from(money: Money): MoneyType {
    return Object.assign(new MoneyType(), { ...money, formatted: formatMoney(money) });
  }
}

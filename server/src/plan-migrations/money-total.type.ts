import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { formatMoney } from '../catalog/index.js';
import type { Money } from './monthly-price.js';

/**
 * GraphQL: a sum of money over many accounts, which may be negative and pass 2^31 minor units
 * (100,000 accounts at $999 is 9,990,000,000 cents): `Money.amount` is an Int and could not hold it.
 */
@ObjectType('MoneyTotal', { description: 'A sum of money in integer minor units, up to ±(2^53−1), with its ISO 4217 currency.' })
export class MoneyTotalType {
  @Field(() => GraphQLSafeInt, { description: 'Minor units; negative for a decrease.' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 code, such as USD.' })
  currency!: string;

  @Field(() => String, { description: 'Ready to show, in the currency\'s own format: "-$1,225.00".' })
  formatted!: string;

  static from(money: Money): MoneyTotalType {
    return Object.assign(new MoneyTotalType(), { ...money, formatted: formatMoney(money) });
  }
}

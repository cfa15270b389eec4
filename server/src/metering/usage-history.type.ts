import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Quantity } from '../validation/index.js';
import type { UsageDayView } from './usage-history.js';

/** GraphQL: one UTC day of usage. */
@ObjectType('UsageDay', { description: 'One UTC day of an account\'s usage of a feature, summed from the usage ledger.' })
export class UsageDayType {
  @Field(() => Date, { description: 'Midnight UTC that starts the day.' })
  day!: Date;

  @Field(() => Quantity, { description: 'Units consumed and reported that day (by when they happened; a retried request counts once).' })
  counted!: number;

  @Field(() => Quantity, { description: 'Units released that day (QUANTITY features).' })
  released!: number;

  @Field(() => Int, { description: 'Ledger rows that day, setUsage corrections included.' })
  events!: number;
}

/** GraphQL: an account's daily usage of a feature over the last days. */
@ObjectType('UsageHistory')
export class UsageHistoryType {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  feature!: string;

  @Field(() => [UsageDayType], { description: 'Oldest first, one entry for every day (0 where nothing happened), today last.' })
  days!: UsageDayType[];

  static from(accountId: string, feature: string, days: UsageDayView[]): UsageHistoryType {
    return Object.assign(new UsageHistoryType(), {
      accountId,
      feature,
      days: days.map((day) => Object.assign(new UsageDayType(), day)),
    });
  }
}

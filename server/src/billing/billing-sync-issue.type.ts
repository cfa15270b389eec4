import { Field, ID, ObjectType } from 'type-graphql';
import { BillingSyncIssueKind } from './billing-sync-issue-kind.enum.js';
import type { BillingSyncIssue } from './billing-sync-issue.entity.js';

/** GraphQL: a Stripe event that could not be applied, and, once it was, how. */
@ObjectType('BillingSyncIssue', { description: 'A Stripe event Tollgate could not map; replayed by itself once it can be.' })
export class BillingSyncIssueType {
  @Field(() => ID)
  id!: string;

  @Field(() => BillingSyncIssueKind)
  kind!: keyof typeof BillingSyncIssueKind;

  @Field(() => String, { description: 'Stripe\'s evt_….' })
  eventId!: string;

  @Field(() => String, { description: 'Such as customer.subscription.updated.' })
  eventType!: string;

  @Field(() => String, { nullable: true })
  customerId!: string | null;

  @Field(() => String, { nullable: true })
  subscriptionId!: string | null;

  @Field(() => [String], { description: 'The prices that map to nothing (UNKNOWN_PRICE).' })
  priceIds!: string[];

  @Field(() => String, { description: 'What is wrong and how to fix it.' })
  message!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'How it was resolved, such as "replayed after linkBillingCustomer by ops: applied".' })
  resolution!: string | null;

  static from(issue: Omit<BillingSyncIssue, 'payload'>): BillingSyncIssueType {
    return Object.assign(new BillingSyncIssueType(), {
      id: String(issue.id),
      kind: issue.kind,
      eventId: issue.eventId,
      eventType: issue.eventType,
      customerId: issue.customerId,
      subscriptionId: issue.subscriptionId,
      priceIds: issue.priceIds,
      message: issue.message,
      createdAt: issue.createdAt,
      resolvedAt: issue.resolvedAt,
      resolution: issue.resolution,
    });
  }
}

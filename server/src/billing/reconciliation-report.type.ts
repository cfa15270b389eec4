import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BillingMismatchKind, ReconciliationRefusalKind } from './billing-mismatch-kind.enum.js';
import type { ReconciliationReport, ReportedMismatch } from './reconciliation.service.js';

/** GraphQL: one disagreement between Stripe and Tollgate. */
@ObjectType('BillingMismatch')
export class BillingMismatchType {
  @Field(() => BillingMismatchKind)
  kind!: keyof typeof BillingMismatchKind;

  @Field(() => ID, { nullable: true, description: 'null when the Stripe customer maps to no account.' })
  accountId!: string | null;

  @Field(() => String, { nullable: true, description: 'Stripe\'s sub_….' })
  providerSubscriptionId!: string | null;

  @Field(() => String, { nullable: true, description: 'Stripe\'s cus_….' })
  customerId!: string | null;

  @Field(() => String, { nullable: true, description: 'What Tollgate has, in a few words.' })
  tollgate!: string | null;

  @Field(() => String, { nullable: true, description: 'What Stripe has, in a few words.' })
  provider!: string | null;

  @Field(() => String, { description: 'What differs, and what to do when apply cannot fix it.' })
  message!: string;

  @Field(() => Boolean, { description: 'Whether reconcileBilling(apply: true) can fix it.' })
  fixable!: boolean;

  @Field(() => Boolean, { description: 'Whether this run fixed it.' })
  fixed!: boolean;

  static from(mismatch: ReportedMismatch): BillingMismatchType {
    return Object.assign(new BillingMismatchType(), mismatch);
  }
}

/** GraphQL: why a run applied nothing. */
@ObjectType('ReconciliationRefusal')
export class ReconciliationRefusalType {
  @Field(() => ReconciliationRefusalKind)
  kind!: keyof typeof ReconciliationRefusalKind;

  @Field(() => String, { description: 'What was seen, and what to do.' })
  message!: string;
}

/** GraphQL: what one reconciliation run found and did. */
@ObjectType('ReconciliationReport')
export class ReconciliationReportType {
  @Field(() => ID, { description: 'The run\'s id; fixes carry it in the audit log\'s reason.' })
  id!: string;

  @Field(() => Date)
  checkedAt!: Date;

  @Field(() => Boolean, { description: 'Whether fixes were applied (apply: true, and not refused).' })
  applied!: boolean;

  @Field(() => Int, { description: 'Subscriptions Stripe listed, whatever their status.' })
  providerSubscriptions!: number;

  @Field(() => Int, { description: 'Tollgate subscriptions that mirror a Stripe subscription.' })
  tollgateSubscriptions!: number;

  @Field(() => [BillingMismatchType])
  mismatches!: BillingMismatchType[];

  @Field(() => Int)
  fixed!: number;

  @Field(() => [ReconciliationRefusalType], {
    description: 'Why apply: true applied nothing (a live/test mode mismatch, more than maxCancelPercent to cancel); empty otherwise.',
  })
  refusals!: ReconciliationRefusalType[];

  static from(report: ReconciliationReport): ReconciliationReportType {
    return Object.assign(new ReconciliationReportType(), {
      ...report,
      mismatches: report.mismatches.map((mismatch) => BillingMismatchType.from(mismatch)),
      refusals: report.refusals.map((refusal) => Object.assign(new ReconciliationRefusalType(), refusal)),
    });
  }
}

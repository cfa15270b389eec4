import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requirePermission } from '../access/index.js';
import { AccountType } from '../accounts/index.js';
import { PageInfoType } from '../audit/index.js';
import { BillingSyncIssueConnectionType, BillingSyncIssueEdgeType } from './billing-sync-issue-connection.type.js';
import { BillingSyncIssueType } from './billing-sync-issue.type.js';
import { encodeIssueCursor } from './billing.validation.js';
import { ReconciliationReportType } from './reconciliation-report.type.js';
import type { BillingContext } from './billing.context.js';

/** GraphQL face of billing sync: sync issues and customer links, for admins. */
@Resolver()
export class BillingResolver {
  @Query(() => BillingSyncIssueConnectionType, {
    description:
      'Stripe events Tollgate could not map (unknown customer or price), newest first; each says how to fix it and, once replayed, how it was resolved. `first` 1-100 (default 20); `resolved` filters. Any operator, or an admin key.',
  })
  async billingSyncIssues(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('resolved', () => Boolean, { nullable: true }) resolved: boolean | null,
    @Ctx() ctx: BillingContext,
  ): Promise<BillingSyncIssueConnectionType> {
    requirePermission(ctx.principal, 'READ_OPERATIONS');
    const page = await ctx.services.billing.listSyncIssues({ first, after, resolved });
    const edges = page.issues.map((issue) =>
      Object.assign(new BillingSyncIssueEdgeType(), { cursor: encodeIssueCursor(String(issue.id)), node: BillingSyncIssueType.from(issue) }),
    );
    return Object.assign(new BillingSyncIssueConnectionType(), {
      edges,
      pageInfo: Object.assign(new PageInfoType(), { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }),
    });
  }

  @Mutation(() => ReconciliationReportType, {
    description:
      'Compares every Stripe subscription with Tollgate\'s and reports each mismatch by kind; with apply: true, fixes what it can through the webhook path, audited with actor `reconciliation`. Needs STRIPE_API_KEY. BILLING or OWNER, or an admin key.',
  })
  async reconcileBilling(
    @Arg('apply', () => Boolean, { defaultValue: false }) apply: boolean,
    @Ctx() ctx: BillingContext,
  ): Promise<ReconciliationReportType> {
    requirePermission(ctx.principal, 'MANAGE_BILLING');
    return ReconciliationReportType.from(await ctx.services.reconciliation.reconcile(ctx.principal, apply));
  }

  @Mutation(() => AccountType, {
    description:
      'Links a Stripe customer (cus_…) to an account, so its events apply there; a customer links to one account. Events of that customer waiting as sync issues are replayed before it answers. Audited. BILLING or OWNER, or an admin key.',
  })
  async linkBillingCustomer(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('customerId', () => String) customerId: string,
    @Ctx() ctx: BillingContext,
  ): Promise<AccountType> {
    requirePermission(ctx.principal, 'MANAGE_BILLING');
    return AccountType.from(await ctx.services.billing.linkBillingCustomer(ctx.principal, { accountId, customerId }), ctx.services.clock());
  }
}

/** GraphQL: the billing side of an account. */
@Resolver(() => AccountType)
export class BillingAccountResolver {
  @FieldResolver(() => [String], { description: 'Stripe customers (cus_…) linked to this account, oldest first.' })
  async billingCustomerIds(@Root() account: AccountType, @Ctx() ctx: BillingContext): Promise<string[]> {
    return ctx.services.billing.customerIdsOf(account.id);
  }
}

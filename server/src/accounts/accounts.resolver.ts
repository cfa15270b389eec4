import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { requireAccountRead, requirePermission } from '../access/index.js';
import { PageInfoType } from '../audit/index.js';
import { AccountConnectionType, AccountEdgeType } from './account-connection.type.js';
import { AccountType } from './account.type.js';
import { AccountSort } from './account-sort.enum.js';
import { SubscriptionPhase } from './subscription-phase.enum.js';
import { CancelSubscriptionInput } from './cancel-subscription.input.js';
import { ChangePlanInput } from './change-plan.input.js';
import { ExtendTrialInput } from './extend-trial.input.js';
import { CurrentPlanType } from './current-plan.type.js';
import { UpdateSubscriptionStatusInput } from './update-subscription-status.input.js';
import { UpsertAccountInput } from './upsert-account.input.js';
import type { AccountsContext } from './accounts.context.js';
import { atOrOverALimit } from './over-limit.js';

/**
 * GraphQL face of accounts. Server keys may write here too: a host backend creates accounts at
 * sign-up and moves them between plans after checkout.
 */
@Resolver()
export class AccountsResolver {
  @Query(() => AccountType, { nullable: true, description: 'One account, or null when unknown. Any operator, a server or admin key.' })
  async account(@Arg('id', () => ID) id: string, @Ctx() ctx: AccountsContext): Promise<AccountType | null> {
    requirePermission(ctx.principal, 'READ');
    const view = await ctx.services.accounts.getAccount(id);
    return view ? AccountType.from(view, ctx.services.clock()) : null;
  }

  @Query(() => AccountConnectionType, {
    description:
      'Finds accounts, by id: `search` matches any part of the id, name or a metadata value (case-insensitive; one or two characters match the start of an id or name) and a billing customer id (cus_…, whole); `plan` is the plan key the account is on now (the default plan for accounts without a subscription); `phase` the subscription\'s phase now; `hasActiveOverrides` whether an override is in force now; `overLimit` whether some feature has used at least its limit (used > 0) now, as the account\'s entitlements say; `hasSyncIssue` whether an open billing sync issue names one of its customers or subscriptions; `sort` the order over every page (ID by default; NAME, CREATED), `descending` to reverse it, a cursor belonging to its order. `first` 1-100 (default 20). With `overLimit`, one page evaluates at most 2,000 accounts: a page may come back short with `hasNextPage`, and `endCursor` goes on from the last account looked at. Any operator, a server or admin key.',
  })
  async accounts(
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Arg('plan', () => String, { nullable: true }) plan: string | null,
    @Arg('phase', () => SubscriptionPhase, { nullable: true }) phase: keyof typeof SubscriptionPhase | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('hasActiveOverrides', () => Boolean, { nullable: true }) hasActiveOverrides: boolean | null,
    @Arg('overLimit', () => Boolean, { nullable: true }) overLimit: boolean | null,
    @Arg('hasSyncIssue', () => Boolean, { nullable: true }) hasSyncIssue: boolean | null,
    @Arg('sort', () => AccountSort, { nullable: true }) sort: keyof typeof AccountSort | null,
    @Arg('descending', () => Boolean, { nullable: true }) descending: boolean | null,
    @Ctx() ctx: AccountsContext,
  ): Promise<AccountConnectionType> {
    requirePermission(ctx.principal, 'READ');
    const page = await ctx.services.accounts.searchAccounts(
      { search, plan, phase, first, after, hasActiveOverrides, overLimit, hasSyncIssue, sort, descending },
      async (accountId) => atOrOverALimit((await ctx.services.entitlements.decideAll(accountId)).entitlements.map((entry) => entry.decision)),
    );
    const now = ctx.services.clock();
    const edges = page.views.map((view) =>
      Object.assign(new AccountEdgeType(), { cursor: view.cursor, node: AccountType.from(view, now) }),
    );
    return Object.assign(new AccountConnectionType(), {
      edges,
      pageInfo: Object.assign(new PageInfoType(), { hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
    });
  }

  @Query(() => CurrentPlanType, {
    description:
      'Which plan the account is on now, its subscription\'s status, trial end and add-ons: for a plan badge. Unknown account: ACCOUNT_NOT_FOUND. Any key or operator, or a client token of this account.',
  })
  async currentPlan(@Arg('accountId', () => ID) accountId: string, @Ctx() ctx: AccountsContext): Promise<CurrentPlanType> {
    requireAccountRead(ctx.principal, accountId);
    const { catalog, account } = await ctx.services.entitlements.accountInputs(accountId);
    return CurrentPlanType.from(catalog, account, ctx.services.clock());
  }

  @Mutation(() => AccountType, { description: 'Creates the account, or renames it. BILLING or OWNER, a server or admin key.' })
  async upsertAccount(@Arg('input', () => UpsertAccountInput) input: UpsertAccountInput, @Ctx() ctx: AccountsContext): Promise<AccountType> {
    requirePermission(ctx.principal, 'MANAGE_SUBSCRIPTIONS');
    return AccountType.from(await ctx.services.accounts.upsertAccount(ctx.principal, input), ctx.services.clock());
  }

  @Mutation(() => AccountType, {
    description:
      'Puts the account on a plan (newest published version unless `version`), optionally as a trial, now or at the end of the period (`at`). BILLING or OWNER, a server or admin key.',
  })
  async changePlan(@Arg('input', () => ChangePlanInput) input: ChangePlanInput, @Ctx() ctx: AccountsContext): Promise<AccountType> {
    requirePermission(ctx.principal, 'MANAGE_SUBSCRIPTIONS');
    return AccountType.from(await ctx.services.accounts.changePlan(ctx.principal, input), ctx.services.clock());
  }

  @Mutation(() => AccountType, {
    description:
      'Cancels the subscription: at the end of the period by default (phase CANCELING until then), or at once. Asking again changes nothing. BILLING or OWNER, a server or admin key.',
  })
  async cancelSubscription(
    @Arg('input', () => CancelSubscriptionInput) input: CancelSubscriptionInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<AccountType> {
    requirePermission(ctx.principal, 'MANAGE_SUBSCRIPTIONS');
    return AccountType.from(await ctx.services.accounts.cancelSubscription(ctx.principal, input), ctx.services.clock());
  }

  @Mutation(() => AccountType, { description: 'Sets the quantity of an add-on; 0 removes it. BILLING or OWNER, a server or admin key.' })
  async setAddOn(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('addOn', () => String) addOn: string,
    @Arg('quantity', () => Int) quantity: number,
    @Ctx() ctx: AccountsContext,
  ): Promise<AccountType> {
    requirePermission(ctx.principal, 'MANAGE_SUBSCRIPTIONS');
    return AccountType.from(await ctx.services.accounts.setAddOn(ctx.principal, { accountId, addOn, quantity }), ctx.services.clock());
  }

  @Mutation(() => AccountType, {
    description: 'Records what the billing provider says: PAST_DUE (with graceEndsAt), CANCELED, ACTIVE again. BILLING or OWNER, a server or admin key.',
  })
  async updateSubscriptionStatus(
    @Arg('input', () => UpdateSubscriptionStatusInput) input: UpdateSubscriptionStatusInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<AccountType> {
    requirePermission(ctx.principal, 'MANAGE_SUBSCRIPTIONS');
    return AccountType.from(await ctx.services.accounts.updateSubscriptionStatus(ctx.principal, input), ctx.services.clock());
  }

  @Mutation(() => AccountType, {
    description: 'Moves a trial\'s end later (a running, grace or expired trial); audited with reason and approver. SUPPORT, BILLING or OWNER (within TOLLGATE_OVERRIDE_POLICY_DAYS), or an admin key.',
  })
  async extendTrial(@Arg('input', () => ExtendTrialInput) input: ExtendTrialInput, @Ctx() ctx: AccountsContext): Promise<AccountType> {
    requirePermission(ctx.principal, 'GRANT_OVERRIDE');
    return AccountType.from(await ctx.services.accounts.extendTrial(ctx.principal, input), ctx.services.clock());
  }
}

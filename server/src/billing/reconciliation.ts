import type { BillingMismatchKind, SubscriptionStatus } from '../vocabulary/index.js';
import { governingState, type MirroredSubscription, type ProviderSubscription } from './provider-subscription.js';

/** What Tollgate would make of one provider subscription now, as billing sync maps it. */
export type ProviderExpectation =
  | { kind: 'mapped'; accountId: string; planVersionId: string; plan: string; version: number; mirrored: MirroredSubscription }
  | { kind: 'unknown-customer'; accountId: null; message: string }
  | { kind: 'unknown-price'; accountId: string | null; priceIds: string[]; message: string }
  | { kind: 'unknown-status'; accountId: string; message: string };

/** One provider subscription as listed, with what Tollgate makes of it. */
export interface ListedProviderSubscription {
  subscription: ProviderSubscription;
  expectation: ProviderExpectation;
}

/** One Tollgate subscription that names a provider subscription. */
export interface MirroringSubscription {
  accountId: string;
  providerSubscriptionId: string | null;
  planVersionId: string;
  plan: string;
  version: number;
  status: SubscriptionStatus;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  /** The plan item's quantity (seats of a per-seat price); null when not billed so. */
  planQuantity: number | null;
}

/** One disagreement between the provider and Tollgate. */
export interface BillingMismatch {
  kind: BillingMismatchKind;
  accountId: string | null;
  providerSubscriptionId: string | null;
  customerId: string | null;
  /** What Tollgate has, in a few words; null when it has nothing. */
  tollgate: string | null;
  /** What the provider has, in a few words; null when it has nothing. */
  provider: string | null;
  message: string;
  /** Whether `apply` can fix it (an unknown customer or price needs an admin first). */
  fixable: boolean;
}

const IN_FORCE: readonly SubscriptionStatus[] = ['TRIALING', 'ACTIVE', 'PAST_DUE'];

/**
 * Every way the provider's subscriptions and Tollgate's disagree. Pure. For each account the
 * provider subscription Tollgate should mirror is the governing one (the same rule webhooks
 * use), compared by plan version, status and period; a provider subscription whose customer or
 * price maps to nothing is reported as such; a Tollgate subscription naming a provider
 * subscription in force that names a provider subscription the provider does not list is
 * MISSING_IN_PROVIDER (apply cancels it).
 *
 * @example
 * compareBilling(listed, mirroring).filter((mismatch) => mismatch.fixable);
 */
export function compareBilling(listed: readonly ListedProviderSubscription[], tollgate: readonly MirroringSubscription[]): BillingMismatch[] {
  const mismatches: BillingMismatch[] = [];
  const byAccount = new Map<string, ListedProviderSubscription[]>();
  for (const entry of listed) {
    const { expectation } = entry;
    if (expectation.kind === 'unknown-customer') {
      mismatches.push(mismatch('MISSING_IN_TOLLGATE', entry, null, null, expectation.message, false));
    } else if (expectation.kind === 'unknown-price') {
      mismatches.push(mismatch('UNKNOWN_PRICE', entry, expectation.accountId, null, expectation.message, false));
    } else if (expectation.kind === 'unknown-status') {
      // A status this Tollgate does not know: reported, never applied; the last good state stays.
      mismatches.push(mismatch('STATUS_MISMATCH', entry, expectation.accountId, null, expectation.message, false));
    } else {
      byAccount.set(expectation.accountId, [...(byAccount.get(expectation.accountId) ?? []), entry]);
    }
  }

  const mirroringByAccount = new Map(tollgate.map((subscription) => [subscription.accountId, subscription]));
  for (const [accountId, entries] of byAccount) {
    const governing = governingState(entries.map(({ subscription }) => ({ subscription, snapshotKey: { at: new Date(0), seq: null, id: subscription.subscriptionId }, payment: null })));
    const entry = entries.find(({ subscription }) => subscription === governing!.subscription)!;
    const expected = entry.expectation as Extract<ProviderExpectation, { kind: 'mapped' }>;
    const current = mirroringByAccount.get(accountId);
    const theirs = describeExpected(expected);
    if (!current || current.providerSubscriptionId !== entry.subscription.subscriptionId) {
      const ours = current ? describeCurrent(current) : null;
      const message = current?.providerSubscriptionId
        ? `Tollgate mirrors ${current.providerSubscriptionId} for account "${accountId}", but the provider's current subscription is ${entry.subscription.subscriptionId}.`
        : `Account "${accountId}" has no subscription from the provider in Tollgate; the provider has ${entry.subscription.subscriptionId}.`;
      mismatches.push(mismatch('MISSING_IN_TOLLGATE', entry, accountId, ours, message, true, theirs));
      continue;
    }
    const ours = describeCurrent(current);
    if (current.planVersionId !== expected.planVersionId) {
      mismatches.push(mismatch('PLAN_MISMATCH', entry, accountId, ours, `Tollgate has plan ${current.plan} v${current.version}; the provider's prices are ${expected.plan} v${expected.version}.`, true, theirs));
    } else if ((current.planQuantity ?? null) !== (expected.mirrored.planQuantity ?? null)) {
      mismatches.push(mismatch('PLAN_MISMATCH', entry, accountId, ours, `Tollgate has ${current.planQuantity ?? 'no'} units of the plan item; the provider bills ${expected.mirrored.planQuantity ?? 'none'}.`, true, theirs));
    }
    if (current.status !== expected.mirrored.status) {
      mismatches.push(mismatch('STATUS_MISMATCH', entry, accountId, ours, `Tollgate has ${current.status}; the provider says ${entry.subscription.providerStatus} (${expected.mirrored.status}).`, true, theirs));
    }
    if (
      current.currentPeriodStart.getTime() !== expected.mirrored.currentPeriodStart.getTime() ||
      current.currentPeriodEnd.getTime() !== expected.mirrored.currentPeriodEnd.getTime()
    ) {
      mismatches.push(mismatch('PERIOD_MISMATCH', entry, accountId, ours, `Tollgate's period is ${period(current)}; the provider's is ${period(expected.mirrored)}.`, true, theirs));
    }
  }

  const listedIds = new Set(listed.map(({ subscription }) => subscription.subscriptionId));
  for (const current of tollgate) {
    // A subscription no longer in force that names a vanished one is history, not a mismatch.
    if (!current.providerSubscriptionId || listedIds.has(current.providerSubscriptionId) || !IN_FORCE.includes(current.status)) continue;
    mismatches.push({
      kind: 'MISSING_IN_PROVIDER',
      accountId: current.accountId,
      providerSubscriptionId: current.providerSubscriptionId,
      customerId: null,
      tollgate: describeCurrent(current),
      provider: null,
      message: `Tollgate mirrors ${current.providerSubscriptionId} for account "${current.accountId}", which the provider does not have; apply cancels it in Tollgate.`,
      fixable: true,
    });
  }
  return mismatches;
}

function mismatch(
  kind: BillingMismatchKind,
  entry: ListedProviderSubscription,
  accountId: string | null,
  tollgate: string | null,
  message: string,
  fixable: boolean,
  provider?: string,
): BillingMismatch {
  return {
    kind,
    accountId,
    providerSubscriptionId: entry.subscription.subscriptionId,
    customerId: entry.subscription.customerId,
    tollgate,
    provider: provider ?? `${entry.subscription.providerStatus}, prices ${entry.subscription.items.map((item) => item.priceId).join(', ') || 'none'}`,
    message,
    fixable,
  };
}

function describeCurrent(subscription: MirroringSubscription): string {
  return `${subscription.plan} v${subscription.version}, ${subscription.status}, ${period(subscription)}`;
}

function describeExpected(expected: Extract<ProviderExpectation, { kind: 'mapped' }>): string {
  return `${expected.plan} v${expected.version}, ${expected.mirrored.status}, ${period(expected.mirrored)}`;
}

function period(subscription: { currentPeriodStart: Date; currentPeriodEnd: Date }): string {
  return `${subscription.currentPeriodStart.toISOString()} – ${subscription.currentPeriodEnd.toISOString()}`;
}

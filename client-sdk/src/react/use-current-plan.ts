'use client';
import { useQuery } from '@apollo/client/react';
import { TollgateCurrentPlanDocument, type TollgateCurrentPlanFieldsFragment } from '../generated/graphql.js';
import { useTollgate } from './tollgate-context.js';

type CurrentSubscription = NonNullable<TollgateCurrentPlanFieldsFragment['subscription']>;

/**
 * Options of {@link useCurrentPlan}.
 *
 * @example
 * useCurrentPlan({ skip: !signedIn });
 */
export interface UseCurrentPlanOptions {
  skip?: boolean;
}

/**
 * What {@link useCurrentPlan} returns.
 *
 * @example
 * const { plan, onDefaultPlan }: UseCurrentPlanResult = useCurrentPlan();
 */
export interface UseCurrentPlanResult {
  loading: boolean;
  error: Error | undefined;
  /**
   * The plan whose entitlements apply now (`key`, `name`, `version`, `price`, `interval`): the
   * subscription's while it is in force, else the default plan. null when the account has
   * neither; undefined while loading.
   */
  plan: TollgateCurrentPlanFieldsFragment['plan'] | undefined;
  /** true when `plan` is the default plan because no subscription is in force. */
  onDefaultPlan: boolean;
  /** The subscription, null when the account never subscribed; undefined while loading. */
  subscription: CurrentSubscription | null | undefined;
  /** The subscription's status (TRIALING, ACTIVE, PAST_DUE, CANCELED, EXPIRED, PAUSED); null without one. */
  status: CurrentSubscription['status'] | null | undefined;
  /**
   * Where the subscription is in its life now (TRIAL, TRIAL_GRACE, ACTIVE, PAST_DUE, CANCELING,
   * EXPIRED, CANCELED, PAUSED), computed by Tollgate at the moment it answered; null without one.
   */
  phase: CurrentSubscription['phase'] | null | undefined;
  /** When the trial ends (or ended), for a "trial ends on …" line; null without a trial. */
  trialEndsAt: string | null | undefined;
  /**
   * A plan change waiting for the end of the period (`{ plan, name, version, at }`), for a "moves to
   * Basic on May 10" line; null when none is; undefined while loading.
   */
  scheduledChange: CurrentSubscription['scheduledChange'] | undefined;
  /** Purchased add-ons with their names and quantities. */
  addOns: CurrentSubscription['addOns'];
  /** The whole answer of `currentPlan`. */
  currentPlan: TollgateCurrentPlanFieldsFragment | undefined;
  refetch(): Promise<unknown>;
}

/**
 * The current account's plan, subscription status and phase, trial end and add-ons, read with the same
 * inputs as its entitlements, so a plan badge never disagrees with a paywall. Works with a
 * client token; refreshes with every other hook after an upgrade. (Named so because Apollo
 * Client's `useSubscription` is about GraphQL subscriptions.)
 *
 * @example
 * const { plan, status, trialEndsAt } = useCurrentPlan();
 * return <span>{plan?.name}{status === 'TRIALING' ? ` · trial until ${new Date(trialEndsAt!).toLocaleDateString()}` : ''}</span>;
 */
export function useCurrentPlan(options: UseCurrentPlanOptions = {}): UseCurrentPlanResult {
  const { client, accountId } = useTollgate();
  const { data, loading, error, refetch } = useQuery(TollgateCurrentPlanDocument, {
    client,
    variables: { accountId },
    skip: options.skip,
  });
  const currentPlan = data?.currentPlan;
  const subscription = currentPlan ? currentPlan.subscription : undefined;
  return {
    loading,
    error,
    plan: currentPlan?.plan,
    onDefaultPlan: currentPlan?.onDefaultPlan ?? false,
    subscription,
    status: subscription === undefined ? undefined : (subscription?.status ?? null),
    phase: subscription === undefined ? undefined : (subscription?.phase ?? null),
    trialEndsAt: subscription === undefined ? undefined : (subscription?.trialEndsAt ?? null),
    scheduledChange: subscription === undefined ? undefined : (subscription?.scheduledChange ?? null),
    addOns: subscription?.addOns ?? [],
    currentPlan,
    refetch: () => refetch(),
  };
}

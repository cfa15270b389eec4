'use client';
import { useQuery } from '@apollo/client/react';
import { useEffect } from 'react';
import { TollgateEntitlementDocument, TollgateEntitlementsDocument, type TollgateEntitlementFieldsFragment } from '../generated/graphql.js';
import { useTollgate } from './tollgate-context.js';
import { errorCause, isProduction, tollgateErrorCode, warnOnce, warningText } from './tollgate-error.js';

/** Options of {@link useEntitlement}. */
export interface UseEntitlementOptions {
  /**
   * Ask about this many more units (LIMIT_REACHED when fewer are left). A decision for an amount
   * is the server's to make (overage rules, add-ons), so it costs a request of its own; without
   * `amount` every hook of the page reads one shared request.
   */
  amount?: number;
  /** Ask nothing for now: `status` stays 'loading', `loading` is false. */
  skip?: boolean;
}

/**
 * Where a decision stands. 'loading': no answer yet. 'allowed' / 'denied': Tollgate decided.
 * 'error': Tollgate could not be asked or refused the question (down, a wrong or expired token,
 * an unknown feature key): `error` says why, and `allowed` is undefined, never false. An error
 * is never a paywall.
 */
export type EntitlementStatus = 'loading' | 'allowed' | 'denied' | 'error';

/** What {@link useEntitlement} returns. */
export interface UseEntitlementResult {
  status: EntitlementStatus;
  /** A request is in flight (Apollo's flag; also true during a refetch with a decision shown). */
  loading: boolean;
  /** Why there is no decision: Apollo's error, with Tollgate's code (see `tollgateErrorCode`). */
  error: Error | undefined;
  /** true or false once Tollgate decided; undefined while loading and on an error. */
  allowed: boolean | undefined;
  reason: TollgateEntitlementFieldsFragment['reason'] | undefined;
  limit: number | null | undefined;
  used: number | undefined;
  remaining: number | null | undefined;
  softLimitReached: boolean;
  resetsAt: string | null | undefined;
  /** The whole decision, with plan and feature name; undefined unless `status` is 'allowed' or 'denied'. */
  entitlement: TollgateEntitlementFieldsFragment | undefined;
  refetch(): Promise<unknown>;
}

/**
 * Whether the current account may use `feature` now, kept fresh as usage and plans change.
 * Every `useEntitlement` without `amount` on a page reads one shared `entitlements(accountId)`
 * query, so a page of gates costs one round trip; it is refetched after a consume, an upgrade
 * or `refresh()`. Check `status` (or `error`) before `allowed`: on an error `allowed` is
 * undefined, so no paywall shows for an outage. A key missing from the catalog is asked
 * about alone, and its UNKNOWN_FEATURE error is logged once in development, with the key.
 *
 * @example
 * const { status, remaining } = useEntitlement('api_calls');
 * if (status === 'loading' || status === 'error') return null;
 * if (status === 'denied') return <Paywall feature="api_calls" />;
 */
export function useEntitlement(feature: string, options: UseEntitlementOptions = {}): UseEntitlementResult {
  const { client, accountId } = useTollgate();
  const withAmount = options.amount !== undefined && options.amount !== null;
  const shared = useQuery(TollgateEntitlementsDocument, {
    client,
    variables: { accountId },
    skip: options.skip || withAmount,
    fetchPolicy: 'cache-first',
  });
  const fromList = shared.data?.entitlements.find((entitlement) => entitlement.feature === feature);
  // Not in the catalog the shared query saw: ask the server about this key alone, which answers
  // a feature created since, or UNKNOWN_FEATURE.
  const notListed = !withAmount && shared.data !== undefined && !fromList;
  const single = useQuery(TollgateEntitlementDocument, {
    client,
    variables: { accountId, feature, amount: options.amount ?? null },
    skip: options.skip || !(withAmount || notListed),
    fetchPolicy: 'cache-first',
  });
  const source = withAmount || notListed ? single : shared;
  const error = shared.error ?? (withAmount || notListed ? single.error : undefined);
  const entitlement = error ? undefined : (fromList ?? single.data?.entitlement);

  useEffect(() => {
    if (!error || isProduction() || tollgateErrorCode(error) !== 'UNKNOWN_FEATURE') return;
    const cause = errorCause(error, feature, accountId);
    warnOnce(client, cause.key, warningText(feature, cause));
  }, [error, feature, accountId, client]);

  return {
    status: error ? 'error' : !entitlement ? 'loading' : entitlement.allowed ? 'allowed' : 'denied',
    loading: source.loading,
    error,
    allowed: entitlement?.allowed,
    reason: entitlement?.reason,
    limit: entitlement?.limit,
    used: entitlement?.used,
    remaining: entitlement?.remaining,
    softLimitReached: entitlement?.softLimitReached ?? false,
    resetsAt: entitlement?.resetsAt,
    entitlement,
    refetch: () => source.refetch(),
  };
}

'use client';
import { useQuery } from '@apollo/client/react';
import { TollgateEntitlementDocument, type TollgateEntitlementFieldsFragment } from '../generated/graphql.js';
import { useTollgate } from './tollgate-context.js';

/** Options of {@link useEntitlement}. */
export interface UseEntitlementOptions {
  /** Ask about this many more units (LIMIT_REACHED when fewer are left). */
  amount?: number;
  skip?: boolean;
}

/** What {@link useEntitlement} returns. */
export interface UseEntitlementResult {
  loading: boolean;
  error: Error | undefined;
  /** false while loading. */
  allowed: boolean;
  reason: TollgateEntitlementFieldsFragment['reason'] | undefined;
  limit: number | null | undefined;
  used: number | undefined;
  remaining: number | null | undefined;
  softLimitReached: boolean;
  resetsAt: string | null | undefined;
  /** The whole decision, with plan and feature name. */
  entitlement: TollgateEntitlementFieldsFragment | undefined;
  refetch(): Promise<unknown>;
}

/**
 * Whether the current account may use `feature` now, kept fresh as usage and plans change.
 *
 * @example
 * const { allowed, remaining, loading } = useEntitlement('api_calls');
 * if (!allowed) return <Paywall feature="api_calls" />;
 */
export function useEntitlement(feature: string, options: UseEntitlementOptions = {}): UseEntitlementResult {
  const { client, accountId } = useTollgate();
  const { data, loading, error, refetch } = useQuery(TollgateEntitlementDocument, {
    client,
    variables: { accountId, feature, amount: options.amount ?? null },
    skip: options.skip,
  });
  const entitlement = data?.entitlement;
  return {
    loading,
    error,
    allowed: entitlement?.allowed ?? false,
    reason: entitlement?.reason,
    limit: entitlement?.limit,
    used: entitlement?.used,
    remaining: entitlement?.remaining,
    softLimitReached: entitlement?.softLimitReached ?? false,
    resetsAt: entitlement?.resetsAt,
    entitlement,
    refetch: () => refetch(),
  };
}

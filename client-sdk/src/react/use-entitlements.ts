'use client';
import { useQuery } from '@apollo/client/react';
import { TollgateEntitlementsDocument, type TollgateEntitlementFieldsFragment } from '../generated/graphql.js';
import { useTollgate } from './tollgate-context.js';

/** What {@link useEntitlements} returns. */
export interface UseEntitlementsResult {
  loading: boolean;
  error: Error | undefined;
  /** One decision per feature of the catalog, by key. */
  entitlements: TollgateEntitlementFieldsFragment[];
  /** Decisions by feature key. */
  byFeature: Record<string, TollgateEntitlementFieldsFragment>;
  refetch(): Promise<unknown>;
}

/**
 * Every feature's decision for the current account, in one request: for settings pages and
 * plan overviews. It is the same shared query every `useEntitlement` without an amount reads,
 * so it adds no request to a page that has gates.
 *
 * @example
 * const { byFeature } = useEntitlements();
 * const canExport = byFeature.export_csv?.allowed;
 */
export function useEntitlements(): UseEntitlementsResult {
  const { client, accountId } = useTollgate();
  const { data, loading, error, refetch } = useQuery(TollgateEntitlementsDocument, {
    client,
    variables: { accountId },
    fetchPolicy: 'cache-first',
  });
  const entitlements = data?.entitlements ?? [];
  return {
    loading,
    error,
    entitlements,
    byFeature: Object.fromEntries(entitlements.map((entitlement) => [entitlement.feature, entitlement])),
    refetch: () => refetch(),
  };
}

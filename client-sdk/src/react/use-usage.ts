'use client';
import { useQuery } from '@apollo/client/react';
import { TollgateUsageDocument, type TollgateUsageQuery } from '../generated/graphql.js';
import { useTollgate } from './tollgate-context.js';

/** What {@link useUsage} returns. */
export interface UseUsageResult {
  loading: boolean;
  error: Error | undefined;
  usage: TollgateUsageQuery['usage'] | undefined;
  used: number | undefined;
  /** null = unlimited. */
  limit: number | null | undefined;
  remaining: number | null | undefined;
  softLimitReached: boolean;
  periodEnd: string | null | undefined;
  refetch(): Promise<unknown>;
}

/**
 * The current period's usage of a metered or quantity feature.
 *
 * @example
 * const { used, limit } = useUsage('api_calls');
 */
export function useUsage(feature: string): UseUsageResult {
  const { client, accountId } = useTollgate();
  const { data, loading, error, refetch } = useQuery(TollgateUsageDocument, { client, variables: { accountId, feature } });
  const usage = data?.usage;
  return {
    loading,
    error,
    usage,
    used: usage?.used,
    limit: usage?.limit,
    remaining: usage?.remaining,
    softLimitReached: usage?.softLimitReached ?? false,
    periodEnd: usage?.periodEnd,
    refetch: () => refetch(),
  };
}

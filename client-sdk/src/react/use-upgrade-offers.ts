'use client';
import { useQuery } from '@apollo/client/react';
import { TollgateUpgradeOffersDocument, type TollgateUpgradeOfferFieldsFragment } from '../generated/graphql.js';
import { useTollgate } from './tollgate-context.js';

/** Options of {@link useUpgradeOffers}. */
export interface UseUpgradeOffersOptions {
  amount?: number;
  skip?: boolean;
}

/** What {@link useUpgradeOffers} returns. */
export interface UseUpgradeOffersResult {
  loading: boolean;
  error: Error | undefined;
  /** Cheapest first; empty when already allowed or when nothing would help. */
  offers: TollgateUpgradeOfferFieldsFragment[];
  recommended: TollgateUpgradeOfferFieldsFragment | undefined;
  refetch(): Promise<unknown>;
}

/**
 * What would unlock `feature` (for `amount` more units) for the current account.
 *
 * @example
 * const { offers, recommended } = useUpgradeOffers('seats', { amount: 5 });
 */
export function useUpgradeOffers(feature: string, options: UseUpgradeOffersOptions = {}): UseUpgradeOffersResult {
  const { client, accountId } = useTollgate();
  const { data, loading, error, refetch } = useQuery(TollgateUpgradeOffersDocument, {
    client,
    variables: { accountId, feature, amount: options.amount ?? null },
    skip: options.skip,
  });
  const offers = data?.upgradeOffers ?? [];
  return { loading, error, offers, recommended: offers.find((offer) => offer.recommended), refetch: () => refetch() };
}

'use client';
import type { ApolloClient } from '@apollo/client';
import { createContext, useContext } from 'react';
import type { TollgateUpgradeOfferFieldsFragment } from '../generated/graphql.js';
import type { LiveMode } from './keep-newest-link.js';

/** What the provider gives every hook and component below it. */
export interface TollgateContextValue {
  client: ApolloClient;
  accountId: string;
  /**
   * How the hooks are kept current: `'live'` (Tollgate pushes every change over the provider's
   * WebSocket), `'connecting'`, or `'fallback'` (refetch on window focus and on an interval:
   * graphql-ws is not installed, live updates are off, or the socket cannot open).
   */
  live: LiveMode;
  /** Opens the upgrade prompt for a feature. */
  openPaywall(feature: string, amount?: number): void;
  /** Called when a person chooses an offer; resolves once the purchase is done. */
  upgrade(offer: TollgateUpgradeOfferFieldsFragment): Promise<void>;
  /** Refetches every active Tollgate query, so every mounted hook shows the new state. */
  refresh(): Promise<void>;
}

export const TollgateContext = createContext<TollgateContextValue | null>(null);

/** The provider's value; throws a clear error outside a TollgateProvider. */
export function useTollgate(): TollgateContextValue {
  const value = useContext(TollgateContext);
  if (!value) throw new Error('Tollgate hooks and components must be inside <TollgateProvider>. Wrap your app (or this part of it) in one.');
  return value;
}

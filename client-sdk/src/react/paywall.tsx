'use client';
import { useId } from 'react';
import type { TollgateUpgradeOfferFieldsFragment } from '../generated/graphql.js';
import { OfferList } from './offer-list.js';
import { paywallTitle, reasonText } from './reason-text.js';
import { useTollgate } from './tollgate-context.js';
import { useGateWarning, type ErrorFallback } from './use-gate-warning.js';
import { useEntitlement } from './use-entitlement.js';
import { useEntitlements } from './use-entitlements.js';
import { useUpgradeOffers } from './use-upgrade-offers.js';

/** Props of {@link Paywall}. */
export interface PaywallProps {
  feature: string;
  amount?: number;
  /** The heading; default from the decision: "Upgrade to use CSV export", "Upgrade for more notes"... */
  title?: string;
  /** Instead of the provider's onUpgrade. */
  onUpgrade?: (offer: TollgateUpgradeOfferFieldsFragment) => Promise<void> | void;
  /** Called after a chosen offer went through. */
  onUpgraded?: () => void;
  /**
   * Shown when the decision or the offers could not be loaded (Tollgate down, a wrong or
   * expired token, an unknown key): a node, or a function of the error. Default: nothing, and
   * one console warning naming the cause and the fix.
   */
  errorFallback?: ErrorFallback;
  className?: string;
}

/**
 * An inline panel that says why a feature is not available and offers the way over the wall:
 * the offers with price and what each unlocks, the recommended one highlighted. Nothing in it
 * names a plan or a feature key: the words come from the decision and the offers from
 * Tollgate's catalog. When Tollgate cannot answer it shows `errorFallback`, never "no plan
 * unlocks this".
 *
 * @example
 * <Paywall feature="export_csv" errorFallback={<p>Plans are unavailable right now.</p>} />
 */
export function Paywall({ feature, amount, title, onUpgrade, onUpgraded, errorFallback, className }: PaywallProps) {
  const tollgate = useTollgate();
  const headingId = useId();
  const decision = useEntitlement(feature, { amount });
  const { entitlement } = decision;
  const offers = useUpgradeOffers(feature, { amount, skip: decision.status === 'error' });
  // The catalog's names, so that what an offer also unlocks is said in words, never keys.
  const catalog = useEntitlements();
  const error = decision.error ?? offers.error ?? catalog.error;
  const onError = useGateWarning(feature, error, errorFallback);
  if (error) return <>{onError}</>;
  if (!entitlement) return <section className="tollgate-paywall" aria-busy="true" />;
  const featureNames = Object.fromEntries(catalog.entitlements.map((each) => [each.feature, each.featureName]));
  const offersLoading = (offers.loading && offers.offers.length === 0) || (catalog.loading && catalog.entitlements.length === 0);
  return (
    <section className={`tollgate-paywall${className ? ` ${className}` : ''}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="tollgate-paywall__title">{title ?? paywallTitle(entitlement)}</h2>
      <p className="tollgate-paywall__reason">{reasonText(entitlement, { featureNames })}</p>
      {offersLoading ? (
        <p className="tollgate-paywall__note">Loading offers…</p>
      ) : offers.offers.length === 0 ? (
        entitlement.allowed ? null : <p className="tollgate-paywall__note">No plan unlocks this yet. Contact us and we will help.</p>
      ) : (
        <OfferList
          offers={offers.offers}
          featureNames={featureNames}
          feature={{ name: entitlement.featureName, kind: entitlement.kind, unit: entitlement.unit }}
          onChoose={async (offer) => {
            if (onUpgrade) {
              await onUpgrade(offer);
              await tollgate.refresh();
            } else {
              await tollgate.upgrade(offer);
            }
            onUpgraded?.();
          }}
        />
      )}
    </section>
  );
}

'use client';
import { useId } from 'react';
import type { TollgateUpgradeOfferFieldsFragment } from '../generated/graphql.js';
import { OfferList } from './offer-list.js';
import { paywallTitle, reasonText } from './reason-text.js';
import { useTollgate } from './tollgate-context.js';
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
  className?: string;
}

/**
 * An inline panel that says why a feature is not available and offers the way over the wall:
 * the offers with price and what each unlocks, the recommended one highlighted. Nothing in it
 * names a plan: the offers come from Tollgate's catalog.
 *
 * @example
 * <Paywall feature="export_csv" />
 */
export function Paywall({ feature, amount, title, onUpgrade, onUpgraded, className }: PaywallProps) {
  const tollgate = useTollgate();
  const headingId = useId();
  const { entitlement } = useEntitlement(feature, { amount });
  const { offers, loading: offersLoading } = useUpgradeOffers(feature, { amount });
  const { entitlements } = useEntitlements();
  const featureNames = Object.fromEntries(entitlements.map((decision) => [decision.feature, decision.featureName]));
  if (!entitlement) return <section className="tollgate-paywall" aria-busy="true" />;
  return (
    <section className={`tollgate-paywall${className ? ` ${className}` : ''}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="tollgate-paywall__title">{title ?? paywallTitle(entitlement)}</h2>
      <p className="tollgate-paywall__reason">{reasonText(entitlement, { featureNames })}</p>
      {offersLoading && offers.length === 0 ? (
        <p className="tollgate-paywall__note">Loading offers…</p>
      ) : offers.length === 0 ? (
        <p className="tollgate-paywall__note">No plan unlocks this yet. Contact us and we will help.</p>
      ) : (
        <OfferList
          offers={offers}
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

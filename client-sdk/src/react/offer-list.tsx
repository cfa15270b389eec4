'use client';
import { useState } from 'react';
import type { TollgateUpgradeOfferFieldsFragment } from '../generated/graphql.js';
import { offerLimitText } from './reason-text.js';

/** Props of {@link OfferList}. */
export interface OfferListProps {
  offers: TollgateUpgradeOfferFieldsFragment[];
  onChoose(offer: TollgateUpgradeOfferFieldsFragment): Promise<void>;
  /** Feature names by key, to say what an offer unlocks in words. */
  featureNames?: Record<string, string>;
  /** The feature the offers are for: SWITCH features have no limit to show; the unit names the limit. */
  feature?: { name: string; kind: string; unit?: string | null };
}

/** The offers as a list: price, what each unlocks, the recommended one highlighted. */
export function OfferList({ offers, onChoose, featureNames = {}, feature }: OfferListProps) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  return (
    <>
      <ul className="tollgate-offers">
        {offers.map((offer) => {
          const id = `${offer.kind}:${offer.key}`;
          return (
            <li key={id} className={`tollgate-offer${offer.recommended ? ' tollgate-offer--recommended' : ''}`}>
              <div className="tollgate-offer__head">
                <strong className="tollgate-offer__name">{offer.quantity > 1 ? `${offer.quantity} × ${offer.name}` : offer.name}</strong>
                {offer.recommended ? <span className="tollgate-offer__badge">Recommended</span> : null}
              </div>
              <p className="tollgate-offer__price">
                {offer.price.formatted}
                <span> / {offer.interval === 'YEAR' ? 'year' : 'month'}</span>
              </p>
              <p className="tollgate-offer__details">
                {feature
                  ? offerLimitText(offer.newLimit, { kind: feature.kind, featureName: feature.name, unit: feature.unit })
                  : offer.newLimit === null
                    ? 'Unlimited'
                    : `Up to ${offer.newLimit.toLocaleString('en-US')}`}
                {offer.unlocks.length ? ` · also unlocks ${offer.unlocks.map((key) => featureNames[key] ?? key).join(', ')}` : ''}
              </p>
              <button
                type="button"
                className="tollgate-button"
                disabled={busy !== null}
                onClick={async () => {
                  setBusy(id);
                  setFailed(null);
                  try {
                    await onChoose(offer);
                  } catch (error) {
                    setFailed((error as Error).message || 'The upgrade did not go through. Try again.');
                  } finally {
                    setBusy(null);
                  }
                }}
              >
                {busy === id ? 'Upgrading…' : `Choose ${offer.name}`}
              </button>
            </li>
          );
        })}
      </ul>
      {failed ? <p role="alert" className="tollgate-error">{failed}</p> : null}
    </>
  );
}

import type { Decision } from '../entitlements/index.js';
import { evaluate } from '../entitlements/index.js';
import type {
  AccountState,
  CatalogAddOn,
  CatalogPlanVersion,
  CatalogSnapshot,
  SubscriptionState,
  UsageSnapshot,
} from '../entitlements/index.js';
import { rules } from '../validation/index.js';
import type { BillingInterval, OfferKind } from '../vocabulary/index.js';

/** Something the account could buy that would make the request allowed. */
export interface UpgradeOffer {
  kind: OfferKind;
  key: string;
  name: string;
  /** The plan version offered; null for add-ons. */
  version: number | null;
  /** Units to buy: 1 for a plan, the extra quantity for an add-on. */
  quantity: number;
  price: { amount: number; currency: string };
  interval: BillingInterval;
  /** What the account would pay more per interval than now. */
  priceDifference: { amount: number; currency: string };
  /** The feature's limit with this offer; null = unlimited. */
  newLimit: number | null;
  /** Other features this offer would make available that are not now. */
  unlocks: string[];
  recommended: boolean;
}

/**
 * Every published plan (its newest version) and add-on that would make this request allowed for
 * this account, taking its usage, add-ons and overrides into account; cheapest first, the
 * cheapest one recommended. Empty when the request is already allowed, and when nothing in the
 * catalog would allow it. Pure: offers come from the catalog and the evaluator, never from names.
 */
export function findUpgradeOffers(
  catalog: CatalogSnapshot,
  account: AccountState,
  usage: UsageSnapshot,
  featureKey: string,
  now: Date,
  amount?: number,
): UpgradeOffer[] {
  const current = evaluate(catalog, account, usage, featureKey, now, amount);
  if (current.allowed) return [];
  const currentVersion = current.source.planVersionId ? catalog.planVersions.get(current.source.planVersionId) : undefined;
  const allowedNow = allowedFeatures(catalog, account, usage, now);
  const offers: UpgradeOffer[] = [];

  for (const version of newestPublishedVersions(catalog)) {
    if (version.id === currentVersion?.id) continue;
    const simulated = onPlan(account, version, inForce(current));
    const decision = evaluate(catalog, simulated, usage, featureKey, now, amount);
    if (!decision.allowed) continue;
    offers.push({
      kind: 'PLAN',
      key: version.planKey,
      name: version.planName,
      version: version.version,
      quantity: 1,
      price: { amount: version.priceAmount, currency: version.priceCurrency },
      interval: version.interval,
      priceDifference: difference(version, currentVersion),
      newLimit: decision.limit,
      unlocks: newlyAllowed(catalog, simulated, usage, now, allowedNow, featureKey),
      recommended: false,
    });
  }

  if (account.subscription && inForce(current)) {
    for (const addOn of catalog.addOns.values()) {
      const offer = addOnOffer(catalog, account, account.subscription, addOn, usage, featureKey, now, amount, current, allowedNow);
      if (offer) offers.push(offer);
    }
  }

  offers.sort((a, b) => monthly(a) - monthly(b) || (a.kind === b.kind ? a.key.localeCompare(b.key) : a.kind === 'PLAN' ? -1 : 1));
  if (offers[0]) offers[0].recommended = true;
  return offers;
}

function addOnOffer(
  catalog: CatalogSnapshot,
  account: AccountState,
  subscription: SubscriptionState,
  addOn: CatalogAddOn,
  usage: UsageSnapshot,
  featureKey: string,
  now: Date,
  amount: number | undefined,
  current: Decision,
  allowedNow: Set<string>,
): UpgradeOffer | null {
  const grant = addOn.grants.get(featureKey);
  if (!grant) return null;
  const owned = subscription.addOns.find((entry) => entry.addOnKey === addOn.key)?.quantity ?? 0;
  let extra = 1;
  if (grant.limitIncrement && current.limit !== null && current.reason === 'LIMIT_REACHED') {
    const deficit = current.used + (amount ?? 1) - current.limit;
    extra = Math.max(1, Math.ceil(deficit / grant.limitIncrement));
  }
  if (owned + extra > rules.MAX_ADD_ON_QUANTITY) return null;
  const simulated: AccountState = {
    ...account,
    subscription: {
      ...subscription,
      addOns: [...subscription.addOns.filter((entry) => entry.addOnKey !== addOn.key), { addOnKey: addOn.key, quantity: owned + extra }],
    },
  };
  const decision = evaluate(catalog, simulated, usage, featureKey, now, amount);
  if (!decision.allowed) return null;
  const price = { amount: addOn.priceAmount * extra, currency: addOn.priceCurrency };
  return {
    kind: 'ADD_ON',
    key: addOn.key,
    name: addOn.name,
    version: null,
    quantity: extra,
    price,
    interval: addOn.interval,
    priceDifference: price,
    newLimit: decision.limit,
    unlocks: newlyAllowed(catalog, simulated, usage, now, allowedNow, featureKey),
    recommended: false,
  };
}

/** The newest published version of every plan. */
function newestPublishedVersions(catalog: CatalogSnapshot): CatalogPlanVersion[] {
  const newest = new Map<string, CatalogPlanVersion>();
  for (const version of catalog.planVersions.values()) {
    if (version.status !== 'PUBLISHED') continue;
    const seen = newest.get(version.planKey);
    if (!seen || version.version > seen.version) newest.set(version.planKey, version);
  }
  return [...newest.values()];
}

/** The account as it would be, subscribed to `version`, keeping add-ons it has in force. */
function onPlan(account: AccountState, version: CatalogPlanVersion, keepAddOns: boolean): AccountState {
  const subscription = account.subscription;
  return {
    ...account,
    subscription: {
      planVersionId: version.id,
      status: 'ACTIVE',
      trialEndsAt: null,
      graceEndsAt: null,
      currentPeriodStart: subscription?.currentPeriodStart ?? null,
      currentPeriodEnd: subscription?.currentPeriodEnd ?? null,
      addOns: keepAddOns && subscription ? subscription.addOns : [],
    },
  };
}

function inForce(decision: Decision): boolean {
  return decision.reason !== 'SUBSCRIPTION_INACTIVE' && decision.reason !== 'TRIAL_EXPIRED' && decision.reason !== 'NO_SUBSCRIPTION';
}

function allowedFeatures(catalog: CatalogSnapshot, account: AccountState, usage: UsageSnapshot, now: Date): Set<string> {
  return new Set([...catalog.features.keys()].filter((key) => evaluate(catalog, account, usage, key, now).allowed));
}

function newlyAllowed(
  catalog: CatalogSnapshot,
  account: AccountState,
  usage: UsageSnapshot,
  now: Date,
  allowedNow: Set<string>,
  except: string,
): string[] {
  return [...allowedFeatures(catalog, account, usage, now)].filter((key) => key !== except && !allowedNow.has(key)).sort();
}

function difference(version: CatalogPlanVersion, current: CatalogPlanVersion | undefined): { amount: number; currency: string } {
  if (!current || current.priceCurrency !== version.priceCurrency) return { amount: version.priceAmount, currency: version.priceCurrency };
  const perInterval = (plan: CatalogPlanVersion) => (plan.interval === version.interval ? plan.priceAmount : plan.interval === 'YEAR' ? plan.priceAmount / 12 : plan.priceAmount * 12);
  return { amount: Math.round(version.priceAmount - perInterval(current)), currency: version.priceCurrency };
}

/** Price difference per month, to compare monthly and yearly offers. */
function monthly(offer: UpgradeOffer): number {
  return offer.interval === 'YEAR' ? offer.priceDifference.amount / 12 : offer.priceDifference.amount;
}

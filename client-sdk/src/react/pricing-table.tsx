'use client';
import { useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { TollgatePublishedPlansDocument, type TollgatePublishedPlanFieldsFragment } from '../generated/graphql.js';
import { useTollgate } from './tollgate-context.js';
import { useCurrentPlan } from './use-current-plan.js';

/**
 * A plan as the pricing table shows it: its newest published version, with what it includes.
 *
 * @example
 * const checkout = (plan: PricingPlan) => api.post('/checkout', { plan: plan.key, version: plan.version });
 */
export type PricingPlan = TollgatePublishedPlanFieldsFragment;

type Interval = PricingPlan['interval'];
type PlanEntitlement = PricingPlan['entitlements'][number];

/**
 * Props of {@link PricingTable}.
 *
 * @example
 * const props: PricingTableProps = { feature: 'seats', onSelect: (plan) => checkout(plan.key) };
 */
export interface PricingTableProps {
  /**
   * Called when a person chooses a plan: run your checkout (your backend changes the plan with
   * its server key). Every mounted Tollgate hook refreshes once it resolves; if it throws, its
   * message is shown.
   */
  onSelect(plan: PricingPlan): Promise<void> | void;
  /** The key of the plan to highlight as recommended. Wins over `feature`. */
  recommended?: string;
  /**
   * Highlight the cheapest plan that unlocks this feature, or raises its limit, compared with
   * the current plan.
   */
  feature?: string;
  /** The interval shown first when plans come both monthly and yearly; default: the current plan's, else monthly. */
  defaultInterval?: Interval;
  /** The list's accessible name; default "Plans". */
  label?: string;
  /** The level of each plan's heading; default 3. */
  headingLevel?: 2 | 3 | 4 | 5 | 6;
  className?: string;
}

const INTERVAL_WORD: Record<Interval, string> = { MONTH: 'month', YEAR: 'year' };
const INTERVAL_LABEL: Record<Interval, string> = { MONTH: 'Monthly', YEAR: 'Yearly' };
const PERIOD_WORDS: Record<PlanEntitlement['period'], string> = {
  HOUR: ' an hour',
  DAY: ' a day',
  WEEK: ' a week',
  MONTH: ' a month',
  YEAR: ' a year',
  BILLING_PERIOD: ' per billing period',
  NEVER: '',
};

/**
 * Every published plan (its newest version) with its price and what it includes, the current
 * plan marked and one highlighted as recommended, and a monthly/yearly switch when the catalog
 * has both. Each plan is a region named by its heading, with a "Choose …" button. Reads only
 * what a client token may: `publishedPlans` and the account's `currentPlan`.
 *
 * @example
 * <PricingTable feature="seats" onSelect={(plan) => checkout(plan.key)} />
 */
export function PricingTable({ onSelect, recommended, feature, defaultInterval, label, headingLevel = 3, className }: PricingTableProps) {
  const tollgate = useTollgate();
  const toggleName = useId();
  const { data, loading, error } = useQuery(TollgatePublishedPlansDocument, { client: tollgate.client });
  const current = useCurrentPlan();
  const [chosenInterval, setChosenInterval] = useState<Interval | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const classes = `tollgate-pricing${className ? ` ${className}` : ''}`;

  const plans = data?.publishedPlans;
  if (!plans) {
    if (loading) return <div className={classes} aria-busy="true" />;
    return (
      <div className={classes}>
        <p className="tollgate-pricing__note">{error ? 'Plans cannot be shown right now. Try again in a moment.' : 'No plans are published yet.'}</p>
      </div>
    );
  }

  const currentKey = current.plan?.key;
  // Free plans cost nothing on any interval, so they show under both.
  const paidIntervals = [...new Set(plans.filter((plan) => plan.price.amount > 0).map((plan) => plan.interval))];
  const hasToggle = paidIntervals.length > 1;
  const preferred = chosenInterval ?? defaultInterval ?? current.plan?.interval ?? 'MONTH';
  const interval = paidIntervals.includes(preferred) ? preferred : (paidIntervals[0] ?? preferred);
  const shown = hasToggle ? plans.filter((plan) => plan.interval === interval || plan.price.amount === 0) : plans;
  const recommendedKey = recommended ?? (feature ? cheapestUnlocking(shown, feature, plans.find((plan) => plan.key === currentKey)) : undefined);
  const Heading = `h${headingLevel}` as const;

  const choose = async (plan: PricingPlan) => {
    setBusy(plan.key);
    setFailed(null);
    try {
      await onSelect(plan);
      await tollgate.refresh();
    } catch (caught) {
      setFailed((caught as Error)?.message || 'The change did not go through. Try again.');
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className={classes}>
      {hasToggle ? (
        <fieldset className="tollgate-pricing__intervals">
          <legend className="tollgate-visually-hidden">Billing interval</legend>
          {(['MONTH', 'YEAR'] as const).filter((option) => paidIntervals.includes(option)).map((option) => (
            <label key={option} className="tollgate-pricing__interval">
              <input
                type="radio"
                name={toggleName}
                value={option}
                checked={interval === option}
                onChange={() => setChosenInterval(option)}
              />
              <span>{INTERVAL_LABEL[option]}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <ul className="tollgate-pricing__plans" aria-label={label ?? 'Plans'}>
        {shown.map((plan) => {
          const isCurrent = plan.key === currentKey;
          const isRecommended = plan.key === recommendedKey && !isCurrent;
          const headingId = `${toggleName}-${plan.key}`;
          const planClasses = ['tollgate-plan', isCurrent ? 'tollgate-plan--current' : '', isRecommended ? 'tollgate-plan--recommended' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <li key={plan.key} className="tollgate-pricing__item">
              <section className={planClasses} aria-labelledby={headingId} aria-current={isCurrent ? 'true' : undefined}>
                <div className="tollgate-plan__head">
                  <Heading id={headingId} className="tollgate-plan__name">{plan.name}</Heading>
                  {isCurrent ? <span className="tollgate-plan__badge tollgate-plan__badge--current">Current plan</span> : null}
                  {isRecommended ? <span className="tollgate-plan__badge">Recommended</span> : null}
                </div>
                {plan.description ? <p className="tollgate-plan__description">{plan.description}</p> : null}
                <p className="tollgate-plan__price">
                  {plan.price.amount === 0 ? 'Free' : plan.price.formatted}
                  {plan.price.amount === 0 ? null : <span> / {INTERVAL_WORD[plan.interval]}</span>}
                </p>
                {plan.trialDays > 0 && !isCurrent ? <p className="tollgate-plan__trial">{`${plan.trialDays}-day free trial`}</p> : null}
                <ul className="tollgate-plan__features" aria-label={`What ${plan.name} includes`}>
                  {plan.entitlements.map((entitlement) => (
                    <li
                      key={entitlement.feature}
                      className={`tollgate-plan__feature${entitlement.enabled ? '' : ' tollgate-plan__feature--excluded'}`}
                    >
                      {entitlementText(entitlement)}
                    </li>
                  ))}
                </ul>
                {isCurrent ? (
                  <p className="tollgate-plan__current">Your current plan</p>
                ) : (
                  <button type="button" className="tollgate-button" disabled={busy !== null} onClick={() => choose(plan)}>
                    {busy === plan.key ? 'Switching…' : `Choose ${plan.name}`}
                  </button>
                )}
              </section>
            </li>
          );
        })}
      </ul>
      {failed ? <p role="alert" className="tollgate-error">{failed}</p> : null}
    </div>
  );
}

/** "Notes: 5 notes", "API calls: 1,000 calls a month", "Seats: unlimited", "CSV export". */
function entitlementText(entitlement: PlanEntitlement): string {
  const name = entitlement.featureName;
  if (!entitlement.enabled) return entitlement.kind === 'SWITCH' ? `No ${name}` : `${name}: not included`;
  if (entitlement.kind === 'SWITCH') return name;
  const period = entitlement.kind === 'METERED' ? PERIOD_WORDS[entitlement.period] : '';
  if (entitlement.limit === null) return `${name}: unlimited`;
  return `${name}: ${entitlement.limit.toLocaleString('en-US')}${entitlement.unit ? ` ${entitlement.unit}` : ''}${period}`;
}

/** Whether a plan unlocks `feature`, or raises its limit, compared with the current plan. */
function gain(plan: PricingPlan, feature: string, current: PricingPlan | undefined): boolean {
  const offered = plan.entitlements.find((entitlement) => entitlement.feature === feature);
  if (!offered?.enabled) return false;
  const now = current?.entitlements.find((entitlement) => entitlement.feature === feature);
  if (!now?.enabled) return true;
  if (now.limit === null) return false;
  return offered.limit === null || offered.limit > now.limit;
}

/** The cheapest plan (per month) that unlocks or raises `feature`, other than the current one. */
function cheapestUnlocking(plans: PricingPlan[], feature: string, current: PricingPlan | undefined): string | undefined {
  const perMonth = (plan: PricingPlan) => (plan.interval === 'YEAR' ? plan.price.amount / 12 : plan.price.amount);
  return plans
    .filter((plan) => plan.key !== current?.key && gain(plan, feature, current))
    .sort((a, b) => perMonth(a) - perMonth(b) || a.rank - b.rank)[0]?.key;
}

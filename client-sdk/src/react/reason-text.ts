import type { TollgateEntitlementFieldsFragment } from '../generated/graphql.js';

/** The parts of a decision the sentences are made from. */
export type ReasonTextDecision = Pick<
  TollgateEntitlementFieldsFragment,
  'reason' | 'kind' | 'featureName' | 'unit' | 'limit' | 'used' | 'remaining' | 'requested' | 'resetsAt' | 'expiresAt' | 'missingFeatures'
>;

/** Options of {@link reasonText}. */
export interface ReasonTextOptions {
  /** Feature names by key, so that MISSING_DEPENDENCY names features instead of keys. */
  featureNames?: Record<string, string>;
}

/**
 * Why a feature is or is not available, in words a customer understands: the feature's name,
 * counts in its unit with singular and plural right, and the reset or end date when there is
 * one. Never a feature key, never a plan name. Units are read as the catalog gives them, in
 * the plural ("calls", "seats", "MB").
 *
 * @example
 * reasonText({ reason: 'LIMIT_REACHED', kind: 'QUANTITY', featureName: 'Seats', unit: 'seats', limit: 2, used: 0, remaining: 2, requested: 5, resetsAt: null, expiresAt: null, missingFeatures: [] });
 * // 'Your plan includes 2 seats, with 2 left: not enough for 5 more.'
 */
export function reasonText(decision: ReasonTextDecision, options: ReasonTextOptions = {}): string {
  const name = decision.featureName;
  switch (decision.reason) {
    case 'INCLUDED_IN_PLAN':
      return grantedText(decision, 'your plan includes', `Your plan includes ${name}.`);
    case 'GRANTED_BY_ADDON':
      return grantedText(decision, 'your plan and add-ons include', `An add-on on your account includes ${name}.`);
    case 'GRANTED_BY_OVERRIDE':
      return grantedText(decision, 'your account has been granted', `Your account has access to ${name}${until(decision.expiresAt)}.`, endsText(' This ends on', decision.expiresAt));
    case 'TRIAL':
      return grantedText(decision, 'your trial includes', `Your trial includes ${name}${until(decision.expiresAt)}.`, endsText(' Your trial ends on', decision.expiresAt));
    case 'TRIAL_GRACE':
      return grantedText(
        decision,
        'your trial included',
        `Your trial has ended; you keep ${name}${until(decision.expiresAt)} while you choose a plan.`,
        endsText(' Your trial has ended; choose a plan to keep them after', decision.expiresAt),
      );
    case 'LIMIT_REACHED':
      return limitText(decision);
    case 'NOT_IN_PLAN':
      return `Your current plan does not include ${name}.`;
    case 'TRIAL_EXPIRED':
      return `Your trial, which included ${name}, has ended.`;
    case 'SUBSCRIPTION_INACTIVE':
      return `To use ${name} you need an active subscription, and yours is not active.`;
    case 'REVOKED_BY_OVERRIDE':
      return `Your account no longer has access to ${name}. Contact support if this is unexpected.`;
    case 'MISSING_DEPENDENCY': {
      const names = decision.missingFeatures.map((key) => options.featureNames?.[key] ?? key);
      return names.length === 0
        ? `To use ${name} you also need another feature, which your plan does not include.`
        : `To use ${name} you also need ${listText(names)}, which your plan does not include.`;
    }
    case 'NO_SUBSCRIPTION':
      return `Choose a plan to use ${name}.`;
  }
}

/**
 * The heading of a paywall for this decision: "Upgrade to use CSV export" to someone who does
 * not have it, "Upgrade for more notes" to someone at a limit.
 *
 * @example
 * paywallTitle(decision); // 'Upgrade for more API calls'
 */
export function paywallTitle(decision: Pick<ReasonTextDecision, 'reason' | 'kind' | 'featureName' | 'unit' | 'limit'>): string {
  const name = decision.featureName;
  const limited = decision.kind !== 'SWITCH' && decision.limit !== null;
  switch (decision.reason) {
    case 'LIMIT_REACHED':
      return limited && decision.limit! > 0 ? `Upgrade for more ${plural(decision)}` : `Upgrade to use ${name}`;
    case 'TRIAL_EXPIRED':
      return `Upgrade to keep using ${name}`;
    case 'SUBSCRIPTION_INACTIVE':
      return `Choose a plan to use ${name} again`;
    case 'REVOKED_BY_OVERRIDE':
      return `Access to ${name} is turned off`;
    case 'INCLUDED_IN_PLAN':
    case 'GRANTED_BY_ADDON':
    case 'GRANTED_BY_OVERRIDE':
    case 'TRIAL':
      return limited ? `Upgrade for more ${plural(decision)}` : `You have ${name}`;
    case 'TRIAL_GRACE':
      return `Choose a plan to keep ${name}`;
    default:
      return `Upgrade to use ${name}`;
  }
}

/**
 * What an upgrade offer gives of the feature it is offered for: "Up to 1,000 notes",
 * "Unlimited API calls", or "Includes CSV export" for an on/off feature.
 *
 * @example
 * offerLimitText(1000, { kind: 'QUANTITY', featureName: 'Notes', unit: 'notes' }); // 'Up to 1,000 notes'
 */
export function offerLimitText(newLimit: number | null, feature: { kind: string; featureName: string; unit?: string | null }): string {
  if (feature.kind === 'SWITCH') return `Includes ${feature.featureName}`;
  if (newLimit === null) return `Unlimited ${plural(feature)}`;
  return `Up to ${amount(newLimit, feature)}`;
}

type Counted = { featureName: string; unit?: string | null };

/** An allowed decision: what it comes from, and for a limited feature how much is used. */
function grantedText(decision: ReasonTextDecision, source: string, onOff: string, ends = ''): string {
  if (decision.kind === 'SWITCH') return onOff;
  if (decision.limit === null) return `${capitalise(source)} unlimited ${plural(decision)}.${ends}`;
  if (decision.kind === 'METERED') {
    return `You have used ${count(decision.used)} of the ${amount(decision.limit, decision)} ${source} this period.${resets(decision.resetsAt)}${ends}`;
  }
  return `You are using ${count(decision.used)} of the ${amount(decision.limit, decision)} ${source}.${ends}`;
}

/** LIMIT_REACHED: full, over, or not enough left for the amount asked. */
function limitText(decision: ReasonTextDecision): string {
  const { limit, used, kind } = decision;
  if (kind === 'SWITCH' || limit === null) return `You have reached the limit of ${decision.featureName} on your plan.`;
  if (limit === 0) return `Your plan includes no ${noun(decision, 0)}.`;
  const metered = kind === 'METERED';
  const period = metered ? ' this period' : '';
  const reset = metered ? resets(decision.resetsAt) : '';
  const remaining = decision.remaining ?? Math.max(0, limit - used);
  if (used > limit) {
    return metered
      ? `You have used ${amount(used, decision)} this period, more than the ${count(limit)} your plan includes.${reset}`
      : `You are using ${amount(used, decision)}, more than the ${count(limit)} your plan includes.`;
  }
  if (remaining > 0) {
    const wanted = decision.requested === null ? '' : `: not enough for ${count(decision.requested)} more`;
    return `Your plan includes ${amount(limit, decision)}, with ${count(remaining)} left${period}${wanted}.${reset}`;
  }
  const all = limit === 1 ? 'the' : 'all';
  return metered
    ? `You have used ${all} ${amount(limit, decision)} your plan includes this period.${reset}`
    : `You are using ${all} ${amount(limit, decision)} your plan includes.`;
}

/** "5 notes", "1 API call", "500 MB of Storage". */
function amount(value: number, feature: Counted): string {
  return `${count(value)} ${noun(feature, value)}`;
}

/**
 * The word counted, for `value` of it. The unit when it says what the feature is ("notes" for
 * Notes), the name when it ends in the unit ("API calls" for API calls in calls), else the unit
 * of the name ("MB of Storage"); the name itself without a unit.
 */
function noun(feature: Counted, value: number): string {
  const name = feature.featureName;
  const unit = feature.unit?.trim();
  const one = value === 1;
  if (!unit) return one ? singular(name) : name;
  if (name.toLowerCase() === unit.toLowerCase()) return one ? singular(unit) : unit;
  if (name.toLowerCase().endsWith(` ${unit.toLowerCase()}`)) return one ? singular(name) : name;
  return `${one ? singular(unit) : unit} of ${name}`;
}

/** What there is more of, without a count: "notes", "API calls", "Storage" (for a unit of its own, MB). */
function plural(feature: Counted): string {
  const words = noun(feature, 2);
  return words.endsWith(` of ${feature.featureName}`) ? feature.featureName : words;
}

/** The singular of an English plural's last word: calls → call, entries → entry, boxes → box; MB stays. */
function singular(words: string): string {
  if (/[^aeiou]ies$/i.test(words)) return `${words.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/i.test(words)) return words.slice(0, -2);
  if (/[^s]s$/.test(words)) return words.slice(0, -1);
  return words;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function date(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', { month: 'long', day: 'numeric', timeZone: 'UTC' });
}

function resets(resetsAt: string | null): string {
  return resetsAt ? ` It resets on ${date(resetsAt)}.` : '';
}

function until(expiresAt: string | null): string {
  return expiresAt ? ` until ${date(expiresAt)}` : '';
}

function endsText(prefix: string, expiresAt: string | null): string {
  return expiresAt ? `${prefix} ${date(expiresAt)}.` : '';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "A", "A and B", "A, B and C". */
function listText(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

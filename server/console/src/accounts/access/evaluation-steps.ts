import type { AccountDecisionFragment, AccountPageQuery, ConsoleCatalogQuery, UsagePeriod } from '../../generated/graphql.js';
import { formatDateTime, formatQuantity } from '../../ui/format.js';
import { effectWords, PHASE_WORDS, REASON_WORDS } from './reason-words.js';

type PageAccount = NonNullable<AccountPageQuery['account']>;

/** One step of the evaluation order, as the "why" panel shows it. */
export interface EvaluationStep {
  title: string;
  /** ok: this step allows or adds; bad: it denies or takes away; neutral: it changes nothing. */
  tone: 'ok' | 'bad' | 'warn' | 'neutral';
  lines: string[];
}

const PERIOD_WORDS: Record<UsagePeriod, string> = {
  HOUR: 'per hour',
  DAY: 'per day',
  WEEK: 'per week',
  MONTH: 'per month',
  YEAR: 'per year',
  BILLING_PERIOD: 'per billing period',
  NEVER: 'in total',
};

/**
 * The evaluation order of DESIGN.md ("Evaluation"), walked for one feature of one account, in
 * words: the plan in force, add-ons, overrides, the subscription's phase, dependencies, usage.
 * The server's decision is the answer; these steps say where it came from, from the same data
 * the server evaluated (the account, its overrides and the catalog), so support can answer
 * "why" without reading code.
 */
export function evaluationSteps(input: {
  feature: string;
  decision: AccountDecisionFragment;
  decisions: AccountDecisionFragment[];
  account: PageAccount;
  catalog: ConsoleCatalogQuery;
  now: Date;
}): EvaluationStep[] {
  const { feature, decision, decisions, account, catalog, now } = input;
  const featureInfo = catalog.features.find((entry) => entry.key === feature);
  const featureName = featureInfo?.name ?? feature;
  const subscription = account.subscription;
  const steps: EvaluationStep[] = [];

  // 1. The plan version in force (the subscription's, or the default plan's).
  const planKey = decision.plan?.key;
  const plan = catalog.plans.find((entry) => entry.key === planKey);
  const version = plan?.versions.find((entry) => entry.version === decision.plan?.version);
  const planEntitlement = version?.entitlements.find((entry) => entry.feature === feature);
  const planLines: string[] = [];
  if (!decision.plan) {
    planLines.push('No plan applies: the account has no subscription in force and the catalog has no free (default) plan.');
  } else {
    const name = `${decision.plan.name} v${decision.plan.version}`;
    if (subscription && subscription.plan !== decision.plan.key) {
      planLines.push(`The subscription (${subscription.planVersion.planName} v${subscription.planVersion.version}) is not in force (${PHASE_WORDS[subscription.phase].toLowerCase()}), so the free plan ${name} applies.`);
    } else if (!subscription) {
      planLines.push(`No subscription: the free plan ${name} applies.`);
    }
    if (!planEntitlement || !planEntitlement.enabled) {
      planLines.push(`${name} does not include ${featureName}.`);
    } else if (featureInfo?.kind === 'SWITCH') {
      planLines.push(`${name} includes ${featureName}.`);
    } else {
      const period = featureInfo?.kind === 'METERED' ? ` ${PERIOD_WORDS[planEntitlement.period]}` : '';
      const limit = planEntitlement.limit === null ? 'with no limit' : `with a limit of ${formatQuantity(planEntitlement.limit)}${period}`;
      planLines.push(
        `${name} includes ${featureName} ${limit}` +
          (planEntitlement.limit !== null ? ` (warning at ${planEntitlement.softLimitPercent}%, overage ${planEntitlement.overage === 'ALLOW' ? 'allowed' : 'blocked'}).` : '.'),
      );
    }
  }
  steps.push({ title: 'Plan', tone: planEntitlement?.enabled ? 'ok' : 'bad', lines: planLines });

  // 2. Add-ons (only on a subscription in force).
  const addOnLines: string[] = [];
  for (const owned of subscription?.addOns ?? []) {
    const addOn = catalog.addOns.find((entry) => entry.key === owned.addOn);
    const grant = addOn?.grants.find((entry) => entry.feature === feature);
    if (!grant) continue;
    const parts = [grant.enable ? 'enables it' : null, grant.limitIncrement ? `adds ${formatQuantity(grant.limitIncrement * owned.quantity)} to the limit` : null].filter(Boolean);
    addOnLines.push(`${addOn?.name ?? owned.addOn} × ${owned.quantity} ${parts.join(' and ')}${decision.source.addOns.includes(owned.addOn) ? '.' : ' (not counted: the subscription is not in force).'}`);
  }
  steps.push({
    title: 'Add-ons',
    tone: decision.source.addOns.length ? 'ok' : 'neutral',
    lines: addOnLines.length ? addOnLines : ['No add-on touches this feature.'],
  });

  // 3. Overrides in force (oldest first: the newest has the last word), and those still to come.
  const overrides = account.overrides.filter((entry) => entry.feature === feature && !entry.revokedAt);
  const inForce = overrides.filter((entry) => entry.active).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const upcoming = overrides.filter((entry) => !entry.active && new Date(entry.startsAt) > now);
  const overrideLines = inForce.map(
    (entry) =>
      `${effectWords(entry.effect, entry.value ?? null)} ${entry.permanent ? 'permanently' : `until ${formatDateTime(entry.endsAt)}`}: “${entry.reason}” (approved by ${entry.approvedBy}).`,
  );
  if (inForce.length > 1) overrideLines.push('Several overrides apply: the newest has the last word.');
  for (const entry of upcoming) overrideLines.push(`From ${formatDateTime(entry.startsAt)}: ${effectWords(entry.effect, entry.value ?? null).toLowerCase()} (scheduled).`);
  const lastEffect = inForce.at(-1)?.effect;
  steps.push({
    title: 'Overrides',
    tone: !inForce.length ? 'neutral' : lastEffect === 'REVOKE' ? 'bad' : 'ok',
    lines: overrideLines.length ? overrideLines : ['No override in force.'],
  });

  // 4. The subscription's phase.
  const phaseLines: string[] = [];
  let phaseTone: EvaluationStep['tone'] = 'neutral';
  if (!subscription) {
    phaseLines.push('No subscription.');
  } else {
    switch (subscription.phase) {
      case 'TRIAL':
        phaseLines.push(`In trial until ${formatDateTime(subscription.trialEndsAt)}: the plan applies until then.`);
        phaseTone = 'ok';
        break;
      case 'TRIAL_GRACE':
        phaseLines.push(`The trial ended ${formatDateTime(subscription.trialEndsAt)}; the plan still applies during the grace period.`);
        phaseTone = 'warn';
        break;
      case 'ACTIVE':
        phaseLines.push('Active: the plan applies.');
        phaseTone = 'ok';
        break;
      case 'PAST_DUE':
        phaseLines.push(subscription.graceEndsAt ? `Payment failed; access is kept until ${formatDateTime(subscription.graceEndsAt)}.` : 'Payment failed; access is kept for now.');
        phaseTone = 'warn';
        break;
      case 'CANCELING':
        phaseLines.push(`Canceled at the end of the period: the plan applies until ${formatDateTime(subscription.currentPeriodEnd)}.`);
        phaseTone = 'warn';
        break;
      case 'PAUSED':
        phaseLines.push('Paused in Stripe (a trial ended without a payment method): only the free plan applies until it is resumed (an override still does).');
        phaseTone = 'bad';
        break;
      case 'EXPIRED':
        phaseLines.push('Expired: only the free plan applies (an override still does).');
        phaseTone = 'bad';
        break;
      case 'CANCELED':
        phaseLines.push('Canceled: only the free plan applies (an override still does).');
        phaseTone = 'bad';
        break;
    }
  }
  steps.push({ title: 'Subscription', tone: phaseTone, lines: phaseLines });

  // 5. Dependencies.
  const requires = featureInfo?.requires ?? [];
  if (requires.length) {
    steps.push({
      title: 'Depends on',
      tone: decision.missingFeatures.length ? 'bad' : 'ok',
      lines: requires.map((key) => {
        const other = decisions.find((entry) => entry.feature === key);
        return `${other?.featureName ?? key}: ${other?.allowed ? 'allowed' : `not allowed (${other ? REASON_WORDS[other.reason].toLowerCase() : 'unknown'})`}.`;
      }),
    });
  }

  // 6. Usage against the limit.
  if (decision.kind !== 'SWITCH') {
    const lines = [
      decision.limit === null
        ? `Used ${formatQuantity(decision.used)}; no limit.`
        : `Used ${formatQuantity(decision.used)} of ${formatQuantity(decision.limit)}; ${formatQuantity(decision.remaining)} left.`,
    ];
    if (decision.limit !== null && decision.used > decision.limit) lines.push('Usage is above the limit (kept after a downgrade): units must be released before more are allowed.');
    if (decision.softLimitReached) lines.push('Past the warning threshold.');
    if (decision.resetsAt) lines.push(`Starts again from 0 on ${formatDateTime(decision.resetsAt)}.`);
    steps.push({ title: 'Usage', tone: decision.reason === 'LIMIT_REACHED' ? 'bad' : decision.softLimitReached ? 'warn' : 'ok', lines });
  }
  return steps;
}

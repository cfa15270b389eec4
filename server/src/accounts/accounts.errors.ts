import { GraphQLError } from 'graphql';

/** A trial of each plan is given once; an admin may restart one on purpose. */
export function trialAlreadyUsed(accountId: string, planKey: string): GraphQLError {
  return new GraphQLError(
    `Account "${accountId}" has already had a trial of plan "${planKey}". Put it on the plan without a trial, or, with an admin key, pass allowTrialRestart: true.`,
    { extensions: { code: 'TRIAL_ALREADY_USED', accountId, plan: planKey } },
  );
}

/** extendTrial applies to trials; a paid or canceled subscription has none to extend. */
export function notInTrial(accountId: string, status: string): GraphQLError {
  return new GraphQLError(
    `Account "${accountId}" is not in a trial (its subscription is ${status}). extendTrial applies to TRIALING subscriptions; start one with changePlan(trial: true).`,
    { extensions: { code: 'NOT_IN_TRIAL', accountId, status } },
  );
}

/** Add-ons belong to a subscription; an account on the default plan has none yet. */
export function subscriptionRequired(accountId: string): GraphQLError {
  return new GraphQLError(
    `Account "${accountId}" has no subscription. Put it on a plan with changePlan before adding add-ons.`,
    { extensions: { code: 'SUBSCRIPTION_REQUIRED', accountId } },
  );
}

/** A change at period end needs a paid period in force to wait for. */
export function notInForce(accountId: string, phase: string): GraphQLError {
  return new GraphQLError(
    `Account "${accountId}" has no paid period to wait for (its subscription is ${phase}). Change the plan now (at: NOW); a paid change converts a trial.`,
    { extensions: { code: 'SUBSCRIPTION_NOT_IN_FORCE', accountId, phase } },
  );
}

/** Cancelling at period end needs a subscription in force; an expired one can only be canceled at once. */
export function nothingToCancel(accountId: string, phase: string): GraphQLError {
  return new GraphQLError(
    `Account "${accountId}" has no period to run to its end (its subscription is ${phase}). Cancel at once with atPeriodEnd: false.`,
    { extensions: { code: 'SUBSCRIPTION_NOT_IN_FORCE', accountId, phase } },
  );
}

/** A SUPPORT operator's trial extension past the policy's days. */
export function trialExtensionOverPolicy(role: string, policyDays: number, latestEndsAt: Date): GraphQLError {
  return new GraphQLError(
    `The ${role} role may extend a trial by at most ${policyDays} days (TOLLGATE_OVERRIDE_POLICY_DAYS): until ${latestEndsAt.toISOString()} at the latest. ` +
      'Choose an earlier endsAt, or ask a BILLING or OWNER operator.',
    { extensions: { code: 'FORBIDDEN', policyDays, latestEndsAt: latestEndsAt.toISOString() } },
  );
}

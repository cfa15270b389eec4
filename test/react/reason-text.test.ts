import { describe, expect, it } from 'vitest';
import { offerLimitText, paywallTitle, reasonText, type ReasonTextDecision } from '../../client-sdk/dist/react/index.js';

/**
 * The words a customer reads, one line per case: every reason for every kind of feature, with
 * the feature's name and unit, singular and plural, and never a key. (The same sentences are
 * rendered against a real server in shared-decisions.test.tsx and paywall-components.test.tsx.)
 */
const none = { requested: null, resetsAt: null, expiresAt: null, missingFeatures: [] as string[] };
const csv: Omit<ReasonTextDecision, 'reason'> = { ...none, kind: 'SWITCH', featureName: 'CSV export', unit: null, limit: null, used: 0, remaining: null };
const notes: Omit<ReasonTextDecision, 'reason'> = { ...none, kind: 'QUANTITY', featureName: 'Notes', unit: 'notes', limit: 5, used: 3, remaining: 2 };
const calls: Omit<ReasonTextDecision, 'reason'> = {
  ...none,
  kind: 'METERED',
  featureName: 'API calls',
  unit: 'calls',
  limit: 100,
  used: 40,
  remaining: 60,
  resetsAt: '2027-03-01T00:00:00.000Z',
};
const seats: Omit<ReasonTextDecision, 'reason'> = { ...none, kind: 'QUANTITY', featureName: 'Seats', unit: 'seats', limit: 2, used: 0, remaining: 2 };
const storage: Omit<ReasonTextDecision, 'reason'> = { ...none, kind: 'QUANTITY', featureName: 'Storage', unit: 'MB', limit: 500, used: 500, remaining: 0 };
const projects: Omit<ReasonTextDecision, 'reason'> = { ...none, kind: 'QUANTITY', featureName: 'Projects', unit: null, limit: 3, used: 3, remaining: 0 };
const ends = { expiresAt: '2027-02-14T00:00:00.000Z' };
const featureNames = { export_csv: 'CSV export', sso: 'Single sign-on' };

type Row = [string, ReasonTextDecision, string, string];

const byReasonAndKind: Row[] = [
  ['INCLUDED_IN_PLAN, SWITCH', { ...csv, reason: 'INCLUDED_IN_PLAN' }, 'You have CSV export', 'Your plan includes CSV export.'],
  ['INCLUDED_IN_PLAN, QUANTITY', { ...notes, reason: 'INCLUDED_IN_PLAN' }, 'Upgrade for more notes', 'You are using 3 of the 5 notes your plan includes.'],
  ['INCLUDED_IN_PLAN, QUANTITY unlimited', { ...notes, limit: null, remaining: null, reason: 'INCLUDED_IN_PLAN' }, 'You have Notes', 'Your plan includes unlimited notes.'],
  ['INCLUDED_IN_PLAN, METERED', { ...calls, reason: 'INCLUDED_IN_PLAN' }, 'Upgrade for more API calls', 'You have used 40 of the 100 API calls your plan includes this period. It resets on March 1.'],
  ['GRANTED_BY_ADDON, SWITCH', { ...csv, reason: 'GRANTED_BY_ADDON' }, 'You have CSV export', 'An add-on on your account includes CSV export.'],
  ['GRANTED_BY_ADDON, QUANTITY', { ...notes, reason: 'GRANTED_BY_ADDON' }, 'Upgrade for more notes', 'You are using 3 of the 5 notes your plan and add-ons include.'],
  ['GRANTED_BY_ADDON, METERED', { ...calls, reason: 'GRANTED_BY_ADDON' }, 'Upgrade for more API calls', 'You have used 40 of the 100 API calls your plan and add-ons include this period. It resets on March 1.'],
  ['GRANTED_BY_OVERRIDE, SWITCH', { ...csv, ...ends, reason: 'GRANTED_BY_OVERRIDE' }, 'You have CSV export', 'Your account has access to CSV export until February 14.'],
  ['GRANTED_BY_OVERRIDE, QUANTITY', { ...notes, ...ends, reason: 'GRANTED_BY_OVERRIDE' }, 'Upgrade for more notes', 'You are using 3 of the 5 notes your account has been granted. This ends on February 14.'],
  ['GRANTED_BY_OVERRIDE, METERED unlimited', { ...calls, limit: null, remaining: null, reason: 'GRANTED_BY_OVERRIDE' }, 'You have API calls', 'Your account has been granted unlimited API calls.'],
  ['TRIAL, SWITCH', { ...csv, ...ends, reason: 'TRIAL' }, 'You have CSV export', 'Your trial includes CSV export until February 14.'],
  ['TRIAL, QUANTITY', { ...notes, ...ends, reason: 'TRIAL' }, 'Upgrade for more notes', 'You are using 3 of the 5 notes your trial includes. Your trial ends on February 14.'],
  ['TRIAL, METERED', { ...calls, ...ends, reason: 'TRIAL' }, 'Upgrade for more API calls', 'You have used 40 of the 100 API calls your trial includes this period. It resets on March 1. Your trial ends on February 14.'],
  ['NOT_IN_PLAN, SWITCH', { ...csv, reason: 'NOT_IN_PLAN' }, 'Upgrade to use CSV export', 'Your current plan does not include CSV export.'],
  ['NOT_IN_PLAN, QUANTITY', { ...notes, limit: 0, used: 0, remaining: 0, reason: 'NOT_IN_PLAN' }, 'Upgrade to use Notes', 'Your current plan does not include Notes.'],
  ['NOT_IN_PLAN, METERED', { ...calls, reason: 'NOT_IN_PLAN' }, 'Upgrade to use API calls', 'Your current plan does not include API calls.'],
  ['REVOKED_BY_OVERRIDE, SWITCH', { ...csv, reason: 'REVOKED_BY_OVERRIDE' }, 'Access to CSV export is turned off', 'Your account no longer has access to CSV export. Contact support if this is unexpected.'],
  ['REVOKED_BY_OVERRIDE, QUANTITY', { ...notes, reason: 'REVOKED_BY_OVERRIDE' }, 'Access to Notes is turned off', 'Your account no longer has access to Notes. Contact support if this is unexpected.'],
  ['REVOKED_BY_OVERRIDE, METERED', { ...calls, reason: 'REVOKED_BY_OVERRIDE' }, 'Access to API calls is turned off', 'Your account no longer has access to API calls. Contact support if this is unexpected.'],
  ['SUBSCRIPTION_INACTIVE, SWITCH', { ...csv, reason: 'SUBSCRIPTION_INACTIVE' }, 'Choose a plan to use CSV export again', 'To use CSV export you need an active subscription, and yours is not active.'],
  ['SUBSCRIPTION_INACTIVE, QUANTITY', { ...notes, reason: 'SUBSCRIPTION_INACTIVE' }, 'Choose a plan to use Notes again', 'To use Notes you need an active subscription, and yours is not active.'],
  ['SUBSCRIPTION_INACTIVE, METERED', { ...calls, reason: 'SUBSCRIPTION_INACTIVE' }, 'Choose a plan to use API calls again', 'To use API calls you need an active subscription, and yours is not active.'],
  ['TRIAL_GRACE, SWITCH', { ...csv, ...ends, reason: 'TRIAL_GRACE' }, 'Choose a plan to keep CSV export', 'Your trial has ended; you keep CSV export until February 14 while you choose a plan.'],
  ['TRIAL_GRACE, QUANTITY', { ...notes, ...ends, reason: 'TRIAL_GRACE' }, 'Choose a plan to keep Notes', 'You are using 3 of the 5 notes your trial included. Your trial has ended; choose a plan to keep them after February 14.'],
  ['TRIAL_GRACE, METERED', { ...calls, ...ends, reason: 'TRIAL_GRACE' }, 'Choose a plan to keep API calls', 'You have used 40 of the 100 API calls your trial included this period. It resets on March 1. Your trial has ended; choose a plan to keep them after February 14.'],
  ['TRIAL_EXPIRED, SWITCH', { ...csv, reason: 'TRIAL_EXPIRED' }, 'Upgrade to keep using CSV export', 'Your trial, which included CSV export, has ended.'],
  ['TRIAL_EXPIRED, QUANTITY', { ...notes, reason: 'TRIAL_EXPIRED' }, 'Upgrade to keep using Notes', 'Your trial, which included Notes, has ended.'],
  ['TRIAL_EXPIRED, METERED', { ...calls, reason: 'TRIAL_EXPIRED' }, 'Upgrade to keep using API calls', 'Your trial, which included API calls, has ended.'],
  ['MISSING_DEPENDENCY, SWITCH', { ...csv, featureName: 'SCIM provisioning', missingFeatures: ['sso'], reason: 'MISSING_DEPENDENCY' }, 'Upgrade to use SCIM provisioning', 'To use SCIM provisioning you also need Single sign-on, which your plan does not include.'],
  ['MISSING_DEPENDENCY, QUANTITY', { ...notes, missingFeatures: ['export_csv', 'sso'], reason: 'MISSING_DEPENDENCY' }, 'Upgrade to use Notes', 'To use Notes you also need CSV export and Single sign-on, which your plan does not include.'],
  ['MISSING_DEPENDENCY, METERED', { ...calls, missingFeatures: ['export_csv'], reason: 'MISSING_DEPENDENCY' }, 'Upgrade to use API calls', 'To use API calls you also need CSV export, which your plan does not include.'],
  ['NO_SUBSCRIPTION, SWITCH', { ...csv, reason: 'NO_SUBSCRIPTION' }, 'Upgrade to use CSV export', 'Choose a plan to use CSV export.'],
  ['NO_SUBSCRIPTION, QUANTITY', { ...notes, reason: 'NO_SUBSCRIPTION' }, 'Upgrade to use Notes', 'Choose a plan to use Notes.'],
  ['NO_SUBSCRIPTION, METERED', { ...calls, reason: 'NO_SUBSCRIPTION' }, 'Upgrade to use API calls', 'Choose a plan to use API calls.'],
];

const atTheLimit: Row[] = [
  ['0 of 2 seats used, 5 asked for', { ...seats, requested: 5, reason: 'LIMIT_REACHED' }, 'Upgrade for more seats', 'Your plan includes 2 seats, with 2 left: not enough for 5 more.'],
  ['1 of 2 seats left, 2 asked for', { ...seats, used: 1, remaining: 1, requested: 2, reason: 'LIMIT_REACHED' }, 'Upgrade for more seats', 'Your plan includes 2 seats, with 1 left: not enough for 2 more.'],
  ['all 5 notes used', { ...notes, used: 5, remaining: 0, requested: 1, reason: 'LIMIT_REACHED' }, 'Upgrade for more notes', 'You are using all 5 notes your plan includes.'],
  ['the only seat used', { ...seats, limit: 1, used: 1, remaining: 0, requested: 1, reason: 'LIMIT_REACHED' }, 'Upgrade for more seats', 'You are using the 1 seat your plan includes.'],
  ['more notes than the plan has, after a downgrade', { ...notes, used: 7, remaining: 0, reason: 'LIMIT_REACHED' }, 'Upgrade for more notes', 'You are using 7 notes, more than the 5 your plan includes.'],
  ['a plan with 0 seats', { ...seats, limit: 0, remaining: 0, requested: 1, reason: 'LIMIT_REACHED' }, 'Upgrade to use Seats', 'Your plan includes no seats.'],
  ['3 calls left, 5 asked for', { ...calls, used: 97, remaining: 3, requested: 5, reason: 'LIMIT_REACHED' }, 'Upgrade for more API calls', 'Your plan includes 100 API calls, with 3 left this period: not enough for 5 more. It resets on March 1.'],
  ['all 100 calls used', { ...calls, used: 100, remaining: 0, reason: 'LIMIT_REACHED' }, 'Upgrade for more API calls', 'You have used all 100 API calls your plan includes this period. It resets on March 1.'],
  ['the only call used', { ...calls, limit: 1, used: 1, remaining: 0, reason: 'LIMIT_REACHED' }, 'Upgrade for more API calls', 'You have used the 1 API call your plan includes this period. It resets on March 1.'],
  ['over the metered limit (overage)', { ...calls, used: 1200, limit: 1000, remaining: 0, reason: 'LIMIT_REACHED' }, 'Upgrade for more API calls', 'You have used 1,200 API calls this period, more than the 1,000 your plan includes. It resets on March 1.'],
  ['a unit that is not the name', { ...storage, reason: 'LIMIT_REACHED' }, 'Upgrade for more Storage', 'You are using all 500 MB of Storage your plan includes.'],
  ['a feature without a unit', { ...projects, reason: 'LIMIT_REACHED' }, 'Upgrade for more Projects', 'You are using all 3 Projects your plan includes.'],
];

describe('reasonText and paywallTitle', () => {
  it.each(byReasonAndKind)('words %s', (_case, decision, title, sentence) => {
    expect(paywallTitle(decision)).toBe(title);
    expect(reasonText(decision, { featureNames })).toBe(sentence);
  });

  it.each(atTheLimit)('words LIMIT_REACHED with %s', (_case, decision, title, sentence) => {
    expect(paywallTitle(decision)).toBe(title);
    expect(reasonText(decision)).toBe(sentence);
  });

  it('covers every reason the schema has', async () => {
    const { readFile } = await import('node:fs/promises');
    const schema = await readFile('schema.graphql', 'utf8');
    const reasons = /enum EntitlementReason \{([^}]*)\}/.exec(schema)![1]!.match(/^\s+[A-Z_]+$/gm)!.map((line) => line.trim());
    expect(new Set(byReasonAndKind.map(([, decision]) => decision.reason))).toEqual(new Set(reasons.filter((reason) => reason !== 'LIMIT_REACHED')));
  });

  it('names a missing dependency by its key only when no name is known', () => {
    expect(reasonText({ ...csv, missingFeatures: ['sso'], reason: 'MISSING_DEPENDENCY' })).toBe(
      'To use CSV export you also need sso, which your plan does not include.',
    );
  });
});

describe('offerLimitText', () => {
  it.each([
    ['a limit in the unit', 20, notes, 'Up to 20 notes'],
    ['one unit', 1, seats, 'Up to 1 seat'],
    ['thousands', 10000, calls, 'Up to 10,000 API calls'],
    ['no limit', null, calls, 'Unlimited API calls'],
    ['a unit that is not the name', 1000, storage, 'Up to 1,000 MB of Storage'],
    ['an on/off feature', null, csv, 'Includes CSV export'],
  ] as const)('says %s', (_case, newLimit, feature, text) => {
    expect(offerLimitText(newLimit, feature)).toBe(text);
  });
});

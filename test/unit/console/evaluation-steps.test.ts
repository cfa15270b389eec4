import { describe, expect, it } from 'vitest';
import { evaluationSteps } from '../../../server/console/src/accounts/access/evaluation-steps.js';
import { jsonChanges } from '../../../server/console/src/ui/diff-view.js';

/**
 * The console's "why" panel: the evaluation order walked in words for one feature. Each row is
 * an account a support person meets, and what each step must say about it.
 */
const NOW = new Date('2026-12-07T12:00:00Z');
const catalog: any = {
  features: [
    { key: 'export_csv', name: 'CSV export', kind: 'SWITCH', unit: null, description: null, requires: [] },
    { key: 'seats', name: 'Seats', kind: 'QUANTITY', unit: 'seats', description: null, requires: [] },
    { key: 'scim', name: 'SCIM', kind: 'SWITCH', unit: null, description: null, requires: ['sso'] },
    { key: 'sso', name: 'Single sign-on', kind: 'SWITCH', unit: null, description: null, requires: [] },
  ],
  plans: [
    {
      key: 'free', name: 'Free', rank: 0, isDefault: true, currentVersion: { version: 1 },
      versions: [{ id: 'f1', version: 1, status: 'PUBLISHED', interval: 'MONTH', trialDays: 0, price: { amount: 0, currency: 'USD', formatted: '$0.00' }, entitlements: [{ feature: 'seats', enabled: true, limit: 3, period: 'NEVER', softLimitPercent: 80, overage: 'BLOCK' }] }],
    },
    {
      key: 'pro', name: 'Pro', rank: 10, isDefault: false, currentVersion: { version: 1 },
      versions: [{ id: 'p1', version: 1, status: 'PUBLISHED', interval: 'MONTH', trialDays: 14, price: { amount: 2900, currency: 'USD', formatted: '$29.00' }, entitlements: [
        { feature: 'export_csv', enabled: true, limit: null, period: 'NEVER', softLimitPercent: 80, overage: 'BLOCK' },
        { feature: 'seats', enabled: true, limit: 20, period: 'NEVER', softLimitPercent: 80, overage: 'BLOCK' },
      ] }],
    },
  ],
  addOns: [{ key: 'extra_seats', name: 'Extra seats', interval: 'MONTH', price: { formatted: '$5.00' }, grants: [{ feature: 'seats', enable: false, limitIncrement: 10 }] }],
};

const decision = (overrides: Record<string, unknown>): any => ({
  accountId: 'acme', feature: 'export_csv', featureName: 'CSV export', kind: 'SWITCH', unit: null, allowed: false, reason: 'NOT_IN_PLAN',
  source: { planVersionId: 'f1', addOns: [], overrideIds: [] }, limit: null, used: 0, remaining: null, softLimitReached: false,
  resetsAt: null, expiresAt: null, plan: { key: 'free', name: 'Free', version: 1 }, missingFeatures: [], asOf: NOW.toISOString(), ...overrides,
});
const subscription = (overrides: Record<string, unknown>): any => ({
  id: 's', status: 'ACTIVE', phase: 'ACTIVE', plan: 'pro', trialEndsAt: null, graceEndsAt: null, convertedAt: null,
  currentPeriodStart: '2026-12-01T00:00:00Z', currentPeriodEnd: '2027-01-01T00:00:00Z', cancelAtPeriodEnd: false, canceledAt: null, pinned: false,
  planVersion: { id: 'p1', plan: 'pro', planName: 'Pro', version: 1, interval: 'MONTH', trialDays: 14, trialGraceDays: 0, price: { amount: 2900, currency: 'USD', formatted: '$29.00' } },
  addOns: [], scheduledChange: null, billingProviderIds: { stripeCustomerId: null, stripeSubscriptionId: null }, ...overrides,
});
const account = (overrides: Record<string, unknown>): any => ({ id: 'acme', name: 'Acme', metadata: {}, createdAt: NOW.toISOString(), billingCustomerIds: [], subscription: null, overrides: [], ...overrides });
const override = (overrides: Record<string, unknown>): any => ({
  id: 'o1', accountId: 'acme', feature: 'export_csv', effect: 'GRANT', value: null, startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-12-21T00:00:00Z',
  permanent: false, reason: 'Renewal trial', approvedBy: 'bea@example.com', createdBy: 'sam@example.com', createdAt: '2026-12-01T00:00:00Z',
  revokedAt: null, revokedBy: null, revokeReason: null, active: true, ...overrides,
});
const step = (steps: { title: string; tone: string; lines: string[] }[], title: string) => steps.find((entry) => entry.title === title)!;

describe('the why panel', () => {
  it('says the free plan applies and does not include the feature when there is no subscription', () => {
    const steps = evaluationSteps({ feature: 'export_csv', decision: decision({}), decisions: [], account: account({}), catalog, now: NOW });
    expect(step(steps, 'Plan')).toEqual({ title: 'Plan', tone: 'bad', lines: ['No subscription: the free plan Free v1 applies.', 'Free v1 does not include CSV export.'] });
    expect(step(steps, 'Overrides').lines).toEqual(['No override in force.']);
    expect(step(steps, 'Subscription').lines).toEqual(['No subscription.']);
    expect(steps.map((entry) => entry.title)).toEqual(['Plan', 'Add-ons', 'Overrides', 'Subscription']);
  });

  it('names the override that grants it, with its end, reason and approver', () => {
    const steps = evaluationSteps({
      feature: 'export_csv',
      decision: decision({ allowed: true, reason: 'GRANTED_BY_OVERRIDE', source: { planVersionId: 'f1', addOns: [], overrideIds: ['o1'] } }),
      decisions: [],
      account: account({ overrides: [override({})] }),
      catalog,
      now: NOW,
    });
    expect(step(steps, 'Overrides').tone).toBe('ok');
    expect(step(steps, 'Overrides').lines[0]).toMatch(/^Grant access until .+: “Renewal trial” \(approved by bea@example.com\)\.$/);
  });

  it('says an expired subscription falls back to the free plan, and a revoking override has the last word', () => {
    const steps = evaluationSteps({
      feature: 'export_csv',
      decision: decision({ reason: 'REVOKED_BY_OVERRIDE' }),
      decisions: [],
      account: account({ subscription: subscription({ status: 'EXPIRED', phase: 'EXPIRED' }), overrides: [override({ effect: 'REVOKE', createdAt: '2026-12-02T00:00:00Z' }), override({ id: 'o0' })] }),
      catalog,
      now: NOW,
    });
    expect(step(steps, 'Plan').lines[0]).toBe('The subscription (Pro v1) is not in force (expired), so the free plan Free v1 applies.');
    expect(step(steps, 'Subscription')).toMatchObject({ tone: 'bad', lines: ['Expired: only the free plan applies (an override still does).'] });
    expect(step(steps, 'Overrides')).toMatchObject({ tone: 'bad' });
    expect(step(steps, 'Overrides').lines).toContain('Several overrides apply: the newest has the last word.');
  });

  it('adds an add-on\'s increment and shows usage above a lowered limit', () => {
    const seats = decision({
      feature: 'seats', featureName: 'Seats', kind: 'QUANTITY', allowed: false, reason: 'LIMIT_REACHED', limit: 40, used: 45, remaining: 0,
      source: { planVersionId: 'p1', addOns: ['extra_seats'], overrideIds: [] }, plan: { key: 'pro', name: 'Pro', version: 1 },
    });
    const steps = evaluationSteps({ feature: 'seats', decision: seats, decisions: [], account: account({ subscription: subscription({ addOns: [{ addOn: 'extra_seats', quantity: 2 }] }) }), catalog, now: NOW });
    expect(step(steps, 'Plan').lines).toEqual(['Pro v1 includes Seats with a limit of 20 (warning at 80%, overage blocked).']);
    expect(step(steps, 'Add-ons')).toEqual({ title: 'Add-ons', tone: 'ok', lines: ['Extra seats × 2 adds 20 to the limit.'] });
    expect(step(steps, 'Usage').lines).toEqual(['Used 45 of 40; 0 left.', 'Usage is above the limit (kept after a downgrade): units must be released before more are allowed.']);
  });

  it('walks a dependency through the other feature\'s own decision', () => {
    const scim = decision({ feature: 'scim', featureName: 'SCIM', reason: 'MISSING_DEPENDENCY', missingFeatures: ['sso'] });
    const sso = decision({ feature: 'sso', featureName: 'Single sign-on' });
    const steps = evaluationSteps({ feature: 'scim', decision: scim, decisions: [scim, sso], account: account({}), catalog, now: NOW });
    expect(step(steps, 'Depends on')).toEqual({ title: 'Depends on', tone: 'bad', lines: ['Single sign-on: not allowed (not included in the plan).'] });
  });
});

describe('the history\'s before/after', () => {
  it('lists each changed leaf once, added and removed included, and nothing that stayed', () => {
    expect(
      jsonChanges(
        { plan: 'free', trialEndsAt: '2026-12-10T00:00:00.000Z', addOns: [], nested: { a: 1, b: 2 } },
        { plan: 'pro', trialEndsAt: '2026-12-17T00:00:00.000Z', addOns: [], nested: { a: 1, c: 3 }, pinned: true },
      ),
    ).toEqual([
      { path: 'nested.b', kind: 'removed', before: 2 },
      { path: 'nested.c', kind: 'added', after: 3 },
      { path: 'pinned', kind: 'added', after: true },
      { path: 'plan', kind: 'changed', before: 'free', after: 'pro' },
      { path: 'trialEndsAt', kind: 'changed', before: '2026-12-10T00:00:00.000Z', after: '2026-12-17T00:00:00.000Z' },
    ]);
    expect(jsonChanges(null, { feature: 'sso' })).toEqual([{ path: 'feature', kind: 'added', after: 'sso' }]);
    expect(jsonChanges({ same: [1, 2] }, { same: [1, 2] })).toEqual([]);
  });
});

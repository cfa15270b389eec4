import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../server/src/entitlements/evaluate.js';
import type {
  AccountState,
  CatalogPlanEntitlement,
  CatalogPlanVersion,
  CatalogSnapshot,
  OverrideState,
  SubscriptionState,
} from '../../../server/src/entitlements/evaluation-input.js';
import { nextDecisionChange } from '../../../server/src/live/next-decision-change.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const at = (iso: string) => new Date(iso);
const DAY = 86_400_000;

function entitlement(featureKey: string, values: Partial<CatalogPlanEntitlement> = {}): [string, CatalogPlanEntitlement] {
  return [featureKey, { featureKey, enabled: true, limit: null, period: 'NEVER', softLimitPercent: 80, overage: 'BLOCK', ...values }];
}

function planVersion(id: string, entitlements: [string, CatalogPlanEntitlement][], trialGraceDays = 0): CatalogPlanVersion {
  return {
    id, planKey: id, planName: id, planRank: 1, version: 1, status: 'PUBLISHED', priceAmount: 0, priceCurrency: 'USD',
    interval: 'MONTH', trialDays: 14, trialGraceDays, entitlements: new Map(entitlements),
  };
}

const free = planVersion('free', [entitlement('seats', { limit: 2 })]);
const pro = planVersion('pro', [entitlement('export_csv'), entitlement('seats', { limit: 20 })], 3);
const metered = planVersion('metered', [entitlement('api_calls', { limit: 100, period: 'HOUR' })]);
const billing = planVersion('billing', [entitlement('api_calls', { limit: 100, period: 'BILLING_PERIOD' })]);

const switchAndQuantity = [
  ['export_csv', { key: 'export_csv', name: 'Export', kind: 'SWITCH', unit: null, requires: [] }],
  ['seats', { key: 'seats', name: 'Seats', kind: 'QUANTITY', unit: null, requires: [] }],
] as const;
const apiCalls = ['api_calls', { key: 'api_calls', name: 'API calls', kind: 'METERED', unit: null, requires: [] }] as const;

/** No metered feature, except where a case is about one: a metered feature resets every period, whatever the plan. */
const catalog: CatalogSnapshot = {
  features: new Map(switchAndQuantity),
  planVersions: new Map([free, pro, metered, billing].map((version) => [version.id, version])),
  defaultPlanVersionId: free.id,
  addOns: new Map(),
};

function subscription(planVersionId: string, values: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    planVersionId, status: 'ACTIVE', trialEndsAt: null, graceEndsAt: null,
    currentPeriodStart: at('2026-03-10T00:00:00Z'), currentPeriodEnd: at('2026-04-10T00:00:00Z'), addOns: [], ...values,
  };
}

function override(values: Partial<OverrideState>): OverrideState {
  return {
    id: 'o1', featureKey: 'export_csv', effect: 'GRANT', value: null, startsAt: at('2026-03-01T00:00:00Z'), endsAt: null,
    createdAt: at('2026-03-01T00:00:00Z'), revokedAt: null, ...values,
  };
}

const withMetered: CatalogSnapshot = { ...catalog, features: new Map([...switchAndQuantity, apiCalls]) };

/** The next instant, computed from the decisions the evaluator gives at NOW, as live updates compute it. */
function next(account: Omit<AccountState, 'accountId'>, from: CatalogSnapshot = catalog): string | null {
  const state = { accountId: 'acme', ...account };
  const entitlements = [...from.features.keys()].map((key) => ({ decision: evaluate(from, state, new Map(), key, NOW) }));
  return nextDecisionChange({ catalog: from, account: state, entitlements }, NOW)?.toISOString() ?? null;
}

describe('the next instant an account\'s decisions change by themselves', () => {
  const trialEnd = at('2026-03-20T00:00:00Z');
  it.each([
    ['nothing ever changes: the default plan of QUANTITY and SWITCH features', { subscription: null, overrides: [] }, null],
    ['an active subscription without an end', { subscription: subscription('pro'), overrides: [] }, null],
    ['a trial: its end', { subscription: subscription('pro', { status: 'TRIALING', trialEndsAt: trialEnd }), overrides: [] }, '2026-03-20T00:00:00.000Z'],
    ['a trial in its grace: the grace end', { subscription: subscription('pro', { status: 'TRIALING', trialEndsAt: at('2026-03-14T00:00:00Z') }), overrides: [] }, '2026-03-17T00:00:00.000Z'],
    ['past due: the grace end', { subscription: subscription('pro', { status: 'PAST_DUE', graceEndsAt: at('2026-03-18T00:00:00Z') }), overrides: [] }, '2026-03-18T00:00:00.000Z'],
    ['canceled at period end: the period end', { subscription: subscription('pro', { cancelAtPeriodEnd: true }), overrides: [] }, '2026-04-10T00:00:00.000Z'],
    ['a scheduled plan change: its instant', { subscription: subscription('pro', { scheduledChange: { planVersionId: 'free', at: at('2026-03-31T00:00:00Z') } }), overrides: [] }, '2026-03-31T00:00:00.000Z'],
    ['an override in force: its end', { subscription: null, overrides: [override({ endsAt: at('2026-03-16T09:30:00Z') })] }, '2026-03-16T09:30:00.000Z'],
    ['an override to come: its start', { subscription: null, overrides: [override({ startsAt: at('2026-03-15T12:00:00.300Z'), endsAt: at('2026-03-19T00:00:00Z') })] }, '2026-03-15T12:00:00.300Z'],
    [
      'several: the earliest',
      {
        subscription: subscription('pro', { status: 'TRIALING', trialEndsAt: trialEnd }),
        overrides: [override({ endsAt: at('2026-03-25T00:00:00Z') }), override({ id: 'o2', featureKey: 'seats', startsAt: at('2026-03-16T00:00:00Z'), endsAt: at('2026-03-26T00:00:00Z') })],
      },
      '2026-03-16T00:00:00.000Z',
    ],
    ['instants already past are not boundaries', { subscription: null, overrides: [override({ startsAt: at('2026-03-01T00:00:00Z'), endsAt: at('2026-03-15T11:59:59.999Z') })] }, null],
  ] as const)('%s', (_name, account, expected) => {
    expect(next(account as Omit<AccountState, 'accountId'>)).toBe(expected);
  });

  it.each([
    ['a metered hourly period: the next hour', 'metered', '2026-03-15T13:00:00.000Z'],
    ['metered per billing period: the period end', 'billing', '2026-04-10T00:00:00.000Z'],
    ['a metered feature outside the plan still resets with the calendar month', 'pro', '2026-04-01T00:00:00.000Z'],
  ] as const)('%s', (_name, plan, expected) => {
    expect(next({ subscription: subscription(plan), overrides: [] }, withMetered)).toBe(expected);
  });

  it('finds an instant further away than setTimeout can wait (a yearly period)', () => {
    const yearly = planVersion('yearly', [entitlement('api_calls', { limit: 100, period: 'YEAR' })]);
    const withYearly = { ...withMetered, planVersions: new Map([...catalog.planVersions, ['yearly', yearly]]) };
    const state: AccountState = { accountId: 'acme', subscription: subscription('yearly'), overrides: [] };
    const entitlements = [{ decision: evaluate(withYearly, state, new Map(), 'api_calls', NOW) }];
    const found = nextDecisionChange({ catalog: withYearly, account: state, entitlements }, NOW)!;
    expect(found.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(found.getTime() - NOW.getTime()).toBeGreaterThan(2 ** 31 - 1);
    expect(found.getTime() - NOW.getTime()).toBeLessThan(366 * DAY);
  });
});

import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../server/src/entitlements/decision.js';
import { evaluate } from '../../../server/src/entitlements/evaluate.js';
import type {
  AccountState,
  CatalogPlanEntitlement,
  CatalogPlanVersion,
  CatalogSnapshot,
  FeatureKind,
  OverrideState,
  SubscriptionState,
} from '../../../server/src/entitlements/evaluation-input.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const at = (iso: string) => new Date(iso);
const ms = (offset: number) => new Date(NOW.getTime() + offset);

function entitlement(featureKey: string, values: Partial<CatalogPlanEntitlement> = {}): [string, CatalogPlanEntitlement] {
  return [featureKey, { featureKey, enabled: true, limit: null, period: 'NEVER', softLimitPercent: 80, overage: 'BLOCK', ...values }];
}

function planVersion(id: string, planKey: string, version: number, entitlements: [string, CatalogPlanEntitlement][], trialGraceDays = 0): CatalogPlanVersion {
  return {
    id, planKey, planName: planKey.toUpperCase(), planRank: version, version, status: 'PUBLISHED',
    priceAmount: 0, priceCurrency: 'USD', interval: 'MONTH', trialDays: 14, trialGraceDays, entitlements: new Map(entitlements),
  };
}

const features: [string, FeatureKind, string[]][] = [
  ['export_csv', 'SWITCH', []],
  ['seats', 'QUANTITY', []],
  ['api_calls', 'METERED', []],
  ['sso', 'SWITCH', []],
  ['scim', 'SWITCH', ['sso']],
  ['audit', 'SWITCH', ['ghost_feature']],
  ['loop_a', 'SWITCH', ['loop_b']],
  ['loop_b', 'SWITCH', ['loop_a']],
];

const free = planVersion('free-1', 'free', 1, [
  entitlement('seats', { limit: 2 }),
  entitlement('api_calls', { limit: 100, period: 'MONTH' }),
  entitlement('export_csv', { enabled: false }),
]);
const pro = planVersion('pro-1', 'pro', 1, [
  entitlement('export_csv'),
  entitlement('seats', { limit: 20 }),
  entitlement('api_calls', { limit: 10_000, period: 'MONTH' }),
  entitlement('scim'),
  entitlement('loop_a'),
  entitlement('loop_b'),
  entitlement('audit'),
]);
const pro2 = planVersion('pro-2', 'pro', 2, [entitlement('seats', { limit: 5 }), entitlement('api_calls', { limit: 50, period: 'DAY', overage: 'ALLOW', softLimitPercent: 50 })]);
/** Pro with three days of grace after a trial. */
const proGrace = planVersion('pro-3', 'pro', 3, [entitlement('export_csv'), entitlement('seats', { limit: 20 })], 3);
const DAY = 86_400_000;
/** A cheaper plan to downgrade to: fewer seats, calls counted per billing period. */
const basic = planVersion('basic-1', 'basic', 1, [entitlement('seats', { limit: 5 }), entitlement('api_calls', { limit: 1000, period: 'BILLING_PERIOD' })]);
const enterprise = planVersion('ent-1', 'enterprise', 1, [entitlement('sso'), entitlement('scim'), entitlement('seats', { limit: null })]);
/** A per-seat price: the seats limit is the plan item's quantity (1 while none is known). */
const perSeat = { ...planVersion('seat-1', 'seat', 1, [entitlement('seats', { limit: 1 }), entitlement('export_csv')]), quantityFeatureKey: 'seats' };

const price = { priceAmount: 500, priceCurrency: 'USD', interval: 'MONTH' } as const;

function catalog(withDefault = true): CatalogSnapshot {
  return {
    features: new Map(features.map(([key, kind, requires]) => [key, { key, name: key, kind, unit: null, requires }])),
    planVersions: new Map([free, pro, pro2, proGrace, basic, enterprise, perSeat].map((version) => [version.id, version])),
    defaultPlanVersionId: withDefault ? free.id : null,
    addOns: new Map([
      ['seat_pack', { id: 'a1', key: 'seat_pack', name: 'Seat pack', ...price, grants: new Map([['seats', { featureKey: 'seats', enable: false, limitIncrement: 5 }]]) }],
      ['sso_addon', { id: 'a2', key: 'sso_addon', name: 'SSO', ...price, grants: new Map([['sso', { featureKey: 'sso', enable: true, limitIncrement: null }]]) }],
      ['csv_pack', { id: 'a3', key: 'csv_pack', name: 'CSV', ...price, grants: new Map([['api_calls', { featureKey: 'api_calls', enable: true, limitIncrement: 1000 }]]) }],
    ]),
  };
}

function subscription(planVersionId: string, values: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    planVersionId,
    status: 'ACTIVE',
    trialEndsAt: null,
    graceEndsAt: null,
    currentPeriodStart: at('2026-03-10T00:00:00Z'),
    currentPeriodEnd: at('2026-04-10T00:00:00Z'),
    addOns: [],
    ...values,
  };
}

let overrideCounter = 0;
function override(featureKey: string, effect: OverrideState['effect'], values: Partial<OverrideState> = {}): OverrideState {
  overrideCounter += 1;
  return {
    id: `o${String(overrideCounter).padStart(3, '0')}`,
    featureKey,
    effect,
    value: null,
    startsAt: ms(-86_400_000),
    endsAt: ms(86_400_000),
    createdAt: ms(-86_400_000 + overrideCounter),
    revokedAt: null,
    ...values,
  };
}

function account(sub: SubscriptionState | null, overrides: OverrideState[] = []): AccountState {
  return { accountId: 'acme', subscription: sub, overrides };
}

interface Case {
  name: string;
  account: AccountState;
  feature: string;
  expect: Partial<Decision>;
  used?: number;
  amount?: number;
  now?: Date;
  withoutDefault?: boolean;
}

const cases: Case[] = [
  // Plan and default plan
  { name: 'includes what the subscribed plan includes', account: account(subscription('pro-1')), feature: 'export_csv', expect: { allowed: true, reason: 'INCLUDED_IN_PLAN', plan: { key: 'pro', name: 'PRO', version: 1 }, limit: null } },
  { name: 'gives an account with no subscription the default plan', account: account(null), feature: 'seats', expect: { allowed: true, reason: 'INCLUDED_IN_PLAN', limit: 2, plan: { key: 'free', name: 'FREE', version: 1 } } },
  { name: 'denies with NO_SUBSCRIPTION when there is neither subscription nor default plan', account: account(null), feature: 'seats', withoutDefault: true, expect: { allowed: false, reason: 'NO_SUBSCRIPTION', plan: null, limit: 0 } },
  { name: 'denies what the plan leaves out with NOT_IN_PLAN', account: account(subscription('pro-1')), feature: 'sso', expect: { allowed: false, reason: 'NOT_IN_PLAN', limit: null } },
  { name: 'denies what the plan lists as disabled', account: account(null), feature: 'export_csv', expect: { allowed: false, reason: 'NOT_IN_PLAN' } },
  { name: 'reads limits from the version the account is on (grandfathering)', account: account(subscription('pro-2')), feature: 'seats', expect: { limit: 5, plan: { key: 'pro', name: 'PRO', version: 2 } } },
  { name: 'treats a null limit as unlimited', account: account(subscription('ent-1')), feature: 'seats', used: 1_000_000, expect: { allowed: true, limit: null, remaining: null } },

  // Add-ons
  { name: 'adds add-on increments times quantity to the limit', account: account(subscription('pro-1', { addOns: [{ addOnKey: 'seat_pack', quantity: 3 }] })), feature: 'seats', expect: { allowed: true, reason: 'INCLUDED_IN_PLAN', limit: 35, source: { planVersionId: 'pro-1', addOnKeys: ['seat_pack'], overrideIds: [] } } },
  { name: 'grants a feature the plan lacks through an add-on', account: account(subscription('pro-1', { addOns: [{ addOnKey: 'sso_addon', quantity: 1 }] })), feature: 'sso', expect: { allowed: true, reason: 'GRANTED_BY_ADDON' } },
  { name: 'gives an add-on-only metered feature the add-on\'s increments as limit', account: account(subscription('ent-1', { addOns: [{ addOnKey: 'csv_pack', quantity: 2 }] })), feature: 'api_calls', expect: { allowed: true, reason: 'GRANTED_BY_ADDON', limit: 2000 } },
  { name: 'ignores add-ons the catalog no longer has', account: account(subscription('pro-1', { addOns: [{ addOnKey: 'gone', quantity: 9 }] })), feature: 'seats', expect: { limit: 20, source: { planVersionId: 'pro-1', addOnKeys: [], overrideIds: [] } } },
  { name: 'ignores add-ons when the subscription is canceled', account: account(subscription('pro-1', { status: 'CANCELED', addOns: [{ addOnKey: 'sso_addon', quantity: 1 }] })), feature: 'sso', expect: { allowed: false, reason: 'SUBSCRIPTION_INACTIVE' } },

  // Overrides
  { name: 'grants a feature through an override, expiring with it', account: account(null, [override('sso', 'GRANT', { id: 'g1', endsAt: at('2026-04-01T00:00:00Z') })]), feature: 'sso', expect: { allowed: true, reason: 'GRANTED_BY_OVERRIDE', expiresAt: at('2026-04-01T00:00:00Z'), source: { planVersionId: 'free-1', addOnKeys: [], overrideIds: ['g1'] } } },
  { name: 'revokes a feature the plan includes', account: account(subscription('pro-1'), [override('export_csv', 'REVOKE')]), feature: 'export_csv', expect: { allowed: false, reason: 'REVOKED_BY_OVERRIDE' } },
  { name: 'lets the newest of GRANT and REVOKE win (REVOKE newer)', account: account(null, [override('sso', 'GRANT'), override('sso', 'REVOKE')]), feature: 'sso', expect: { allowed: false, reason: 'REVOKED_BY_OVERRIDE' } },
  { name: 'lets the newest of GRANT and REVOKE win (GRANT newer)', account: account(null, [override('sso', 'REVOKE'), override('sso', 'GRANT')]), feature: 'sso', expect: { allowed: true, reason: 'GRANTED_BY_OVERRIDE' } },
  { name: 'replaces the limit with SET_LIMIT', account: account(null, [override('seats', 'SET_LIMIT', { value: 7 })]), feature: 'seats', expect: { limit: 7, reason: 'INCLUDED_IN_PLAN' } },
  { name: 'lets the newest SET_LIMIT win', account: account(null, [override('seats', 'SET_LIMIT', { value: 7 }), override('seats', 'SET_LIMIT', { value: 3 })]), feature: 'seats', expect: { limit: 3 } },
  { name: 'adds ADD_LIMIT on top of the plan and add-ons', account: account(subscription('pro-1', { addOns: [{ addOnKey: 'seat_pack', quantity: 1 }] }), [override('seats', 'ADD_LIMIT', { value: 10 })]), feature: 'seats', expect: { limit: 35 } },
  { name: 'adds an ADD_LIMIT made after a SET_LIMIT to it', account: account(null, [override('seats', 'SET_LIMIT', { value: 7 }), override('seats', 'ADD_LIMIT', { value: 3 })]), feature: 'seats', expect: { limit: 10 } },
  { name: 'replaces an older ADD_LIMIT with a newer SET_LIMIT', account: account(null, [override('seats', 'ADD_LIMIT', { value: 3 }), override('seats', 'SET_LIMIT', { value: 7 })]), feature: 'seats', expect: { limit: 7 } },
  { name: 'keeps unlimited unlimited under ADD_LIMIT', account: account(subscription('ent-1'), [override('seats', 'ADD_LIMIT', { value: 3 })]), feature: 'seats', expect: { limit: null } },
  { name: 'sets the limit with a GRANT value', account: account(subscription('ent-1'), [override('api_calls', 'GRANT', { value: 500 })]), feature: 'api_calls', expect: { allowed: true, reason: 'GRANTED_BY_OVERRIDE', limit: 500 } },
  { name: 'ignores overrides of other features', account: account(null, [override('seats', 'REVOKE')]), feature: 'api_calls', expect: { allowed: true, source: { planVersionId: 'free-1', addOnKeys: [], overrideIds: [] } } },

  // Override time boundaries
  { name: 'applies an override 1 ms before its endsAt', account: account(null, [override('sso', 'GRANT', { endsAt: ms(1) })]), feature: 'sso', expect: { allowed: true } },
  { name: 'stops an override at its endsAt exactly', account: account(null, [override('sso', 'GRANT', { endsAt: NOW })]), feature: 'sso', expect: { allowed: false, reason: 'NOT_IN_PLAN' } },
  { name: 'applies an override from its startsAt exactly', account: account(null, [override('sso', 'GRANT', { startsAt: NOW })]), feature: 'sso', expect: { allowed: true } },
  { name: 'does not apply an override that starts in the future', account: account(null, [override('sso', 'GRANT', { startsAt: ms(1) })]), feature: 'sso', expect: { allowed: false } },
  { name: 'does not apply a revoked override', account: account(null, [override('sso', 'GRANT', { revokedAt: NOW })]), feature: 'sso', expect: { allowed: false } },
  { name: 'applies an override whose revocation is later', account: account(null, [override('sso', 'GRANT', { revokedAt: ms(1) })]), feature: 'sso', expect: { allowed: true } },
  { name: 'applies a permanent override', account: account(null, [override('sso', 'GRANT', { endsAt: null })]), feature: 'sso', expect: { allowed: true, expiresAt: null } },

  // Trial and subscription status
  { name: 'answers TRIAL during a trial, expiring with it', account: account(subscription('pro-1', { status: 'TRIALING', trialEndsAt: ms(1000) })), feature: 'export_csv', expect: { allowed: true, reason: 'TRIAL', expiresAt: ms(1000) } },
  { name: 'answers TRIAL_EXPIRED once the trial ends', account: account(subscription('pro-1', { status: 'TRIALING', trialEndsAt: NOW })), feature: 'export_csv', expect: { allowed: false, reason: 'TRIAL_EXPIRED' } },
  { name: 'answers TRIAL_GRACE from the instant a trial ends, for the version\'s grace days, expiring with the grace', account: account(subscription('pro-3', { status: 'TRIALING', trialEndsAt: NOW })), feature: 'export_csv', expect: { allowed: true, reason: 'TRIAL_GRACE', expiresAt: ms(3 * DAY) } },
  { name: 'keeps TRIAL_GRACE until the last millisecond of the grace', account: account(subscription('pro-3', { status: 'TRIALING', trialEndsAt: ms(-3 * DAY + 1) })), feature: 'seats', expect: { allowed: true, reason: 'TRIAL_GRACE', limit: 20, expiresAt: ms(1) } },
  { name: 'answers TRIAL_EXPIRED at the instant the trial grace ends', account: account(subscription('pro-3', { status: 'TRIALING', trialEndsAt: ms(-3 * DAY) })), feature: 'export_csv', expect: { allowed: false, reason: 'TRIAL_EXPIRED' } },
  { name: 'answers TRIAL, not TRIAL_GRACE, before the trial ends on a version with grace', account: account(subscription('pro-3', { status: 'TRIALING', trialEndsAt: ms(1) })), feature: 'export_csv', expect: { allowed: true, reason: 'TRIAL', expiresAt: ms(1) } },
  { name: 'falls back to the default plan after a trial for what it includes', account: account(subscription('pro-1', { status: 'TRIALING', trialEndsAt: NOW })), feature: 'seats', expect: { allowed: true, reason: 'INCLUDED_IN_PLAN', limit: 2, plan: { key: 'free', name: 'FREE', version: 1 } } },
  { name: 'keeps access while PAST_DUE within the grace period', account: account(subscription('pro-1', { status: 'PAST_DUE', graceEndsAt: ms(1) })), feature: 'export_csv', expect: { allowed: true, reason: 'INCLUDED_IN_PLAN' } },
  { name: 'denies SUBSCRIPTION_INACTIVE once the grace period ends', account: account(subscription('pro-1', { status: 'PAST_DUE', graceEndsAt: NOW })), feature: 'export_csv', expect: { allowed: false, reason: 'SUBSCRIPTION_INACTIVE' } },
  { name: 'denies SUBSCRIPTION_INACTIVE when canceled', account: account(subscription('pro-1', { status: 'CANCELED' })), feature: 'export_csv', expect: { allowed: false, reason: 'SUBSCRIPTION_INACTIVE' } },
  { name: 'denies SUBSCRIPTION_INACTIVE when expired', account: account(subscription('pro-1', { status: 'EXPIRED' })), feature: 'export_csv', expect: { allowed: false, reason: 'SUBSCRIPTION_INACTIVE' } },
  { name: 'lets an override GRANT win over an inactive subscription', account: account(subscription('pro-1', { status: 'CANCELED' }), [override('export_csv', 'GRANT')]), feature: 'export_csv', expect: { allowed: true, reason: 'GRANTED_BY_OVERRIDE' } },

  // Cancellation at period end and scheduled changes: one row per boundary
  { name: 'keeps the plan while CANCELING, expiring when the period ends', account: account(subscription('pro-1', { cancelAtPeriodEnd: true, currentPeriodEnd: ms(1) })), feature: 'export_csv', expect: { allowed: true, reason: 'INCLUDED_IN_PLAN', expiresAt: ms(1), plan: { key: 'pro', name: 'PRO', version: 1 } } },
  { name: 'falls back to the default plan at the instant a canceled period ends', account: account(subscription('pro-1', { cancelAtPeriodEnd: true, currentPeriodEnd: NOW })), feature: 'export_csv', expect: { allowed: false, reason: 'SUBSCRIPTION_INACTIVE', plan: { key: 'free', name: 'FREE', version: 1 } } },
  { name: 'ends a trial canceled at period end when the trial ends, with no grace', account: account(subscription('pro-3', { status: 'TRIALING', trialEndsAt: NOW, cancelAtPeriodEnd: true })), feature: 'export_csv', expect: { allowed: false, reason: 'SUBSCRIPTION_INACTIVE' } },
  { name: 'keeps a trial canceled at period end until the trial ends', account: account(subscription('pro-3', { status: 'TRIALING', trialEndsAt: ms(1), cancelAtPeriodEnd: true })), feature: 'export_csv', expect: { allowed: true, expiresAt: ms(1) } },
  { name: 'keeps the current plan 1 ms before a scheduled change', account: account(subscription('pro-1', { scheduledChange: { planVersionId: 'basic-1', at: ms(1) } })), feature: 'seats', expect: { limit: 20, plan: { key: 'pro', name: 'PRO', version: 1 } } },
  { name: 'applies a scheduled change at its instant exactly', account: account(subscription('pro-1', { scheduledChange: { planVersionId: 'basic-1', at: NOW } })), feature: 'seats', expect: { limit: 5, plan: { key: 'basic', name: 'BASIC', version: 1 }, source: { planVersionId: 'basic-1', addOnKeys: [], overrideIds: [] } } },
  { name: 'takes a per-seat plan\'s seats limit from the plan item\'s quantity', account: account(subscription('seat-1', { planQuantity: 12, billedByProvider: true })), feature: 'seats', used: 11, expect: { allowed: true, limit: 12, remaining: 1 } },
  { name: 'keeps the plan\'s own limit for a per-seat plan without a quantity', account: account(subscription('seat-1')), feature: 'seats', expect: { limit: 1 } },
  { name: 'adds seat packs to a per-seat quantity', account: account(subscription('seat-1', { planQuantity: 3, addOns: [{ addOnKey: 'seat_pack', quantity: 1 }] })), feature: 'seats', expect: { limit: 8 } },
  { name: 'counts BILLING_PERIOD usage past a Stripe period\'s end in the next period by the interval (a late renewal webhook)', account: account(subscription('basic-1', { billedByProvider: true, currentPeriodStart: at('2026-02-10T00:00:00Z'), currentPeriodEnd: at('2026-03-10T00:00:00Z') })), feature: 'api_calls', expect: { periodStart: at('2026-03-10T00:00:00Z'), resetsAt: at('2026-04-10T00:00:00Z') } },
  { name: 'renews a Tollgate-only subscription\'s period at read time', account: account(subscription('basic-1', { currentPeriodStart: at('2025-12-10T00:00:00Z'), currentPeriodEnd: at('2026-01-10T00:00:00Z') })), feature: 'api_calls', expect: { periodStart: at('2026-03-10T00:00:00Z'), resetsAt: at('2026-04-10T00:00:00Z'), allowed: true } },
  { name: 'gives a paused subscription no access', account: account(subscription('pro-1', { status: 'PAUSED' })), feature: 'export_csv', expect: { allowed: false, reason: 'SUBSCRIPTION_INACTIVE', plan: { key: 'free', name: 'FREE', version: 1 } } },
  { name: 'ends access at a cancel_at instant that is not a period end', account: account(subscription('pro-1', { cancelAt: NOW })), feature: 'export_csv', expect: { allowed: false, reason: 'SUBSCRIPTION_INACTIVE' } },
  { name: 'keeps access until a cancel_at instant, expiring then', account: account(subscription('pro-1', { cancelAt: ms(1) })), feature: 'export_csv', expect: { allowed: true, expiresAt: ms(1) } },
  { name: 'starts a new billing period at a scheduled change\'s instant', account: account(subscription('pro-1', { scheduledChange: { planVersionId: 'basic-1', at: at('2026-03-15T00:00:00Z') } })), feature: 'api_calls', expect: { period: 'BILLING_PERIOD', periodStart: at('2026-03-15T00:00:00Z'), resetsAt: at('2026-04-15T00:00:00Z'), limit: 1000 } },
  { name: 'lets PAST_DUE access expire with its grace', account: account(subscription('pro-1', { status: 'PAST_DUE', graceEndsAt: ms(1) })), feature: 'export_csv', expect: { allowed: true, expiresAt: ms(1) } },

  // Downgrades lose no data
  { name: 'shows usage above a lowered limit: LIMIT_REACHED, remaining 0, used > limit', account: account(subscription('basic-1')), feature: 'seats', used: 8, expect: { allowed: false, reason: 'LIMIT_REACHED', limit: 5, used: 8, remaining: 0 } },
  { name: 'allows again once releases bring usage under a lowered limit', account: account(subscription('basic-1')), feature: 'seats', used: 4, expect: { allowed: true, reason: 'INCLUDED_IN_PLAN', limit: 5, used: 4, remaining: 1 } },

  // Requirements
  { name: 'denies MISSING_DEPENDENCY when a required feature is unavailable', account: account(subscription('pro-1')), feature: 'scim', expect: { allowed: false, reason: 'MISSING_DEPENDENCY', missingFeatures: ['sso'] } },
  { name: 'allows a feature whose requirements are met', account: account(subscription('ent-1')), feature: 'scim', expect: { allowed: true, missingFeatures: [] } },
  { name: 'counts a requirement met through an add-on', account: account(subscription('pro-1', { addOns: [{ addOnKey: 'sso_addon', quantity: 1 }] })), feature: 'scim', expect: { allowed: true } },
  { name: 'treats an unknown required feature as missing', account: account(subscription('pro-1')), feature: 'audit', expect: { allowed: false, reason: 'MISSING_DEPENDENCY', missingFeatures: ['ghost_feature'] } },
  { name: 'terminates on a cycle of requirements', account: account(subscription('pro-1')), feature: 'loop_a', expect: { allowed: true } },

  // Usage against the limit
  { name: 'allows the 100th call of 100', account: account(null), feature: 'api_calls', used: 99, expect: { allowed: true, used: 99, remaining: 1, limit: 100 } },
  { name: 'refuses the 101st call on a 100-call plan', account: account(null), feature: 'api_calls', used: 100, expect: { allowed: false, reason: 'LIMIT_REACHED', remaining: 0 } },
  { name: 'refuses a request for more than is left', account: account(null), feature: 'api_calls', used: 96, amount: 5, expect: { allowed: false, reason: 'LIMIT_REACHED', remaining: 4 } },
  { name: 'allows a request for exactly what is left', account: account(null), feature: 'api_calls', used: 96, amount: 4, expect: { allowed: true } },
  { name: 'allows past the limit with overage ALLOW', account: account(subscription('pro-2')), feature: 'api_calls', used: 80, expect: { allowed: true, remaining: 0, limit: 50 } },
  { name: 'reaches the soft limit at its percent', account: account(null), feature: 'api_calls', used: 80, expect: { softLimitReached: true } },
  { name: 'stays under the soft limit just below its percent', account: account(null), feature: 'api_calls', used: 79, expect: { softLimitReached: false } },
  { name: 'uses the plan\'s own soft limit percent', account: account(subscription('pro-2')), feature: 'api_calls', used: 25, expect: { softLimitReached: true } },
  { name: 'checks a quantity gauge the same way', account: account(null), feature: 'seats', used: 2, expect: { allowed: false, reason: 'LIMIT_REACHED', resetsAt: null } },
  { name: 'reports no usage for SWITCH features', account: account(subscription('pro-1')), feature: 'export_csv', used: 5, expect: { used: 0, limit: null, remaining: null, softLimitReached: false, resetsAt: null, period: null } },

  // Periods
  { name: 'resets monthly usage at the next UTC month', account: account(null), feature: 'api_calls', expect: { resetsAt: at('2026-04-01T00:00:00Z'), periodStart: at('2026-03-01T00:00:00Z'), period: 'MONTH' } },
  { name: 'resets daily usage at the next UTC midnight', account: account(subscription('pro-2')), feature: 'api_calls', expect: { resetsAt: at('2026-03-16T00:00:00Z'), period: 'DAY' } },
];

describe('evaluate', () => {
  it.each(cases)('$name', ({ account: state, feature, expect: expected, used, amount, now, withoutDefault }) => {
    const usage = new Map(used === undefined ? [] : [[feature, used]]);
    const decision = evaluate(catalog(!withoutDefault), state, usage, feature, now ?? NOW, amount);
    expect(decision).toMatchObject(expected);
  });

  it('covers every reason code', () => {
    const reasons = new Set(
      cases.map(({ account: state, feature, used, amount, now, withoutDefault }) =>
        evaluate(catalog(!withoutDefault), state, new Map(used === undefined ? [] : [[feature, used]]), feature, now ?? NOW, amount).reason,
      ),
    );
    expect([...reasons].sort()).toEqual([
      'GRANTED_BY_ADDON', 'GRANTED_BY_OVERRIDE', 'INCLUDED_IN_PLAN', 'LIMIT_REACHED', 'MISSING_DEPENDENCY', 'NOT_IN_PLAN',
      'NO_SUBSCRIPTION', 'REVOKED_BY_OVERRIDE', 'SUBSCRIPTION_INACTIVE', 'TRIAL', 'TRIAL_EXPIRED', 'TRIAL_GRACE',
    ]);
  });

  it('gives the same answer for the same inputs and changes none of them', () => {
    const snapshot = catalog();
    const state = account(subscription('pro-1', { addOns: [{ addOnKey: 'seat_pack', quantity: 2 }] }), [override('seats', 'ADD_LIMIT', { value: 1 })]);
    const before = JSON.stringify(state);
    const first = evaluate(snapshot, state, new Map([['seats', 3]]), 'seats', NOW);
    const second = evaluate(snapshot, state, new Map([['seats', 3]]), 'seats', NOW);
    expect(second).toEqual(first);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('refuses to evaluate a feature the catalog does not have', () => {
    expect(() => evaluate(catalog(), account(null), new Map(), 'teleport', NOW)).toThrow(/unknown feature/);
  });
});

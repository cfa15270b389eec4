import { describe, expect, it } from 'vitest';
import { subscriptionPhase, type PhaseInputs } from '../../../server/src/entitlements/subscription-phase.js';
import { SUBSCRIPTION_PHASES } from '../../../server/src/vocabulary/index.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const ms = (offset: number) => new Date(NOW.getTime() + offset);
const DAY = 86_400_000;

/** One row per phase and per boundary: the instant a trial, its grace or a past-due grace ends. */
const cases: [string, PhaseInputs, number, { phase: string; inForce: boolean; endsAt: Date | null }][] = [
  ['a trial before its end', { status: 'TRIALING', trialEndsAt: ms(1), graceEndsAt: null }, 3, { phase: 'TRIAL', inForce: true, endsAt: ms(1) }],
  ['a trial at the instant it ends, with grace days', { status: 'TRIALING', trialEndsAt: NOW, graceEndsAt: null }, 3, { phase: 'TRIAL_GRACE', inForce: true, endsAt: ms(3 * DAY) }],
  ['a trial at the instant it ends, without grace days', { status: 'TRIALING', trialEndsAt: NOW, graceEndsAt: null }, 0, { phase: 'EXPIRED', inForce: false, endsAt: null }],
  ['a trial one millisecond before its grace ends', { status: 'TRIALING', trialEndsAt: ms(-3 * DAY + 1), graceEndsAt: null }, 3, { phase: 'TRIAL_GRACE', inForce: true, endsAt: ms(1) }],
  ['a trial at the instant its grace ends', { status: 'TRIALING', trialEndsAt: ms(-3 * DAY), graceEndsAt: null }, 3, { phase: 'EXPIRED', inForce: false, endsAt: null }],
  ['a trial without an end', { status: 'TRIALING', trialEndsAt: null, graceEndsAt: null }, 3, { phase: 'EXPIRED', inForce: false, endsAt: null }],
  ['an active subscription', { status: 'ACTIVE', trialEndsAt: null, graceEndsAt: null }, 0, { phase: 'ACTIVE', inForce: true, endsAt: null }],
  ['past due within its grace', { status: 'PAST_DUE', trialEndsAt: null, graceEndsAt: ms(1) }, 0, { phase: 'PAST_DUE', inForce: true, endsAt: ms(1) }],
  ['past due without a grace end', { status: 'PAST_DUE', trialEndsAt: null, graceEndsAt: null }, 0, { phase: 'PAST_DUE', inForce: true, endsAt: null }],
  ['past due at the instant its grace ends', { status: 'PAST_DUE', trialEndsAt: null, graceEndsAt: NOW }, 0, { phase: 'EXPIRED', inForce: false, endsAt: null }],
  ['canceled at period end, before the period ends', { status: 'ACTIVE', trialEndsAt: null, graceEndsAt: null, cancelAtPeriodEnd: true, currentPeriodEnd: ms(1) }, 0, { phase: 'CANCELING', inForce: true, endsAt: ms(1) }],
  ['canceled at period end, at the instant the period ends', { status: 'ACTIVE', trialEndsAt: null, graceEndsAt: null, cancelAtPeriodEnd: true, currentPeriodEnd: NOW }, 0, { phase: 'CANCELED', inForce: false, endsAt: null }],
  ['a trial canceled at period end, before the trial ends', { status: 'TRIALING', trialEndsAt: ms(1), graceEndsAt: null, cancelAtPeriodEnd: true }, 3, { phase: 'CANCELING', inForce: true, endsAt: ms(1) }],
  ['a trial canceled at period end, at the trial\'s end (no grace)', { status: 'TRIALING', trialEndsAt: NOW, graceEndsAt: null, cancelAtPeriodEnd: true }, 3, { phase: 'CANCELED', inForce: false, endsAt: null }],
  ['past due and canceled at period end: access ends at the earlier of grace and period end', { status: 'PAST_DUE', trialEndsAt: null, graceEndsAt: ms(5), cancelAtPeriodEnd: true, currentPeriodEnd: ms(2) }, 0, { phase: 'PAST_DUE', inForce: true, endsAt: ms(2) }],
  ['canceled', { status: 'CANCELED', trialEndsAt: null, graceEndsAt: null }, 0, { phase: 'CANCELED', inForce: false, endsAt: null }],
  ['expired', { status: 'EXPIRED', trialEndsAt: null, graceEndsAt: null }, 0, { phase: 'EXPIRED', inForce: false, endsAt: null }],
  ['paused by Stripe (a trial ended without a payment method)', { status: 'PAUSED', trialEndsAt: null, graceEndsAt: null }, 3, { phase: 'PAUSED', inForce: false, endsAt: null }],
  ['canceled at a set instant (cancel_at), before it', { status: 'ACTIVE', trialEndsAt: null, graceEndsAt: null, cancelAt: ms(1), currentPeriodEnd: ms(DAY) }, 0, { phase: 'CANCELING', inForce: true, endsAt: ms(1) }],
  ['canceled at a set instant (cancel_at), at it', { status: 'ACTIVE', trialEndsAt: null, graceEndsAt: null, cancelAt: NOW, currentPeriodEnd: ms(DAY) }, 0, { phase: 'CANCELED', inForce: false, endsAt: null }],
];

describe('the phase of a subscription', () => {
  it.each(cases)('is right for %s', (_name, subscription, graceDays, expected) => {
    expect(subscriptionPhase(subscription, graceDays, NOW)).toEqual(expected);
  });

  it('reaches every phase', () => {
    const reached = new Set(cases.map(([, subscription, graceDays]) => subscriptionPhase(subscription, graceDays, NOW).phase));
    expect([...reached].sort()).toEqual([...SUBSCRIPTION_PHASES].sort());
  });
});

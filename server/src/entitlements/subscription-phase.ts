import type { SubscriptionPhase, SubscriptionStatus } from '../vocabulary/index.js';

const DAY_MS = 86_400_000;

/** What a subscription's phase is computed from. */
export interface PhaseInputs {
  status: SubscriptionStatus;
  trialEndsAt: Date | null;
  /** PAST_DUE keeps access until then (null: until the billing side says otherwise). */
  graceEndsAt: Date | null;
  /** Canceled at period end: in force until `currentPeriodEnd` (phase CANCELING), CANCELED from then. Missing = false. */
  cancelAtPeriodEnd?: boolean;
  /** Needed with `cancelAtPeriodEnd`. */
  currentPeriodEnd?: Date | null;
  /** Canceled at this instant (not a period end): CANCELING until then, CANCELED from then. Missing = none. */
  cancelAt?: Date | null;
}

/** A subscription's phase at an instant, and until when the phase's access lasts. */
export interface PhaseAt {
  phase: SubscriptionPhase;
  /** Whether the subscription's plan applies in this phase. */
  inForce: boolean;
  /** When the access of this phase ends by itself (trial end, trial grace end, past-due grace end); null when it does not. */
  endsAt: Date | null;
}

/**
 * The phase of a subscription at `now`, from its status and timestamps alone, so it is right at
 * every instant without a background job: a trial becomes TRIAL_GRACE at `trialEndsAt` exactly
 * (when its plan version gives grace days) and EXPIRED when the grace ends; PAST_DUE is EXPIRED
 * once its grace ends. A subscription canceled at period end is CANCELING until the period (a
 * trial: the trial) ends, and CANCELED from that instant; a canceled trial gets no grace. Pure.
 *
 * @example
 * subscriptionPhase({ status: 'TRIALING', trialEndsAt, graceEndsAt: null }, 3, now).phase; // 'TRIAL_GRACE' for 3 days after trialEndsAt
 */
export function subscriptionPhase(subscription: PhaseInputs, trialGraceDays: number, now: Date): PhaseAt {
  const cancelAt = earliest(subscription.cancelAtPeriodEnd ? cancellationEnd(subscription) : null, subscription.cancelAt ?? null);
  if (cancelAt && now >= cancelAt) return { phase: 'CANCELED', inForce: false, endsAt: null };
  switch (subscription.status) {
    case 'TRIALING': {
      const trialEnd = subscription.trialEndsAt;
      if (trialEnd === null) return { phase: 'EXPIRED', inForce: false, endsAt: null };
      if (now < trialEnd) return { phase: cancelAt ? 'CANCELING' : 'TRIAL', inForce: true, endsAt: trialEnd };
      const graceEnd = new Date(trialEnd.getTime() + trialGraceDays * DAY_MS);
      if (now < graceEnd) return { phase: 'TRIAL_GRACE', inForce: true, endsAt: graceEnd };
      return { phase: 'EXPIRED', inForce: false, endsAt: null };
    }
    case 'ACTIVE':
      return cancelAt ? { phase: 'CANCELING', inForce: true, endsAt: cancelAt } : { phase: 'ACTIVE', inForce: true, endsAt: null };
    case 'PAST_DUE': {
      const graceEnd = subscription.graceEndsAt;
      if (graceEnd === null || now < graceEnd) return { phase: 'PAST_DUE', inForce: true, endsAt: earliest(graceEnd, cancelAt) };
      return { phase: 'EXPIRED', inForce: false, endsAt: null };
    }
    case 'CANCELED':
      return { phase: 'CANCELED', inForce: false, endsAt: null };
    case 'EXPIRED':
      return { phase: 'EXPIRED', inForce: false, endsAt: null };
    case 'PAUSED':
      return { phase: 'PAUSED', inForce: false, endsAt: null };
  }
}

/** When a cancellation at period end takes effect: the trial's end for a trial, else the period's end. */
function cancellationEnd(subscription: PhaseInputs): Date | null {
  if (subscription.status === 'TRIALING') return subscription.trialEndsAt;
  return subscription.currentPeriodEnd ?? null;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

import { createHash } from 'node:crypto';
import { actorName, type Principal } from '../access/index.js';
import { evaluateAccess, type CountingPeriod, type DecisionInputs, type Evaluation } from '../entitlements/index.js';
import { MAX_QUANTITY } from '../validation/index.js';
import { FEATURE_KIND_RULES, type UsageEventKind } from '../vocabulary/index.js';
import { featureNotMetered } from './metering.errors.js';
import type { LedgerEvent } from './usage-ledger.js';

/** An evaluation of a feature that has a usage counter. */
export type CountedEvaluation = Evaluation & { counting: CountingPeriod };

/**
 * The feature's evaluation at `at`, refusing (FEATURE_NOT_METERED) a kind `operation` does not
 * apply to, as the kind rules table says. This is the one place a counted request (a consume now,
 * or a reported event at its own timestamp) is put in its period: `counting.start` is the counter
 * it goes to.
 */
export function countingEvaluation(
  inputs: DecisionInputs,
  at: Date,
  operation: string,
  rule: 'countable' | 'releasable' | 'reportable',
): CountedEvaluation {
  const evaluation = evaluateAccess(inputs.catalog, inputs.account, inputs.feature.key, at);
  if (!FEATURE_KIND_RULES[inputs.feature.kind][rule] || !evaluation.counting) {
    throw featureNotMetered(inputs.feature.key, inputs.feature.kind, operation, rule);
  }
  return { ...evaluation, counting: evaluation.counting };
}

/**
 * SHA-256 of what the client sent: the same key with another payload is IDEMPOTENCY_CONFLICT.
 * A report's timestamp is part of it as sent (null when absent): a retry without one is the
 * same request, although "now" has moved on.
 */
export function fingerprintOf(kind: UsageEventKind, feature: string, amount: number, timestamp: Date | null): string {
  return createHash('sha256')
    .update(JSON.stringify([kind, feature, amount, timestamp?.toISOString() ?? null]))
    .digest('hex');
}

/**
 * A request ready for the ledger: its counter (the evaluation's period), and, from access alone
 * (as if nothing were used yet), whether anything may be counted at all and the cap the counter
 * must stay within: the limit under overage BLOCK, else the largest counter (MAX_QUANTITY), which
 * clients read as JSON numbers, exact only up to 2^53-1.
 */
export function ledgerEvent(
  kind: UsageEventKind,
  actor: Principal | string,
  inputs: DecisionInputs,
  evaluation: CountedEvaluation,
  amount: number,
  idempotencyKey: string,
  at: Date,
  sentTimestamp: Date | null,
): LedgerEvent {
  const access = evaluation.decide(0, amount);
  const permitted = access.allowed || access.reason === 'LIMIT_REACHED';
  const blocking = access.overage === 'BLOCK' && access.limit !== null;
  return {
    kind,
    accountId: inputs.account.accountId,
    featureKey: inputs.feature.key,
    periodStart: evaluation.counting.start,
    amount,
    cap: blocking ? access.limit! : MAX_QUANTITY,
    blocking,
    permitted,
    idempotencyKey,
    fingerprint: fingerprintOf(kind, inputs.feature.key, amount, sentTimestamp),
    at,
    actor: typeof actor === 'string' ? actor : actorName(actor),
  };
}

import type { DecisionInputs, EntitlementsService } from '../entitlements/index.js';
import { evaluateAccess } from '../entitlements/index.js';
import { badUserInput, validateInput } from '../validation/index.js';
import { countingEvaluation, ledgerEvent, type CountedEvaluation } from './counting-evaluation.js';
import type { z } from 'zod';
import { usageEventSchema, type UsageEventValues } from './metering.validation.js';
import type { LedgerEvent } from './usage-ledger.js';

/** A reported event whose values passed the schema and the clock rules. */
export type CheckedEvent = z.output<typeof usageEventSchema>;

/** Reported events may carry clocks a little ahead of ours. */
const FUTURE_SKEW_MS = 5 * 60_000;
/**
 * How far back a reported event may be dated: 35 days (a monthly batch that arrives a few days
 * late still counts), or further back to the start of the feature's current period.
 */
export const BACKDATING_WINDOW_MS = 35 * 24 * 3_600_000;

/**
 * Checks and evaluates the events of one reportUsage batch before the ledger counts them: each
 * event's validation, account and feature, timestamp rules and evaluation at its own timestamp.
 * What many events share is worked out once per batch: the inputs of an (account, feature), its
 * earliest reportable instant, and the evaluation at one instant (events without a timestamp all
 * happen "now").
 */
export class ReportPreparation {
  private readonly inputs = new Map<string, Promise<DecisionInputs>>();
  private readonly earliest = new Map<string, Date>();
  private readonly evaluations = new Map<string, CountedEvaluation>();

  constructor(
    private readonly entitlements: EntitlementsService,
    private readonly now: Date,
    private readonly actor: string,
  ) {}

  /**
   * Step 1, for every event first: its values checked (throws BAD_USER_INPUT and the like), and
   * the loading of its account's and feature's inputs started, so that a batch over many accounts
   * waits for the pool once instead of once per account.
   */
  check(event: UsageEventValues): CheckedEvent {
    const values = validateInput(usageEventSchema, event);
    const at = values.timestamp ?? this.now;
    if (at.getTime() > this.now.getTime() + FUTURE_SKEW_MS) {
      throw badUserInput([{ path: 'timestamp', message: 'must not be more than 5 minutes in the future' }]);
    }
    void this.inputsOf(values.accountId, values.feature);
    return values;
  }

  /** Step 2: the checked event ready for the ledger; throws its own error (a GraphQLError with a code) when it cannot be counted. */
  async prepare(values: CheckedEvent): Promise<{ event: LedgerEvent; evaluation: CountedEvaluation }> {
    const at = values.timestamp ?? this.now;
    const pair = `${values.accountId}\u0000${values.feature}`;
    const inputs = await this.inputsOf(values.accountId, values.feature);
    const evaluationKey = `${pair}\u0000${at.getTime()}`;
    let evaluation = this.evaluations.get(evaluationKey);
    if (!evaluation) {
      evaluation = countingEvaluation(inputs, at, 'reportUsage', 'reportable');
      this.evaluations.set(evaluationKey, evaluation);
    }
    const earliest = this.earliestReportable(pair, inputs);
    if (at < earliest) {
      throw badUserInput([{
        path: 'timestamp',
        message: `must be ${earliest.toISOString()} or later: events may be back-dated 35 days, or to the start of the feature's current period`,
      }]);
    }
    return {
      event: ledgerEvent('REPORT', this.actor, inputs, evaluation, values.amount, values.idempotencyKey, at, values.timestamp ?? null),
      evaluation,
    };
  }

  private inputsOf(accountId: string, feature: string): Promise<DecisionInputs> {
    const pair = `${accountId}\u0000${feature}`;
    let loading = this.inputs.get(pair);
    if (!loading) {
      loading = this.entitlements.inputsFor(accountId, feature);
      // Failures are each event's own answer; an unobserved rejection must not crash the process.
      loading.catch(() => {});
      this.inputs.set(pair, loading);
    }
    return loading;
  }

  /** The earliest instant a reported event may carry for this feature and account. */
  private earliestReportable(pair: string, inputs: DecisionInputs): Date {
    let earliest = this.earliest.get(pair);
    if (!earliest) {
      const current = evaluateAccess(inputs.catalog, inputs.account, inputs.feature.key, this.now).counting?.start;
      const window = new Date(this.now.getTime() - BACKDATING_WINDOW_MS);
      earliest = current && current < window ? current : window;
      this.earliest.set(pair, earliest);
    }
    return earliest;
  }
}

import type { DecisionInputs, EntitlementsService } from '../entitlements/index.js';
import { evaluateAccess } from '../entitlements/index.js';
import { badUserInput, validateInput } from '../validation/index.js';
import { countingEvaluation, ledgerEvent, type CountedEvaluation } from './counting-evaluation.js';
import { usageEventSchema, type UsageEventValues } from './metering.validation.js';
import type { LedgerEvent } from './usage-ledger.js';

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

  /** The event ready for the ledger; throws its own error (a GraphQLError with a code) when it cannot be counted. */
  async prepare(event: UsageEventValues): Promise<{ event: LedgerEvent; evaluation: CountedEvaluation }> {
    const values = validateInput(usageEventSchema, event);
    const now = this.now;
    const at = values.timestamp ?? now;
    if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) {
      throw badUserInput([{ path: 'timestamp', message: 'must not be more than 5 minutes in the future' }]);
    }
    const pair = `${values.accountId}\u0000${values.feature}`;
    let loading = this.inputs.get(pair);
    if (!loading) {
      loading = this.entitlements.inputsFor(values.accountId, values.feature);
      // Failures are each event's own answer; an unobserved rejection must not crash the process.
      loading.catch(() => {});
      this.inputs.set(pair, loading);
    }
    const inputs = await loading;
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

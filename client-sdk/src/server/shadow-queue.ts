import type { CompareEntitlementInput } from '../generated/graphql.js';
import { BackgroundBatches } from './background-batches.js';
import { TollgateRequestError, TollgateUnavailableError, type TollgateErrorPayload } from './tollgate-errors.js';

/**
 * How `tollgate.shadow()` batches (the `shadow` option of `createTollgate`).
 *
 * @example
 * const tollgate = createTollgate({ url, apiKey, shadow: { flushIntervalMs: 500, maxBatch: 200, onError: (error) => log.warn(error) } });
 */
export interface ShadowOptions {
  /** Queued comparisons are sent at most this long after the first of them (default 1000 ms). */
  flushIntervalMs?: number;
  /** A batch this full is sent at once; and no request carries more (default 100, at most 1000). */
  maxBatch?: number;
  /**
   * The bound (default 10,000): while Tollgate is unreachable comparisons wait, and past this many
   * the oldest are dropped and counted in `shadowStats().dropped`, so memory stays bounded.
   */
  maxQueue?: number;
  /**
   * Hears about what went wrong in the background: Tollgate unreachable (the batch waits and is
   * sent again later), refused comparisons (an unknown feature or account: fix the call), a
   * refused key. Never called from inside `shadow()`; whatever it throws is ignored.
   */
  onError?: (error: Error) => void;
}

/**
 * The second argument of `tollgate.shadow()` besides the legacy answer.
 *
 * @example
 * tollgate.shadow(accountId, 'seats', seatsUsed + 1 <= legacySeatLimit, { legacyLimit: legacySeatLimit, amount: 1 } satisfies ShadowCompareOptions);
 */
export interface ShadowCompareOptions {
  /** The legacy check's limit; leave it out (or null) when it has none, and only access is compared. */
  legacyLimit?: number | null;
  /** The amount the legacy check was asked about, compared as the `entitlement` query's `amount`. */
  amount?: number;
}

/**
 * What the shadow queue has done so far, for a host's metrics and for tests.
 *
 * @example
 * const { queued, dropped }: ShadowStats = tollgate.shadowStats();
 * metrics.gauge('tollgate.shadow.queued', queued);
 */
export interface ShadowStats {
  /** Waiting to be sent. */
  queued: number;
  /** Recorded by Tollgate. */
  sent: number;
  /** Refused (unknown feature or account, bad values, a refused key) or made after close(): never recorded. */
  failed: number;
  /** Dropped, oldest first, because the queue was full while Tollgate could not be reached. */
  dropped: number;
}

/** Sends one batch; the transport's errors (TollgateUnavailableError, TollgateRequestError) pass through. */
export type SendComparisons = (inputs: CompareEntitlementInput[]) => Promise<{
  compared: number;
  failed: number;
  results: { index: number; code: string | null; message: string | null }[];
}>;

/** Tollgate answers up to this many comparisons per call. */
const MAX_BATCH = 1000;

/**
 * The queue behind `tollgate.shadow()`: comparisons are queued synchronously and sent in the
 * background, one `compareEntitlements` request at a time, so shadow mode never adds a round trip
 * (or an exception) to the host's request path. Bounded, dropping the oldest when full.
 */
export class ShadowQueue extends BackgroundBatches {
  private readonly queue: CompareEntitlementInput[] = [];
  private readonly stats: ShadowStats = { queued: 0, sent: 0, failed: 0, dropped: 0 };
  private readonly maxQueue: number;

  constructor(
    private readonly send: SendComparisons,
    options: ShadowOptions = {},
  ) {
    super(Math.max(1, options.flushIntervalMs ?? 1000), Math.min(MAX_BATCH, Math.max(1, options.maxBatch ?? 100)), options.onError);
    this.maxQueue = Math.max(1, options.maxQueue ?? 10_000);
  }

  /** Queues one comparison; returns at once and never throws. */
  add(accountId: string, feature: string, legacyAllowed: boolean, options: ShadowCompareOptions = {}): void {
    try {
      const problem = invalid(accountId, feature, legacyAllowed, options);
      if (problem || this.closed) {
        this.stats.failed += 1;
        this.report(new TypeError(problem ? `tollgate.shadow(): ${problem}; the comparison was not sent.` : 'tollgate.shadow() after close(): the comparison was not sent.'));
        return;
      }
      this.queue.push({ accountId, feature, legacyAllowed, amount: options.amount ?? null, legacyLimit: options.legacyLimit ?? null });
      this.trim();
      this.queued();
    } catch {
      // Shadow mode must never break the host's request: whatever happened here is not its problem.
    }
  }

  /** A copy of the counters. */
  snapshot(): ShadowStats {
    return { ...this.stats, queued: this.queue.length };
  }

  protected waiting(): number {
    return this.queue.length;
  }

  /** Sends the batch at the front of the queue; settles every outcome here, never rejects. */
  protected sendNext(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    if (!batch.length) return Promise.resolve();
    return this.sendBatch(batch.length, () => this.send(batch).then(
      (answer) => {
        this.failures = 0;
        this.settled += batch.length;
        this.stats.sent += answer.compared;
        this.stats.failed += answer.failed;
        if (answer.failed) {
          const errors: TollgateErrorPayload[] = answer.results
            .filter((result) => result.code)
            .map((result) => ({ message: result.message ?? '', extensions: { code: result.code } }));
          this.report(new TollgateRequestError(errors));
        }
      },
      (error: unknown) => {
        if (error instanceof TollgateUnavailableError) {
          // Tollgate did not answer: the batch goes back to the front and waits for a later attempt.
          this.failures += 1;
          this.queue.unshift(...batch);
          this.trim();
        } else {
          this.failures = 0;
          this.settled += batch.length;
          this.stats.failed += batch.length;
        }
        this.report(error instanceof Error ? error : new Error(String(error)));
      },
    ));
  }

  /** Keeps the queue within its bound by dropping the oldest comparisons, counted. */
  private trim(): void {
    const excess = this.queue.length - this.maxQueue;
    if (excess <= 0) return;
    this.queue.splice(0, excess);
    this.settled += excess;
    this.stats.dropped += excess;
  }
}

/** Why the arguments cannot be sent (Tollgate would refuse the whole batch for a bad number), or null. */
function invalid(accountId: unknown, feature: unknown, legacyAllowed: unknown, options: ShadowCompareOptions): string | null {
  if (typeof accountId !== 'string' || typeof feature !== 'string') return 'accountId and feature must be strings';
  if (typeof legacyAllowed !== 'boolean') return 'legacyAllowed must be true or false';
  const { amount, legacyLimit } = options;
  if (amount !== undefined && amount !== null && !(Number.isSafeInteger(amount) && amount >= 1)) return 'amount must be a whole number of 1 or more';
  if (legacyLimit !== undefined && legacyLimit !== null && !(Number.isSafeInteger(legacyLimit) && legacyLimit >= 0)) {
    return 'legacyLimit must be a whole number of 0 or more';
  }
  return null;
}

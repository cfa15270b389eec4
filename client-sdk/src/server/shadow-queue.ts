import type { CompareEntitlementInput } from '../generated/graphql.js';
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
/** The longest pause between attempts while Tollgate cannot be reached. */
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * The queue behind `tollgate.shadow()`: comparisons are queued synchronously and sent in the
 * background, one `compareEntitlements` request at a time, so shadow mode never adds a round trip
 * (or an exception) to the host's request path. Bounded, dropping the oldest when full.
 */
export class ShadowQueue {
  private readonly queue: CompareEntitlementInput[] = [];
  private readonly stats: ShadowStats = { queued: 0, sent: 0, failed: 0, dropped: 0 };
  /** Comparisons that have left the queue (sent, refused or dropped): how a flush knows its own are done. */
  private settled = 0;
  private sending: Promise<void> | null = null;
  /** The size of the batch being sent: out of the queue, not yet settled. */
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueue: number;

  constructor(
    private readonly send: SendComparisons,
    private readonly options: ShadowOptions = {},
  ) {
    this.flushIntervalMs = Math.max(1, options.flushIntervalMs ?? 1000);
    this.maxBatch = Math.min(MAX_BATCH, Math.max(1, options.maxBatch ?? 100));
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
      if (this.queue.length >= this.maxBatch && this.failures === 0) this.schedule(0);
      else this.schedule(this.flushIntervalMs);
    } catch {
      // Shadow mode must never break the host's request: whatever happened here is not its problem.
    }
  }

  /**
   * Sends every comparison queued before the call. Resolves when they are recorded or refused,
   * or after one failed attempt while Tollgate is unreachable (they stay queued); never rejects.
   */
  async flush(): Promise<void> {
    const goal = this.settled + this.inFlight + this.queue.length;
    let attempted = false;
    while (this.settled < goal) {
      if (this.sending) {
        await this.sending;
        continue;
      }
      // Unreachable on this call's own attempt: stop here rather than hang the caller.
      if (attempted && this.failures > 0) return;
      attempted = true;
      await this.sendNext();
    }
  }

  /** Sends what is queued and stops the timer; later comparisons are not sent. For shutdown and tests. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** A copy of the counters. */
  snapshot(): ShadowStats {
    return { ...this.stats, queued: this.queue.length };
  }

  /** Sends the batch at the front of the queue; settles every outcome here, never rejects. */
  private sendNext(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    if (!batch.length) return Promise.resolve();
    this.inFlight = batch.length;
    this.sending = this.send(batch).then(
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
    ).finally(() => {
      this.sending = null;
      this.inFlight = 0;
      if (!this.queue.length || this.closed) return;
      const backoff = this.failures ? Math.min(this.flushIntervalMs * 2 ** this.failures, MAX_RETRY_DELAY_MS) : null;
      this.schedule(backoff ?? (this.queue.length >= this.maxBatch ? 0 : this.flushIntervalMs));
    });
    return this.sending;
  }

  /** Keeps the queue within its bound by dropping the oldest comparisons, counted. */
  private trim(): void {
    const excess = this.queue.length - this.maxQueue;
    if (excess <= 0) return;
    this.queue.splice(0, excess);
    this.settled += excess;
    this.stats.dropped += excess;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.sending) void this.sendNext();
    }, delayMs);
    // Queued comparisons must not keep a host process alive; close() sends them at shutdown.
    this.timer.unref();
  }

  private report(error: Error): void {
    const listener = this.options.onError;
    if (!listener) return;
    // Never inside the host's call, and never able to throw into it.
    setImmediate(() => {
      try {
        listener(error);
      } catch {
        // The host's listener failing is not shadow mode's to handle.
      }
    });
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

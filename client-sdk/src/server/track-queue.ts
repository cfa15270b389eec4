import { randomUUID } from 'node:crypto';
import type { UsageEventInput } from '../generated/graphql.js';
import { BackgroundBatches } from './background-batches.js';
import { TollgateRequestError, TollgateUnavailableError, type TollgateErrorPayload } from './tollgate-errors.js';

/**
 * How `tollgate.track()` batches (the `track` option of `createTollgate`).
 *
 * @example
 * const tollgate = createTollgate({ url, apiKey, live: true, track: { flushIntervalMs: 250, onError: (error) => log.warn(error) } });
 */
export interface TrackOptions {
  /** Tracked usage is sent at most this long after it was tracked (default 1000 ms). */
  flushIntervalMs?: number;
  /** A batch this full is sent at once; no request carries more (default 1000, at most 10,000). */
  maxBatch?: number;
  /**
   * The bound (default 100,000 events, about 20 MB): while Tollgate is unreachable events wait,
   * and past this many the oldest are dropped and counted in `trackStats().dropped`.
   */
  maxQueue?: number;
  /**
   * Hears about what went wrong in the background: Tollgate unreachable (the batch waits and is
   * sent again later, with the same keys), refused events (an unknown feature or account: fix the
   * call), a refused key. Never called from inside `track()`; whatever it throws is ignored.
   */
  onError?: (error: Error) => void;
}

/**
 * The options of one `tollgate.track()` call.
 *
 * @example
 * tollgate.track(accountId, 'ai_tokens', usage.totalTokens, { idempotencyKey: `completion-${completion.id}` } satisfies TrackEventOptions);
 */
export interface TrackEventOptions {
  /**
   * Makes the event count once however often it is sent (default: a new random key per call). Pass
   * your own (a request id) when the same usage may be tracked twice, by a retry of your own.
   */
  idempotencyKey?: string;
}

/**
 * What `track()` has done so far, for a host's metrics and for tests.
 *
 * @example
 * const { queued, dropped, refused }: TrackStats = tollgate.trackStats();
 * metrics.gauge('tollgate.track.queued', queued);
 */
export interface TrackStats {
  /** Waiting to be sent, including a batch on its way. */
  queued: number;
  /** Counted by Tollgate. */
  accepted: number;
  /** Sent again after an unanswered attempt and found already counted (the key held: counted once). */
  duplicates: number;
  /** Not counted by Tollgate: a hard limit (overage BLOCK) or no access at that instant. */
  refused: number;
  /** Never counted: bad arguments, an unknown feature or account, a refused key, or tracked after close(). */
  failed: number;
  /** Dropped, oldest first, because the queue was full while Tollgate could not be reached. */
  dropped: number;
}

/** One batch's answer, as the reportUsage mutation gives it. */
export interface ReportAnswer {
  accepted: number;
  refused: number;
  duplicates: number;
  failed: number;
  results: { index: number; status: string; code: string | null; message: string | null }[];
}

/** Sends one batch; the transport's errors (TollgateUnavailableError, TollgateRequestError) pass through. */
export type SendUsage = (events: UsageEventInput[]) => Promise<ReportAnswer>;

/** Tollgate's bound on one reportUsage call. */
const MAX_BATCH = 10_000;

/** A tracked event on its way: its key made (if the host gave none) when it first left the queue. */
interface Tracked {
  accountId: string;
  feature: string;
  amount: number;
  idempotencyKey: string;
  at: number;
}

/**
 * The queue's memory: a ring of fixed capacity kept as one array per field, allocated once, so a
 * call stores five values and allocates nothing (a million retained event objects cost more in
 * garbage collection than everything else together). A missing key stays `undefined` until the
 * event is first sent, then is made once and kept with it for every retry.
 */
class TrackRing {
  readonly accounts: string[];
  readonly features: string[];
  readonly keys: (string | undefined)[];
  readonly amounts: Float64Array;
  readonly ats: Float64Array;
  head = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.accounts = new Array<string>(capacity);
    this.features = new Array<string>(capacity);
    this.keys = new Array<string | undefined>(capacity);
    this.amounts = new Float64Array(capacity);
    this.ats = new Float64Array(capacity);
  }

  /** Appends at the back; when full, the oldest gives way. Returns whether one was dropped. */
  push(accountId: string, feature: string, amount: number, key: string | undefined, at: number): boolean {
    let dropped = false;
    if (this.size === this.capacity) {
      this.clear(this.head);
      this.head = (this.head + 1) % this.capacity;
      this.size -= 1;
      dropped = true;
    }
    const slot = (this.head + this.size) % this.capacity;
    this.accounts[slot] = accountId;
    this.features[slot] = feature;
    this.amounts[slot] = amount;
    this.keys[slot] = key;
    this.ats[slot] = at;
    this.size += 1;
    return dropped;
  }

  /** Takes up to `count` from the front, making the keys that are missing. */
  take(count: number): Tracked[] {
    const taken: Tracked[] = new Array(Math.min(count, this.size));
    for (let i = 0; i < taken.length; i += 1) {
      const slot = this.head;
      taken[i] = {
        accountId: this.accounts[slot]!, feature: this.features[slot]!, amount: this.amounts[slot]!,
        idempotencyKey: this.keys[slot] ?? randomUUID(), at: this.ats[slot]!,
      };
      this.clear(slot);
      this.head = (this.head + 1) % this.capacity;
    }
    this.size -= taken.length;
    return taken;
  }

  /** Puts events back at the front, oldest first; returns how many did not fit (the oldest, dropped). */
  unshift(events: Tracked[]): number {
    const kept = Math.min(events.length, this.capacity - this.size);
    for (let i = events.length - 1; i >= events.length - kept; i -= 1) {
      const event = events[i]!;
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.accounts[this.head] = event.accountId;
      this.features[this.head] = event.feature;
      this.amounts[this.head] = event.amount;
      this.keys[this.head] = event.idempotencyKey;
      this.ats[this.head] = event.at;
      this.size += 1;
    }
    return events.length - kept;
  }

  /** Lets go of the strings a slot held. */
  private clear(slot: number): void {
    this.accounts[slot] = undefined as unknown as string;
    this.features[slot] = undefined as unknown as string;
    this.keys[slot] = undefined;
  }
}

/**
 * The queue behind `tollgate.track()`: fire-and-forget usage. `track()` only validates and appends
 * to a ring buffer (no promise, no I/O, never a throw); batches go to Tollgate's reportUsage in
 * the background, one request at a time, when `maxBatch` events wait or `flushIntervalMs` after
 * the first. Each event carries its idempotency key and the instant it was tracked, so it counts
 * once, in the period it happened in, however many times it is sent: a batch Tollgate did not
 * answer is put back at the front and sent again, with backoff, keys unchanged. Memory is bounded
 * by `maxQueue`: when full, the oldest events are dropped and counted, and `track()` never blocks.
 */
export class TrackQueue extends BackgroundBatches {
  private readonly ring: TrackRing;
  private readonly stats: TrackStats = { queued: 0, accepted: 0, duplicates: 0, refused: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly send: SendUsage,
    options: TrackOptions = {},
  ) {
    super(Math.max(1, options.flushIntervalMs ?? 1000), Math.min(MAX_BATCH, Math.max(1, options.maxBatch ?? 1000)), options.onError);
    this.ring = new TrackRing(Math.max(1, options.maxQueue ?? 100_000));
  }

  /** Queues one event; returns at once and never throws. */
  add(accountId: string, feature: string, amount: number, options?: TrackEventOptions): void {
    try {
      if (typeof accountId !== 'string' || typeof feature !== 'string' || !(Number.isSafeInteger(amount) && amount >= 1) || this.closed) {
        this.stats.failed += 1;
        this.report(new TypeError(this.closed
          ? 'tollgate.track() after close(): the event was not sent.'
          : 'tollgate.track(): accountId and feature must be strings and amount a whole number of 1 or more; the event was not sent.'));
        return;
      }
      const key = options?.idempotencyKey;
      if (this.ring.push(accountId, feature, amount, typeof key === 'string' && key ? key : undefined, Date.now())) {
        this.settled += 1;
        this.stats.dropped += 1;
      }
      this.queued();
    } catch {
      // Tracking must never break the host's request: whatever happened here is not its problem.
    }
  }

  /** A copy of the counters. */
  snapshot(): TrackStats {
    return { ...this.stats, queued: this.ring.size + this.inFlight };
  }

  protected waiting(): number {
    return this.ring.size;
  }

  /** Sends the batch at the front of the queue; settles every outcome here, never rejects. */
  protected sendNext(): Promise<void> {
    const batch = this.ring.take(this.maxBatch);
    if (!batch.length) return Promise.resolve();
    const events: UsageEventInput[] = batch.map((event) => ({
      accountId: event.accountId, feature: event.feature, amount: event.amount, idempotencyKey: event.idempotencyKey, timestamp: new Date(event.at).toISOString(),
    }));
    return this.sendBatch(batch.length, () => this.send(events).then(
      (answer) => {
        this.failures = 0;
        this.inFlight = 0;
        this.settled += batch.length;
        this.stats.accepted += answer.accepted;
        this.stats.duplicates += answer.duplicates;
        this.stats.refused += answer.refused;
        this.stats.failed += answer.failed;
        if (answer.failed) {
          const errors: TollgateErrorPayload[] = answer.results
            .filter((result) => result.status === 'FAILED')
            .map((result) => ({ message: result.message ?? '', extensions: { code: result.code } }));
          this.report(new TollgateRequestError(errors));
        }
      },
      (error: unknown) => {
        this.inFlight = 0;
        if (error instanceof TollgateUnavailableError) {
          // Unanswered: it may or may not have been counted. The same keys make sending it again safe.
          this.failures += 1;
          const lost = this.ring.unshift(batch);
          this.settled += lost;
          this.stats.dropped += lost;
        } else {
          this.failures = 0;
          this.settled += batch.length;
          this.stats.failed += batch.length;
        }
        this.report(error instanceof Error ? error : new Error(String(error)));
      },
    ));
  }
}

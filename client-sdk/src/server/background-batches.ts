/** The longest pause between attempts while Tollgate cannot be reached. */
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * What `shadow()` and `track()` share: items queued synchronously on the host's request path and
 * sent to Tollgate in the background, one batch at a time, when `maxBatch` wait or
 * `flushIntervalMs` after the first, with backoff while Tollgate is unreachable. A subclass keeps
 * the items, sends a batch (`sendNext`, which must settle every outcome and never reject) and
 * counts; this class keeps the timer, the flush and close protocol and the error listener.
 */
export abstract class BackgroundBatches {
  /** Items that have left the queue (answered, failed or dropped): how a flush knows its own are done. */
  protected settled = 0;
  /** The size of the batch being sent: out of the queue, not yet settled. */
  protected inFlight = 0;
  protected sending: Promise<void> | null = null;
  /** Unanswered attempts in a row; 0 once Tollgate answers. */
  protected failures = 0;
  protected closed = false;
  private timer: NodeJS.Timeout | null = null;
  /** The timer set is the immediate one (delay 0): a full batch waits for it, nothing to reschedule. */
  private timerImmediate = false;

  constructor(
    protected readonly flushIntervalMs: number,
    protected readonly maxBatch: number,
    private readonly onError: ((error: Error) => void) | undefined,
  ) {}

  /** Items waiting in the queue (not counting a batch on its way). */
  protected abstract waiting(): number;

  /** Sends the batch at the front of the queue through {@link sendBatch}. */
  protected abstract sendNext(): Promise<void>;

  /**
   * Sends everything queued before the call. Resolves when each item is settled, or after one
   * failed attempt while Tollgate is unreachable (they stay queued); never rejects.
   */
  async flush(): Promise<void> {
    const goal = this.settled + this.inFlight + this.waiting();
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

  /** Sends what is queued and stops the timer; later items are not sent. For shutdown and tests. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerImmediate = false;
    await this.flush();
  }

  /** After an item was queued: send at once when a batch is full (and Tollgate answers), else within the interval. */
  protected queued(): void {
    if (this.waiting() >= this.maxBatch && this.failures === 0) this.schedule(0);
    else this.schedule(this.flushIntervalMs);
  }

  /** Runs one batch's send, then schedules the next: at once, after the interval, or after a backoff. */
  protected sendBatch(size: number, send: () => Promise<void>): Promise<void> {
    this.inFlight = size;
    this.sending = send().finally(() => {
      this.sending = null;
      this.inFlight = 0;
      if (!this.waiting() || this.closed) return;
      const backoff = this.failures ? Math.min(this.flushIntervalMs * 2 ** this.failures, MAX_RETRY_DELAY_MS) : null;
      this.schedule(backoff ?? (this.waiting() >= this.maxBatch ? 0 : this.flushIntervalMs));
    });
    return this.sending;
  }

  /** Tells the `onError` listener, never inside the host's call and never able to throw into it. */
  protected report(error: Error): void {
    const listener = this.onError;
    if (!listener) return;
    setImmediate(() => {
      try {
        listener(error);
      } catch {
        // The host's listener failing is not ours to handle.
      }
    });
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) {
      // The hot path: every item past a full batch lands here; it must stay a comparison.
      if (delayMs > 0 || this.timerImmediate) return;
      clearTimeout(this.timer);
    }
    this.timerImmediate = delayMs === 0;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerImmediate = false;
      if (!this.sending) void this.sendNext();
    }, delayMs);
    // Queued items must not keep a host process alive; close() sends them at shutdown.
    this.timer.unref();
  }
}

/** How the recorder batches; the defaults are {@link DEFAULT_RECORDER_LIMITS}. */
export interface RecorderLimits {
  /** A partly filled batch is written at most this long after its first row arrived. */
  flushIntervalMs: number;
  /** Rows per insert statement; a batch this full is written at once, without waiting for the timer. */
  batchRows: number;
  /**
   * The bound: at most this many rows wait in memory, the batch being written included. A
   * comparison that finds the buffer full waits until a write has made room (and fails with the
   * write's error if the database cannot take it): rows are never dropped.
   */
  maxPending: number;
  /** The longest pause between retries while writes keep failing. */
  maxRetryDelayMs: number;
}

/** 100 ms or 500 rows per insert, at most 10,000 rows waiting; retries back off to 5 s. */
export const DEFAULT_RECORDER_LIMITS: RecorderLimits = { flushIntervalMs: 100, batchRows: 500, maxPending: 10_000, maxRetryDelayMs: 5_000 };

/**
 * Buffers rows in memory and writes them in batches, so recording costs a request an array push
 * instead of a database round trip. Bounded (see {@link RecorderLimits.maxPending}); one write at
 * a time, in arrival order; a failed write keeps its rows and is retried with a growing pause.
 * `write` must be safe to repeat for the same rows (a write whose answer was lost is retried).
 *
 * @example
 * const recorder = new BatchRecorder<Row>((rows) => insertRows(rows));
 * await recorder.record(row);   // at once, unless 10,000 rows are already waiting
 * await recorder.flush();       // everything recorded so far is in the database
 */
export class BatchRecorder<Row> {
  private readonly pending: Row[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Rows written since the start; with the queue's length, it tells a flush when its rows are in. */
  private removed = 0;
  private closed = false;
  private readonly limits: RecorderLimits;

  constructor(
    private readonly write: (rows: Row[]) => Promise<void>,
    limits: Partial<RecorderLimits> = {},
    private readonly onBackgroundFailure: (error: unknown, waiting: number) => void = () => {},
  ) {
    this.limits = { ...DEFAULT_RECORDER_LIMITS, ...limits };
  }

  /** How many rows wait to be written, the batch being written included. */
  get waiting(): number {
    return this.pending.length;
  }

  /**
   * Queues one row. Resolves at once while the buffer has room; when it is full, after a write
   * has made room, or with that write's error (the row is then not recorded, and the caller
   * knows it).
   */
  async record(row: Row): Promise<void> {
    if (this.closed) throw new Error('The recorder is closed: the server is shutting down.');
    // Checked and pushed in one synchronous step after each wait, so the bound holds however many wait.
    while (this.pending.length >= this.limits.maxPending) await this.flush();
    this.pending.push(row);
    if (this.pending.length >= this.limits.batchRows && !this.writing) this.flushInBackground();
    else this.schedule(this.limits.flushIntervalMs);
  }

  /**
   * Writes every row recorded before the call (and whatever arrives meanwhile in the same
   * batches). Rejects when the database cannot take them; the rows stay queued for the next try.
   */
  async flush(): Promise<void> {
    // Rows leave the front of the queue only once written, and `removed` counts them all: the
    // rows waiting now are written when it has grown by their number, whoever wrote them.
    const goal = this.removed + this.pending.length;
    while (this.removed < goal) {
      if (this.writing) {
        await this.writing.catch(() => {});
        continue;
      }
      this.writing = this.writeFront();
      try {
        await this.writing;
      } finally {
        this.writing = null;
      }
    }
  }

  /** Writes what is waiting and stops the timer; later rows are refused. For shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes the rows at the front of the queue, one batch per statement, up to what waited at the start. */
  private async writeFront(): Promise<void> {
    let left = this.pending.length;
    while (left > 0) {
      const batch = this.pending.slice(0, Math.min(left, this.limits.batchRows));
      try {
        await this.write(batch);
      } catch (error) {
        this.failures += 1;
        throw error;
      }
      this.failures = 0;
      // Only this writer removes rows, and only from the front: these are the ones just written.
      this.pending.splice(0, batch.length);
      this.removed += batch.length;
      left -= batch.length;
    }
  }

  private flushInBackground(): void {
    this.flush().then(
      () => {
        // A full batch that arrived during the write goes at once; a partial one waits its turn.
        if (this.pending.length >= this.limits.batchRows) this.flushInBackground();
        else if (this.pending.length) this.schedule(this.limits.flushIntervalMs);
      },
      (error: unknown) => {
        this.onBackgroundFailure(error, this.pending.length);
        const delay = Math.min(this.limits.flushIntervalMs * 2 ** this.failures, this.limits.maxRetryDelayMs);
        this.schedule(delay);
      },
    );
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushInBackground();
    }, delayMs);
    // A waiting batch must not keep the process alive on its own; shutdown calls close().
    this.timer.unref();
  }
}

/**
 * An async iterator that holds at most one value: a newer one replaces the one not yet taken.
 * Each live subscriber reads from one, so a consumer that reads slowly costs one message of
 * memory, never a queue, and always gets the latest state next. Values come out in the order
 * they were put in (older ones may be skipped, never reordered).
 */
export class LatestOnlyIterator<T> implements AsyncIterableIterator<T> {
  private pending: { value: T } | null = null;
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;
  private everOffered = false;

  /** Whether any value was ever put in (taken or not). */
  get offered(): boolean {
    return this.everOffered;
  }

  /** @param onEnd called once, when the consumer stops reading (return) or {@link end} is called. */
  constructor(private readonly onEnd: () => void) {}

  /** Offers the next value; it replaces one the consumer has not taken yet. Ignored once ended. */
  put(value: T): void {
    if (this.ended) return;
    this.everOffered = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else {
      this.pending = { value };
    }
  }

  /** Ends the iteration from the producer's side: the consumer's next read is `done`. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pending = null;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onEnd();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.pending) {
      const { value } = this.pending;
      this.pending = null;
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

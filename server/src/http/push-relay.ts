/**
 * A subscription's iterator as graphql-ws sees it, which yields nothing: each event of `source`
 * goes to `forward`, which writes the shared bytes to the socket itself (see SharedPushes), so
 * no per-subscriber result is built or serialised. graphql-ws's loop waits on it until the
 * source ends (then it sends `complete`) or fails (then `error`); its `return()` (the client
 * completed, the socket closed) ends the source, which frees the subscription's place.
 */
export class PushRelay implements AsyncIterableIterator<never> {
  private readonly finished: Promise<IteratorResult<never>>;

  constructor(
    private readonly source: AsyncIterator<unknown>,
    forward: (event: unknown) => Promise<void>,
  ) {
    this.finished = (async () => {
      try {
        for (;;) {
          const next = await source.next();
          if (next.done) break;
          await forward(next.value);
        }
      } catch (error) {
        await this.source.return?.();
        throw error;
      }
      return { value: undefined as never, done: true };
    })();
    // graphql-ws reads the outcome through next(); a failure nobody reads must not crash the process.
    this.finished.catch(() => {});
  }

  next(): Promise<IteratorResult<never>> {
    return this.finished;
  }

  async return(): Promise<IteratorResult<never>> {
    await this.source.return?.();
    return { value: undefined as never, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

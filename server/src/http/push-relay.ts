import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

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

/**
 * Sends many frames to a socket as one write: a push to 10,000 subscribers over 100 sockets is
 * 100 writes (system calls) instead of 10,000. The socket's TCP stream is corked at its first
 * frame in this turn of the event loop and uncorked once the turn's work is done (setImmediate),
 * so frames still leave within the same turn, in order; ws's own cork around each frame nests
 * inside.
 */
export class CorkedSends {
  private readonly corked = new Set<Socket>();

  send(socket: WebSocket, data: string, written: (error?: Error) => void): void {
    // ws keeps the TCP socket it upgraded in `_socket`; absent (a closed socket), frames go as they are.
    const stream = (socket as unknown as { _socket?: Socket })._socket;
    if (stream && !this.corked.has(stream)) {
      stream.cork();
      this.corked.add(stream);
      if (this.corked.size === 1) setImmediate(() => this.uncork());
    }
    socket.send(data, written);
  }

  private uncork(): void {
    for (const stream of this.corked) stream.uncork();
    this.corked.clear();
  }
}

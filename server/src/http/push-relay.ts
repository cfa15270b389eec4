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

/** Corked bytes past which a stream is flushed at once: a large push is not held back for the turn. */
const FLUSH_BYTES = 64 * 1024;

/**
 * Sends many frames to a socket in few writes: a push to 10,000 subscribers over 100 sockets is
 * about 100 writes (system calls) instead of 10,000. The socket's TCP stream is corked at its
 * first frame in a turn of the event loop and uncorked once the turn's work is done
 * (setImmediate), or as soon as 64 KiB wait corked; frames leave in order, and ws's own cork
 * around each frame nests inside. {@link unsentBefore} leaves out the bytes waiting on the cork
 * (they are on their way), so what it says a socket holds unsent is the client's backlog.
 */
export class CorkedSends {
  /** Bytes handed to each corked stream since it was last flushed. */
  private readonly corked = new Map<Socket, number>();

  send(socket: WebSocket, data: string, written: (error?: Error) => void): void {
    // ws keeps the TCP socket it upgraded in `_socket`; absent (a closed socket), frames go as they are.
    const stream = streamOf(socket);
    const held = stream ? this.corked.get(stream) : undefined;
    if (stream && held === undefined) {
      stream.cork();
      if (this.corked.size === 0) setImmediate(() => this.uncork());
    }
    socket.send(data, written);
    if (!stream) return;
    // The frame's header is at most 14 bytes.
    const holding = (held ?? 0) + Buffer.byteLength(data) + 14;
    if (holding < FLUSH_BYTES) {
      this.corked.set(stream, holding);
    } else {
      stream.uncork();
      stream.cork();
      this.corked.set(stream, 0);
    }
  }

  /** Bytes the socket holds unsent beyond those waiting on the cork: what the client has not read. */
  unsentBefore(socket: WebSocket): number {
    const stream = streamOf(socket);
    return Math.max(0, socket.bufferedAmount - ((stream && this.corked.get(stream)) || 0));
  }

  private uncork(): void {
    for (const stream of this.corked.keys()) stream.uncork();
    this.corked.clear();
  }
}

function streamOf(socket: WebSocket): Socket | undefined {
  return (socket as unknown as { _socket?: Socket })._socket;
}

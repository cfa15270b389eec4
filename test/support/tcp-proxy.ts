import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy a test can cut, freeze and restore, to make a peer unreachable on demand. */
export interface TcpProxy {
  port: number;
  /** Drops every connection and stops listening: the target is now unreachable. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /**
   * Stops forwarding without closing anything, as a NAT that timed out or a failed-over link
   * does: open connections stay open on both sides (no FIN, no RST; their TCP keep-alive probes
   * are still answered) but carry nothing, and new connections are accepted and carry nothing
   * either.
   */
  freeze(): void;
  /** New connections are forwarded again; the ones frozen stay silent (their mapping is gone). */
  thaw(): void;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<free port> to `targetHost`:`targetPort`. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket | null]>();
  let server: Server | null = null;
  let port = 0;
  let frozen = false;
  const silence = (socket: Socket) => {
    socket.unpipe();
    socket.pause();
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        client.on('error', () => {});
        if (frozen) {
          // Accepted, and never answered.
          client.pause();
          pairs.add([client, null]);
          return;
        }
        const upstream = createConnection({ host: targetHost, port: targetPort });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => {});
        const pair: [Socket, Socket] = [client, upstream];
        pairs.add(pair);
        client.pipe(upstream).pipe(client);
        client.on('close', () => {
          pairs.delete(pair);
          upstream.destroy();
        });
        upstream.on('close', () => {
          pairs.delete(pair);
          client.destroy();
        });
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = async () => {
    const closing = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await listen();
  return {
    port,
    cut,
    restore: listen,
    freeze() {
      frozen = true;
      for (const [client, upstream] of pairs) {
        silence(client);
        if (upstream) silence(upstream);
      }
    },
    thaw() {
      frozen = false;
    },
    close: cut,
  };
}

import { createServer, request as forward, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

/** One POST that went through the proxy. */
export interface LoggedRequest {
  operationName: string | null;
}

/** A recording HTTP proxy in front of a Tollgate server: counts what a page really sends. */
export interface GraphQLRequestLog {
  /** The proxy's GraphQL endpoint: give it to the SDK instead of the server's. */
  graphqlUrl: string;
  /** Every POST /graphql so far, oldest first. */
  requests: LoggedRequest[];
  /** WebSocket upgrades forwarded so far (live updates' sockets), when `webSockets` is on. */
  webSockets(): number;
  /** Forwarded WebSockets still open. */
  openWebSockets(): number;
  /** Closes every forwarded WebSocket connection abruptly, as a network drop would. */
  dropWebSockets(): void;
  /**
   * Stops forwarding on every open WebSocket without closing it, as a server that vanished
   * behind a NAT looks: nothing arrives, nothing is closed. New sockets are forwarded as before.
   */
  freezeWebSockets(): void;
  /**
   * Holds Tollgate's answers to POSTs from now on (a slow network on the way back): `answered()`
   * resolves once one is held, `release()` delivers them all and stops holding.
   */
  holdAnswers(): { answered(): Promise<void>; release(): void };
  /** Forgets the requests so far. */
  clear(): void;
  close(): Promise<void>;
}

/** Options of {@link startGraphQLRequestLog}. */
export interface GraphQLRequestLogOptions {
  /**
   * Forward WebSocket upgrades (live updates) to the target too (default true). Off, the proxy
   * refuses them as a server without WebSockets does: the socket cannot open.
   */
  webSockets?: boolean;
}

/**
 * Forwards every request to `targetGraphqlUrl`'s origin unchanged and records the GraphQL POSTs
 * with their operation names, and WebSocket upgrades byte for byte. Real sockets, a real server:
 * nothing is mocked.
 */
export async function startGraphQLRequestLog(targetGraphqlUrl: string, options: GraphQLRequestLogOptions = {}): Promise<GraphQLRequestLog> {
  const target = new URL(targetGraphqlUrl);
  const requests: LoggedRequest[] = [];
  const tunnels = new Set<Socket>();
  let upgrades = 0;
  let open = 0;
  let held: (() => void)[] | null = null;
  const answered: (() => void)[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.method === 'POST' && incoming.url?.startsWith('/graphql')) requests.push({ operationName: operationNameOf(body) });
      const upstream = forward(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
        (answer) => {
          const deliver = () => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          };
          if (held && incoming.method === 'POST') {
            // Tollgate has answered (its state read); the page gets the answer on release.
            held.push(deliver);
            for (const wake of answered.splice(0)) wake();
          } else {
            deliver();
          }
        },
      );
      upstream.on('error', () => {
        outgoing.writeHead(502).end();
      });
      upstream.end(body);
    });
  });
  server.on('upgrade', (incoming, client: Socket, head: Buffer) => {
    if (options.webSockets === false) {
      client.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    upgrades += 1;
    open += 1;
    client.once('close', () => (open -= 1));
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(incoming.headers).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((item) => `${name}: ${name === 'host' ? target.host : item}`),
      );
      upstream.write(`${incoming.method} ${incoming.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        tunnels.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    requests,
    webSockets: () => upgrades,
    openWebSockets: () => open,
    dropWebSockets() {
      for (const socket of tunnels) socket.destroy();
    },
    freezeWebSockets() {
      for (const socket of tunnels) {
        socket.unpipe();
        socket.pause();
      }
    },
    holdAnswers() {
      const queue: (() => void)[] = [];
      held = queue;
      return {
        answered: () => (queue.length ? Promise.resolve() : new Promise<void>((resolve) => answered.push(resolve))),
        release() {
          if (held === queue) held = null;
          for (const deliver of queue.splice(0)) deliver();
        },
      };
    },
    clear: () => void requests.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of tunnels) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function operationNameOf(body: Buffer): string | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { operationName?: string } | { operationName?: string }[];
    return Array.isArray(parsed) ? parsed.map((operation) => operation.operationName).join('+') : (parsed.operationName ?? null);
  } catch {
    return null;
  }
}

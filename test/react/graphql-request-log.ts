import { createServer, request as forward, type Server } from 'node:http';

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
  /** Forgets the requests so far. */
  clear(): void;
  close(): Promise<void>;
}

/**
 * Forwards every request to `targetGraphqlUrl`'s origin unchanged and records the GraphQL POSTs
 * with their operation names. Real sockets, a real server: nothing is mocked.
 */
export async function startGraphQLRequestLog(targetGraphqlUrl: string): Promise<GraphQLRequestLog> {
  const target = new URL(targetGraphqlUrl);
  const requests: LoggedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.method === 'POST' && incoming.url?.startsWith('/graphql')) requests.push({ operationName: operationNameOf(body) });
      const upstream = forward(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      upstream.on('error', () => {
        outgoing.writeHead(502).end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    requests,
    clear: () => void requests.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
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

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CredentialProblem, Principal } from '../access/index.js';
import type { TollgateConfig } from '../config/index.js';
import type { ChangeFeed } from '../db/index.js';
import { fireAt, nodeTimers, tooManySubscriptions } from '../live/index.js';
import type { TransportContext, TransportServices } from './transport-context.js';
import { authenticateRequest } from './request-context.js';
import { fromOwnOrigin } from './session-cookie.js';
import { formatGraphQLError, MAX_DOCUMENT_TOKENS, productionArmor } from './graphql-server.js';
import { boundedDocumentStore } from './query-caches.js';

/**
 * Close codes of live updates, part of the public contract (the README lists them). graphql-ws
 * uses its own for protocol faults: 4400 bad message, 4408 no connection_init within 3 s, 4409 a
 * subscription id reused, 4429 a second connection_init; ws closes with 1009 a message larger
 * than the limit.
 */
export const LiveCloseCode = {
  /** The credential is missing, unknown or malformed, the client token expired, or the API key was revoked: get a new one. */
  Unauthorized: 4401,
  /** The client read too slowly and too much was waiting to be sent: reconnect (graphql-ws's client does, by itself). */
  SlowConsumer: 4503,
  /** The server is stopping: reconnect (to another process). */
  GoingAway: 1001,
} as const;

/** Why a connection is refused, as its close reason says it (under WebSocket's 123 bytes). */
const REFUSALS: Record<CredentialProblem, string> = {
  missing: 'no credential: send connectionParams.authorization = "Bearer <API key or client token>"',
  malformed: 'malformed credential: send connectionParams.authorization = "Bearer <credential>"',
  unknown: 'unknown credential',
  revoked: 'API key revoked',
  expired: 'client token expired',
  'invalid-token': 'invalid client token',
  session: 'console session ended: sign in again',
};

/** How long stopping waits for clients to answer the close before it cuts them off. */
const CLOSE_GRACE_MS = 1000;

/** One open, authenticated WebSocket. */
interface LiveConnection {
  socket: WebSocket;
  /** Authenticates the connection's credential again (a key, a token, or a session cookie). */
  recheck: () => Promise<Principal>;
  principal: Exclude<Principal, { kind: 'anonymous' }>;
  cancelExpiry: (() => void) | null;
}

/** What the transport needs from the server: the schema and services, the config, and the feed that carries key revocations. */
export interface GraphQLOverWebSocketOptions {
  schema: GraphQLSchema;
  services: TransportServices;
  config: TollgateConfig;
  feed: ChangeFeed;
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol, subprotocol `graphql-transport-ws`) on
 * `/graphql`, beside GraphQL over HTTP on the same path, as a Fastify plugin. It serves
 * subscriptions only (queries and mutations go to `POST /graphql`, where the compiled executor
 * and the document caches are), run by graphql's standard `subscribe`.
 *
 * `ws` is attached to the Fastify server's `upgrade` event rather than through
 * @fastify/websocket: Apollo's integration already owns `GET /graphql` (the sandbox and GET
 * queries), and a WebSocket route would have to share that one route; the upgrade event keeps
 * the two transports apart with no extra dependency.
 *
 * Authentication is HTTP's (`connectionParams.authorization` = `Bearer …`, checked by the same
 * AuthService) and lasts as long as the credential: a client token's socket closes at the
 * instant it expires, and a revoked key's sockets close when the revocation reaches this
 * process. Bounds: message size (ws maxPayload), subscriptions per connection (refused before
 * the document is parsed), per key and per process (in live/), and a slow consumer is closed
 * once more than `maxBufferedBytes` wait unsent.
 */
export async function graphqlOverWebSocket(app: FastifyInstance, options: GraphQLOverWebSocketOptions): Promise<void> {
  const { schema, services, config } = options;
  const limits = config.live;
  const connections = new Map<WebSocket, LiveConnection>();
  const validationRules = config.production ? [...specifiedRules, ...productionArmor().validationRules] : specifiedRules;
  // Valid documents by their text, bounded like HTTP's: thousands of subscribers sending the
  // SDK's one document share one parsed copy (and skip parsing and validating it again).
  const documents = boundedDocumentStore();
  /** Bumped on every key change, so a connection authenticated across one is checked again. */
  let keyGeneration = 0;

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });

  const closeIfSlow = (socket: WebSocket): void => {
    if (socket.bufferedAmount > limits.maxBufferedBytes) {
      socket.close(LiveCloseCode.SlowConsumer, `slow consumer: more than ${limits.maxBufferedBytes} bytes waiting to be sent`);
    }
  };

  const authenticate = async (ctx: Context<Record<string, unknown>, Extra>): Promise<boolean> => {
    const { socket } = ctx.extra;
    // `authorization`, as the README says; `Authorization` too, as HTTP spells the header.
    const value = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
    const authorization = typeof value === 'string' ? value : undefined;
    // Without one, the browser's session cookie, believed only from Tollgate's own pages: no CORS
    // or CSRF check stands in front of a WebSocket upgrade (cross-site WebSocket hijacking).
    const { headers } = ctx.extra.request;
    const cookie = fromOwnOrigin(headers.origin, headers.host, config.publicUrl) ? headers.cookie : undefined;
    const recheck = () => authenticateRequest(services, authorization, cookie);
    let generation = keyGeneration;
    let principal = await recheck();
    while (principal.kind !== 'anonymous' && generation !== keyGeneration) {
      // A key or session changed while we were checking: check again, so a revocation cannot slip past.
      generation = keyGeneration;
      principal = await recheck();
    }
    if (principal.kind === 'anonymous') {
      socket.close(LiveCloseCode.Unauthorized, REFUSALS[principal.problem]);
      return false;
    }
    if (socket.readyState !== socket.OPEN) return false;
    const connection: LiveConnection = { socket, recheck, principal, cancelExpiry: null };
    if (principal.kind === 'client' || principal.kind === 'operator') {
      const reason = principal.kind === 'client' ? REFUSALS.expired : REFUSALS.session;
      connection.cancelExpiry = fireAt(principal.expiresAt, services.clock, nodeTimers, () => socket.close(LiveCloseCode.Unauthorized, reason));
    }
    connections.set(socket, connection);
    return true;
  };

  const prepare = async (ctx: Context<Record<string, unknown>, Extra>, _id: string, payload: SubscribePayload) => {
    const connection = connections.get(ctx.extra.socket);
    if (!connection) return [new GraphQLError('The connection is not authenticated.', { extensions: { code: 'UNAUTHENTICATED' } })];
    // Counted before the first await: graphql-ws has already entered this one, and a burst of
    // subscribe messages is counted one by one in arrival order.
    if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
      return [tooManySubscriptions('connection', limits.maxSubscriptionsPerConnection)];
    }
    let document = await documents.get(payload.query);
    if (!document) {
      try {
        document = parse(payload.query, { maxTokens: MAX_DOCUMENT_TOKENS });
      } catch (error) {
        return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
      }
      const errors = validate(schema, document, validationRules);
      if (errors.length) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
      await documents.set(payload.query, document);
    }
    const operation = getOperationAST(document, payload.operationName);
    if (operation && operation.operation !== 'subscription') {
      return [
        new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations to POST /graphql.', {
          extensions: { code: 'BAD_REQUEST' },
        }),
      ];
    }
    const contextValue: TransportContext = { principal: connection.principal, services };
    return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
  };

  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => formatGraphQLError(error.toJSON(), error, config, app.log));

  useServer(
    {
      schema,
      onConnect: authenticate,
      onSubscribe: prepare,
      onNext(ctx, _id, _payload, _args, result: ExecutionResult) {
        closeIfSlow(ctx.extra.socket);
        return result.errors ? { ...result, errors: format(result.errors) } : result;
      },
      onError(ctx, _id, _payload, errors) {
        closeIfSlow(ctx.extra.socket);
        return format(errors);
      },
      onClose(ctx) {
        const connection = connections.get(ctx.extra.socket);
        connection?.cancelExpiry?.();
        connections.delete(ctx.extra.socket);
      },
    },
    wss,
  );

  wss.on('connection', (socket) => {
    // Registered after graphql-ws's own listener, which writes socket errors to the console as
    // internal errors. They are mostly the client's (a message over maxPayload: ws closes with
    // 1009 by itself), so they go to the server's log instead, and the socket is closed.
    socket.removeAllListeners('error');
    socket.on('error', (error) => {
      app.log.info({ err: error }, 'live connection error; closing it');
      if (socket.readyState === socket.OPEN) socket.close(4500, 'Internal server error');
    });
  });

  const stopWatchingKeys = options.feed.subscribe((change) => {
    if (change.scope !== 'api-keys' && change.scope !== 'operator' && change.scope !== 'all') return;
    keyGeneration += 1;
    for (const connection of connections.values()) {
      const { principal } = connection;
      if (principal.kind === 'client') continue;
      // A key change concerns keys; an operator change (sign-out, deactivation, new role), that operator's sockets.
      if (change.scope === 'api-keys' && principal.kind === 'operator') continue;
      if (change.scope === 'operator' && (principal.kind !== 'operator' || principal.operatorId !== change.operatorId)) continue;
      connection.recheck().then(
        (principal) => {
          if (principal.kind === 'anonymous') connection.socket.close(LiveCloseCode.Unauthorized, REFUSALS[principal.problem]);
        },
        // The database is away: keep the connection; the next key change checks it again.
        (error: unknown) => app.log.warn({ err: error }, 'could not check a live connection\'s credential after a change'),
      );
    }
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  app.server.on('upgrade', onUpgrade);

  app.addHook('preClose', async () => {
    app.server.off('upgrade', onUpgrade);
    stopWatchingKeys();
    const open = [...wss.clients];
    const closed = Promise.all(open.map((socket) => new Promise((resolve) => socket.once('close', resolve))));
    for (const socket of open) socket.close(LiveCloseCode.GoingAway, 'server shutting down');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    for (const socket of wss.clients) socket.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}

/** The error with a code, as Apollo gives parse and validation errors over HTTP. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (!(error instanceof GraphQLError)) return new GraphQLError(String(error), { extensions: { code } });
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

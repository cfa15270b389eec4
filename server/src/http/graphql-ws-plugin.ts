import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { CloseCode, handleProtocols, makeServer, type Context, type SubscribePayload } from 'graphql-ws';
import proxyaddr from 'proxy-addr';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CredentialProblem, Principal } from '../access/index.js';
import type { TollgateConfig } from '../config/index.js';
import type { ChangeFeed } from '../db/index.js';
import { fireAt, nodeTimers, tooManySubscriptions } from '../live/index.js';
import { CorkedSends, PushRelay } from './push-relay.js';
import { nextMessage, SharedPushes, subscriptionShape } from './shared-pushes.js';
import type { TransportContext, TransportServices } from './transport-context.js';
import { withoutCrossOriginSession } from './cors-plugin.js';
import { authenticateRequest } from './request-context.js';
import { fromOwnOrigin } from './session-cookie.js';
import { formatGraphQLError, MAX_DOCUMENT_TOKENS, productionArmor } from './graphql-server.js';
import { boundedDocumentStore } from './query-caches.js';

/**
 * Close codes of live updates, part of the public contract (docs/live-updates.md lists them). graphql-ws
 * uses its own for protocol faults: 4400 bad message, 4408 no connection_init within 3 s, 4409 a
 * subscription id reused, 4429 a second connection_init; ws closes with 1009 a message larger
 * than the limit.
 */
export const LiveCloseCode = {
  /** The credential is missing, unknown or malformed, the client token expired, or the API key was revoked: get a new one. */
  Unauthorized: 4401,
  /** The client read too slowly and too much was waiting to be sent: reconnect (graphql-ws's client does, by itself). */
  SlowConsumer: 4503,
  /**
   * The client token's account already has its most sockets open in this process
   * (TOLLGATE_LIVE_MAX_SOCKETS_PER_ACCOUNT_TOKEN); the reason starts with TOO_MANY_SUBSCRIPTIONS
   * and names the bound. Close a socket, then reconnect.
   */
  TooManySockets: 4430,
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
/**
 * The server pings every socket this often and cuts one whose pong has not come back by the next
 * ping (graphql-ws's own default), so a browser that vanished without closing frees its places
 * under the bounds within half a minute.
 */
const KEEP_ALIVE_MS = 12_000;

/** What graphql-ws's socket hands its hooks: the ws socket and the upgrade request. */
interface Extra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** Where a subscription's pushes go: its socket, its id, and its shape (which pushes it shares). */
interface PushTarget {
  socket: WebSocket;
  id: string;
  shape: string;
}

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
  /** Told of every socket that opens (the metrics count them until they close). */
  onSocket?: (socket: WebSocket) => void;
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
 * process. Bounds: message size (ws maxPayload); sockets per client address (refused at the
 * upgrade, HTTP 429, before the handshake; the address is X-Forwarded-For's only behind a
 * trusted proxy) and per client token's account (closed with 4430 at connection_init);
 * subscriptions per connection, per key, per client token's account and per process (refused
 * before the document is parsed); and a slow consumer is closed once more than
 * `maxBufferedBytes` wait unsent. Every refusal is TOO_MANY_SUBSCRIPTIONS with its `bound`.
 *
 * Pushes cost once: graphql-ws's subscribe is replaced by one that relays each event's bytes,
 * executed and serialised once per event and subscription shape ({@link SharedPushes}), to
 * the socket (the glue between ws and graphql-ws is here too, in place of graphql-ws/use/ws,
 * for that reason).
 */
export async function graphqlOverWebSocket(app: FastifyInstance, options: GraphQLOverWebSocketOptions): Promise<void> {
  const { schema, services, config } = options;
  const limits = config.live;
  const sockets = services.live.sockets;
  const connections = new Map<WebSocket, LiveConnection>();
  const validationRules = config.production ? [...specifiedRules, ...productionArmor().validationRules] : specifiedRules;
  // Valid documents by their text, bounded like HTTP's: thousands of subscribers sending the
  // SDK's one document share one parsed copy (and skip parsing and validating it again).
  const documents = boundedDocumentStore();
  /** Bumped on every key change, so a connection authenticated across one is checked again. */
  let keyGeneration = 0;
  /** Which X-Forwarded-For hops to believe: none unless TOLLGATE_TRUST_PROXY names them (as for HTTP). */
  const trustedProxy = config.trustProxy;
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => formatGraphQLError(error.toJSON(), error, config, app.log));
  const pushes = new SharedPushes(format);
  /** Each subscription's execution arguments (as prepare made them) → where its pushes go. */
  const targets = new WeakMap<object, PushTarget>();

  const corked = new CorkedSends();

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false, handleProtocols });

  /** Closes a socket that still holds more than the limit unsent from earlier turns; says whether it did. */
  const closeIfSlow = (socket: WebSocket): boolean => {
    if (corked.unsentBefore(socket) <= limits.maxBufferedBytes) return false;
    socket.close(LiveCloseCode.SlowConsumer, `slow consumer: more than ${limits.maxBufferedBytes} bytes waiting to be sent`);
    return true;
  };

  const authenticate = async (ctx: Context<Record<string, unknown>, Extra>): Promise<boolean> => {
    const { socket } = ctx.extra;
    // `authorization`, as docs/live-updates.md says; `Authorization` too, as HTTP spells the header.
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
    if (principal.kind === 'client') {
      const admitted = sockets.admitAccountToken(principal.accountId);
      if ('refusal' in admitted) {
        const { bound, limit } = admitted.refusal.extensions as { bound: string; limit: number };
        socket.close(LiveCloseCode.TooManySockets, `TOO_MANY_SUBSCRIPTIONS (bound ${bound}): at most ${limit} sockets per account's client tokens; close one`);
        return false;
      }
      socket.once('close', admitted.release);
    }
    const connection: LiveConnection = { socket, recheck, principal, cancelExpiry: null };
    if (principal.kind === 'client' || principal.kind === 'operator') {
      const reason = principal.kind === 'client' ? REFUSALS.expired : REFUSALS.session;
      connection.cancelExpiry = fireAt(principal.expiresAt, services.clock, nodeTimers, () => socket.close(LiveCloseCode.Unauthorized, reason));
    }
    connections.set(socket, connection);
    socket.once('close', () => {
      connection.cancelExpiry?.();
      connections.delete(socket);
    });
    return true;
  };

  const prepare = async (ctx: Context<Record<string, unknown>, Extra>, id: string, payload: SubscribePayload) => {
    const connection = connections.get(ctx.extra.socket);
    if (!connection) return [new GraphQLError('The connection is not authenticated.', { extensions: { code: 'UNAUTHENTICATED' } })];
    // Refused before any work (no parse, no lookup), counted before the first await: graphql-ws
    // has already entered this one, and a burst of subscribe messages is counted one by one in
    // arrival order. live.watch counts again, exactly, once the document is known.
    if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
      return [tooManySubscriptions('connection', limits.maxSubscriptionsPerConnection)];
    }
    const refused = services.live.refusal(connection.principal);
    if (refused) return [refused];
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
    const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
    targets.set(args, { socket: ctx.extra.socket, id, shape: subscriptionShape(payload.query, payload.operationName, payload.variables) });
    return args;
  };

  /**
   * graphql's subscribe, except that each event is not executed per subscriber: the relay writes
   * the bytes SharedPushes made once for everyone of the same shape. Refusals (the resolver's
   * errors) come back as graphql's own result, which graphql-ws sends as usual.
   */
  const subscribe = async (args: ExecutionArgs) => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source;
    const target = targets.get(args);
    // Every subscription comes through prepare; one that did not is served as graphql's own
    // subscribe would, an execution per event.
    if (!target) return executeEach(source, args);
    const { socket, id, shape } = target;
    return new PushRelay((source as AsyncIterable<unknown>)[Symbol.asyncIterator](), async (event) => {
      if (socket.readyState !== socket.OPEN) return;
      const payload = await pushes.payload(event, shape, args);
      // As graphql-ws does before each message: a client that left too much unread is closed.
      if (socket.readyState !== socket.OPEN || closeIfSlow(socket)) return;
      // Waits until ws has handed the frame to the kernel, as graphql-ws does: a subscriber that
      // does not read holds one unread push (its LatestOnlyIterator) and costs no further work,
      // until it is closed as a slow consumer.
      await new Promise<void>((resolve) => corked.send(socket, nextMessage(id, payload), () => resolve()));
    });
  };

  const server = makeServer<Record<string, unknown>, Extra>({
    schema,
    onConnect: authenticate,
    onSubscribe: prepare,
    subscribe,
    onNext(ctx, _id, _payload, _args, result: ExecutionResult) {
      closeIfSlow(ctx.extra.socket);
      return result.errors ? { ...result, errors: format(result.errors) } : result;
    },
    onError(ctx, _id, _payload, errors) {
      closeIfSlow(ctx.extra.socket);
      return format(errors);
    },
  });

  // The glue graphql-ws/use/ws would be, with the server's logger instead of the console.
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    options.onSocket?.(socket);
    socket.on('error', (error) => {
      // Mostly the client's (a message over maxPayload: ws closes with 1009 by itself).
      app.log.info({ err: error }, 'live connection error; closing it');
      if (socket.readyState === socket.OPEN) socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    let alive = true;
    socket.on('pong', () => (alive = true));
    const keepAlive = setInterval(() => {
      // A closing socket is left to ws's own close timeout: its close frame may wait behind
      // data the client has not read yet (a slow consumer's 4503 must still reach it).
      if (socket.readyState !== socket.OPEN) return;
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, KEEP_ALIVE_MS);
    keepAlive.unref();
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (receive) =>
          socket.on('message', async (data) => {
            try {
              await receive(String(data));
            } catch (error) {
              app.log.warn({ err: error }, 'live message failed; closing the connection');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      clearInterval(keepAlive);
      void closed(code, String(reason));
    });
  });

  const stopWatchingKeys = options.feed.subscribe((change) => {
    if (change.scope !== 'api-keys' && change.scope !== 'operator' && change.scope !== 'all') return;
    keyGeneration += 1;
    const checks = [...connections.values()]
      .filter(({ principal }) => {
        if (principal.kind === 'client') return false;
        // A key change concerns keys; an operator change (sign-out, deactivation, new role), that operator's sockets.
        if (change.scope === 'api-keys' && principal.kind === 'operator') return false;
        if (change.scope === 'operator' && (principal.kind !== 'operator' || principal.operatorId !== change.operatorId)) return false;
        return true;
      })
      .map((connection) =>
        connection.recheck().then((principal) => {
          if (principal.kind === 'anonymous') connection.socket.close(LiveCloseCode.Unauthorized, REFUSALS[principal.problem]);
        }),
      );
    // The database is away: keep the connections; the next key change (or, while the feed is
    // down, its next refresh) checks them again. One line for all of them.
    void Promise.allSettled(checks).then((settled) => {
      const failed = settled.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed.length) app.log.warn({ err: failed[0]!.reason, connections: failed.length }, 'could not check live connections\' keys after a key change');
    });
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    withoutCrossOriginSession(request.headers);
    // Counted before the handshake: a client past its bound costs no WebSocket at all.
    const admitted = sockets.admitAddress(proxyaddr(request, trustedProxy));
    if ('refusal' in admitted) {
      refuseUpgrade(socket, 429, { errors: [{ message: admitted.refusal.message, extensions: admitted.refusal.extensions }] });
      return;
    }
    socket.once('close', admitted.release);
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

/** Each event of `source` executed with `args`, as graphql's subscribe maps them. */
async function* executeEach(source: AsyncIterable<unknown>, args: ExecutionArgs): AsyncGenerator<ExecutionResult> {
  for await (const event of source) yield await execute({ ...args, rootValue: event });
}

/** Answers a WebSocket upgrade with a plain HTTP error (JSON, as GraphQL over HTTP answers) and closes. */
function refuseUpgrade(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} Too Many Requests\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

/** The error with a code, as Apollo gives parse and validation errors over HTTP. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (!(error instanceof GraphQLError)) return new GraphQLError(String(error), { extensions: { code } });
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

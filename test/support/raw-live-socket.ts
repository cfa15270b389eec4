import WebSocket from 'ws';
import { ENTITLEMENTS_CHANGED } from './live-client.js';

/** A graphql-transport-ws message as the server sent it. */
export interface RawMessage {
  id?: string;
  type: string;
  payload?: any;
}

/** Whether a subscription's first answer accepted it: a push with data (a refusal is an `error`, or a `next` with errors only). */
export function isAccepted(message: RawMessage): boolean {
  return message.type === 'next' && Boolean(message.payload?.data);
}

/**
 * The extensions of a refused subscription's first error: refusals before the document is read
 * come as an `error` message, those of the subscription's resolver as a `next` with errors.
 */
export function refusalOf(message: RawMessage): Record<string, unknown> | undefined {
  const errors = message.type === 'error' ? message.payload : message.payload?.errors;
  return errors?.[0]?.extensions;
}

/** A bare graphql-transport-ws connection, for what the graphql-ws client will not send (or hides). */
export interface RawLiveSocket {
  socket: WebSocket;
  messages: RawMessage[];
  /** Ids of the subscriptions answered so far (kept as messages arrive, so a check of 10,000 stays cheap). */
  answered: Set<string>;
  send(message: object): void;
  /** Resolves once `check` holds; rejects after `timeoutMs`. A deadline, never a sleep. */
  until(check: () => boolean, timeoutMs: number, what: string): Promise<void>;
  closed(): { code: number; reason: string } | null;
  subscribe(id: string, accountId: string, query?: string): void;
  /** The first answer to subscription `id`: `next` (accepted) or `error` (refused). */
  answer(id: string, timeoutMs?: number): Promise<RawMessage>;
}

/** How a socket attempt ended before graphql-ws: acknowledged, closed by the server, or refused at the upgrade. */
export type RawOpening =
  | { outcome: 'ack'; live: RawLiveSocket }
  | { outcome: 'closed'; code: number; reason: string }
  | { outcome: 'refused'; status: number; body: any };

/**
 * Opens a socket, sends connection_init with `Bearer <credential>` and resolves with how the
 * server answered: connection_ack, a close (4401, 4430, …), or an HTTP refusal of the upgrade.
 * `headers` go with the upgrade request (X-Forwarded-For, say). `track` receives every socket
 * made, so the test can close them all.
 */
export async function openRawSocket(
  graphqlUrl: string,
  credential: string,
  options: { headers?: Record<string, string>; keepPushes?: boolean; track?: (socket: WebSocket) => void; timeoutMs?: number } = {},
): Promise<RawOpening> {
  const socket = new WebSocket(graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: options.headers });
  options.track?.(socket);
  const messages: RawMessage[] = [];
  const answered = new Set<string>();
  const listeners = new Set<() => void>();
  let closed: { code: number; reason: string } | null = null;
  const wake = () => {
    for (const listener of [...listeners]) listener();
  };
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as RawMessage;
    // Large pushes need not be kept: their id says which subscription answered.
    if (message.type === 'next' && options.keepPushes === false) delete message.payload;
    messages.push(message);
    if (message.id !== undefined) answered.add(message.id);
    wake();
  });
  socket.on('close', (code, reason) => {
    closed = { code, reason: String(reason) };
    wake();
  });
  const until = (check: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const attempt = () => {
        if (!check()) return false;
        listeners.delete(attempt);
        clearTimeout(timer);
        resolve();
        return true;
      };
      const timer = setTimeout(() => {
        listeners.delete(attempt);
        reject(new Error(`${what} did not happen within ${timeoutMs} ms (${messages.length} messages, closed ${JSON.stringify(closed)})`));
      }, timeoutMs);
      if (!attempt()) listeners.add(attempt);
    });
  const send = (message: object) => socket.send(JSON.stringify(message));
  const opened = await new Promise<{ refused: { status: number; body: any } } | null>((resolve, reject) => {
    socket.once('open', () => resolve(null));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => resolve({ refused: { status: response.statusCode ?? 0, body: body ? JSON.parse(body) : null } }));
    });
    socket.once('error', (error) => {
      if (!closed) reject(error);
    });
  });
  if (opened) return { outcome: 'refused', ...opened.refused };
  send({ type: 'connection_init', payload: { authorization: `Bearer ${credential}` } });
  await until(() => closed !== null || messages.some((message) => message.type === 'connection_ack'), options.timeoutMs ?? 5000, 'connection_ack or a close');
  if (closed) return { outcome: 'closed', ...(closed as { code: number; reason: string }) };
  const live: RawLiveSocket = {
    socket,
    messages,
    answered,
    send,
    until,
    closed: () => closed,
    subscribe: (id, accountId, query = ENTITLEMENTS_CHANGED) => send({ id, type: 'subscribe', payload: { query, variables: { accountId } } }),
    async answer(id, timeoutMs = 5000) {
      await until(() => answered.has(id), timeoutMs, `an answer to subscription ${id}`);
      return messages.find((message) => message.id === id)!;
    },
  };
  return { outcome: 'ack', live };
}

/** {@link openRawSocket} for a socket the test expects to be acknowledged. */
export async function rawSocket(graphqlUrl: string, credential: string, options: Parameters<typeof openRawSocket>[2] = {}): Promise<RawLiveSocket> {
  const opening = await openRawSocket(graphqlUrl, credential, options);
  if (opening.outcome !== 'ack') throw new Error(`the socket was not acknowledged: ${JSON.stringify(opening)}`);
  return opening.live;
}

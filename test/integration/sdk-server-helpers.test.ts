import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';
import express from 'express';
import Fastify, { type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotesApi } from '../../examples/host-api/dist/notes-api.js';
import {
  consumeFeature,
  consumeFeatureHook,
  createTollgate,
  requireFeature,
  requireFeatureHook,
  TollgateRequestError,
  TollgateUnavailableError,
  type TollgateClient,
} from '../../client-sdk/dist/server/index.js';
import { createFeature, createPublishedPlan } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

/**
 * @tollgate/sdk/server against a real Tollgate: what its route guards answer on Express 5 and
 * Fastify 5 in every case of the contract, the consuming guard's idempotency, and how the Node
 * client fails when Tollgate is down, hung, or refuses the server key.
 */
let t: TestServer;
let serverKey: string;
let tollgate: TollgateClient;
let hosts: Host[];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  t = await startTestServer();
  await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
  await createFeature(t.admin, { key: 'reports', kind: 'METERED', unit: 'reports' });
  await createFeature(t.admin, { key: 'ai_credits', kind: 'METERED', unit: 'credits' });
  await createFeature(t.admin, { key: 'notes', kind: 'QUANTITY' }); // what examples/host-api consumes
  await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [
    { feature: 'reports', limit: 2, period: 'MONTH' },
    { feature: 'notes', limit: 5 },
  ]);
  await createPublishedPlan(t.admin, { key: 'pro', rank: 10, price: 2900 }, [
    { feature: 'export_csv' },
    { feature: 'reports', limit: 100, period: 'MONTH' },
    { feature: 'ai_credits', limit: 10, period: 'MONTH' },
  ]);
  const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "host backend", role: SERVER }) { secret } }`);
  serverKey = createApiKey.secret;
  tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey });
  hosts = await startHosts(tollgate);
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await t?.stop();
});

/** An Express 5 or Fastify 5 app with the same guarded routes; `handled` counts route runs. */
interface Host {
  name: string;
  url: string;
  handled: number;
  /** The error the host's own error handler received last. */
  hostError: unknown;
}

const accountHeader = 'x-account-id';

/** Starts the same routes on Express (middleware) and Fastify (hooks) in front of `client`. */
async function startHosts(client: TollgateClient): Promise<Host[]> {
  const onExpress: Host = { name: 'Express', url: '', handled: 0, hostError: null };
  const app = express();
  const accountOf = (req: express.Request) => req.header(accountHeader);
  const ran = (_req: express.Request, res: express.Response) => {
    onExpress.handled += 1;
    res.json({ ran: true });
  };
  app.get('/export', requireFeature(client, 'export_csv', { accountId: accountOf }), ran);
  app.get('/reports/check', requireFeature(client, 'reports', { accountId: accountOf, amount: 1 }), ran);
  app.post('/reports', consumeFeature(client, 'reports', {
    accountId: accountOf,
    amount: (req) => Number(req.header('x-amount') ?? 1),
    idempotencyKey: (req) => req.header('idempotency-key'),
  }), ran);
  app.post('/ai', consumeFeature(client, 'ai_credits', { accountId: accountOf }), ran);
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    onExpress.hostError = error;
    res.status(500).json({ hostErrorHandler: true });
  });
  const listener = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  onExpress.url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  closers.push(() => new Promise((resolve) => listener.close(() => resolve())));

  const onFastify: Host = { name: 'Fastify', url: '', handled: 0, hostError: null };
  const fastify = Fastify();
  const accountOfRequest = (request: FastifyRequest) => request.headers[accountHeader]?.toString();
  const handler = async () => {
    onFastify.handled += 1;
    return { ran: true };
  };
  fastify.get('/export', { preHandler: requireFeatureHook(client, 'export_csv', { accountId: accountOfRequest }) }, handler);
  fastify.get('/reports/check', { preHandler: requireFeatureHook(client, 'reports', { accountId: accountOfRequest, amount: 1 }) }, handler);
  fastify.post('/reports', {
    preHandler: consumeFeatureHook(client, 'reports', {
      accountId: accountOfRequest,
      amount: (request) => Number(request.headers['x-amount'] ?? 1),
      idempotencyKey: (request) => request.headers['idempotency-key']?.toString(),
    }),
  }, handler);
  fastify.post('/ai', { preHandler: consumeFeatureHook(client, 'ai_credits', { accountId: accountOfRequest }) }, handler);
  fastify.setErrorHandler(async (error, _request, reply) => {
    onFastify.hostError = error;
    return reply.code(500).send({ hostErrorHandler: true });
  });
  onFastify.url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => fastify.close());
  return [onExpress, onFastify];
}

/** A new account in Tollgate (on the free plan), one per test. */
async function newAccount(): Promise<string> {
  const id = `acct-${randomUUID().slice(0, 8)}`;
  await tollgate.upsertAccount(id, id);
  return id;
}

/** Calls a host route as `accountId` and returns the status and the JSON body. */
async function call(host: Host, method: 'GET' | 'POST', path: string, accountId: string | null, headers: Record<string, string> = {}) {
  const response = await fetch(`${host.url}${path}`, { method, headers: { ...(accountId ? { [accountHeader]: accountId } : {}), ...headers } });
  return { status: response.status, body: await response.json() };
}

const usedReports = async (accountId: string) => (await tollgate.check(accountId, 'reports')).used;

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the route guards on Express and Fastify', () => {
  it('answer 403 ACCOUNT_NOT_FOUND with the contract\'s body for an account Tollgate does not know', async () => {
    for (const host of hosts) {
      for (const [method, path, feature] of [['GET', '/export', 'export_csv'], ['POST', '/reports', 'reports']] as const) {
        const answer = await call(host, method, path, 'ghost');
        expect(answer, `${host.name} ${path}`).toEqual({
          status: 403,
          body: {
            error: {
              code: 'ACCOUNT_NOT_FOUND', feature, accountId: 'ghost',
              message: `Account "ghost" is not known to Tollgate, so "${feature}" is refused. Create the account with upsertAccount when it signs up.`,
            },
          },
        });
      }
      expect(host.handled, host.name).toBe(0);
    }
  });

  it('answer 401 UNAUTHENTICATED when the request names no account', async () => {
    for (const host of hosts) {
      for (const [method, path] of [['GET', '/export'], ['POST', '/reports']] as const) {
        expect(await call(host, method, path, null), `${host.name} ${path}`).toEqual({
          status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Sign in to use this feature.' } },
        });
      }
    }
  });

  it('let a consuming route run and count each request', async () => {
    for (const host of hosts) {
      const accountId = await newAccount();
      const before = host.handled;
      expect(await call(host, 'POST', '/reports', accountId)).toEqual({ status: 200, body: { ran: true } });
      expect(await call(host, 'POST', '/reports', accountId)).toEqual({ status: 200, body: { ran: true } });
      expect(host.handled - before, host.name).toBe(2);
      expect(await usedReports(accountId), host.name).toBe(2);
    }
  });

  it('count a retried request with the same idempotency key once', async () => {
    for (const host of hosts) {
      const accountId = await newAccount();
      const key = { 'idempotency-key': randomUUID() };
      expect((await call(host, 'POST', '/reports', accountId, key)).status).toBe(200);
      expect((await call(host, 'POST', '/reports', accountId, key)).status, `${host.name}: the retry is answered like the first`).toBe(200);
      expect(await usedReports(accountId), host.name).toBe(1);
    }
  });

  it('answer 429 LIMIT_EXCEEDED with the offers once a consuming route has used up the limit, and run nothing', async () => {
    for (const host of hosts) {
      const accountId = await newAccount();
      await call(host, 'POST', '/reports', accountId);
      await call(host, 'POST', '/reports', accountId);
      const before = host.handled;
      const refused = await call(host, 'POST', '/reports', accountId);
      expect(refused, host.name).toEqual({
        status: 429,
        body: {
          error: {
            code: 'LIMIT_EXCEEDED', feature: 'reports', accountId, reason: 'LIMIT_REACHED', limit: 2, used: 2, requested: 1,
            message: '"reports" has reached its limit: 2 of 2 used, 1 more requested. Upgrade to continue.',
            offers: [expect.objectContaining({ kind: 'PLAN', key: 'pro', newLimit: 100, recommended: true, price: { amount: 2900, currency: 'USD', formatted: '$29.00' } })],
          },
        },
      });
      expect(host.handled, host.name).toBe(before);
      expect(await usedReports(accountId), host.name).toBe(2);
    }
  });

  it('answer 403 ENTITLEMENT_DENIED with the offers when a consuming route\'s feature is not in the plan', async () => {
    for (const host of hosts) {
      const accountId = await newAccount();
      expect(await call(host, 'POST', '/ai', accountId), host.name).toEqual({
        status: 403,
        body: {
          error: {
            code: 'ENTITLEMENT_DENIED', feature: 'ai_credits', accountId, reason: 'NOT_IN_PLAN',
            message: '"ai_credits" is not included in the current plan. Upgrade to use it.',
            offers: [expect.objectContaining({ key: 'pro', newLimit: 10 })],
          },
        },
      });
    }
  });

  it('answer 429 LIMIT_EXCEEDED from the checking guard too when a limit is in the way', async () => {
    for (const host of hosts) {
      const accountId = await newAccount();
      await call(host, 'POST', '/reports', accountId);
      expect((await call(host, 'GET', '/reports/check', accountId)).status, host.name).toBe(200);
      await call(host, 'POST', '/reports', accountId);
      expect(await call(host, 'GET', '/reports/check', accountId), host.name).toEqual({
        status: 429,
        body: {
          error: {
            code: 'LIMIT_EXCEEDED', feature: 'reports', accountId, reason: 'LIMIT_REACHED', limit: 2, used: 2, requested: 1,
            message: '"reports" has reached its limit: 2 of 2 used, 1 more requested. Upgrade to continue.',
          },
        },
      });
    }
  });

  it('answer 422 IDEMPOTENCY_CONFLICT when a key is reused for a different request', async () => {
    for (const host of hosts) {
      const accountId = await newAccount();
      const key = randomUUID();
      expect((await call(host, 'POST', '/reports', accountId, { 'idempotency-key': key })).status).toBe(200);
      const reused = await call(host, 'POST', '/reports', accountId, { 'idempotency-key': key, 'x-amount': '2' });
      expect(reused.status, host.name).toBe(422);
      expect(reused.body.error).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', feature: 'reports', accountId, idempotencyKey: key });
      expect(reused.body.error.message).toMatch(/already used for a different request/);
      expect(await usedReports(accountId), host.name).toBe(1);
    }
  });

  it('answer 400 BAD_USER_INPUT when Tollgate refuses a value read from the request', async () => {
    for (const host of hosts) {
      const accountId = await newAccount();
      const answer = await call(host, 'POST', '/reports', accountId, { 'idempotency-key': 'k'.repeat(256) });
      expect(answer.status, host.name).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'BAD_USER_INPUT', feature: 'reports', accountId });
      expect(answer.body.error.message).toMatch(/idempotencyKey/);
    }
  });

  it('answer 503 TOLLGATE_UNAVAILABLE and run nothing when Tollgate cannot be reached', async () => {
    const down = createTollgate({ url: `http://127.0.0.1:${await closedPort()}/graphql`, apiKey: serverKey, timeoutMs: 2000 });
    for (const host of await startHosts(down)) {
      for (const [method, path, feature] of [['GET', '/export', 'export_csv'], ['POST', '/reports', 'reports']] as const) {
        const answer = await call(host, method, path, 'acme');
        expect(answer.status, `${host.name} ${path}`).toBe(503);
        // The cause (an internal address) goes to the host's log, never to its users: sdk-guard-unavailable.test.ts.
        expect(answer.body).toEqual({ error: { code: 'TOLLGATE_UNAVAILABLE', feature, message: `"${feature}" cannot be checked right now. Try again in a moment.` } });
      }
      expect(host.handled, host.name).toBe(0);
    }
  });

  it('hand a refused server key to the host\'s error handler as UNAUTHENTICATED, never as a refusal of the user', async () => {
    const misconfigured = createTollgate({ url: t.server.graphqlUrl, apiKey: `tg_server_${'A'.repeat(43)}` });
    for (const host of await startHosts(misconfigured)) {
      expect(await call(host, 'GET', '/export', 'acme'), host.name).toEqual({ status: 500, body: { hostErrorHandler: true } });
      expect(host.hostError, host.name).toBeInstanceOf(TollgateRequestError);
      expect(host.hostError).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    }
  });
});

describe('the Node client when Tollgate fails', () => {
  it('throws UNAUTHENTICATED with what to fix when Tollgate refuses the server key', async () => {
    for (const [apiKey, status] of [[`tg_server_${'A'.repeat(43)}`, 401], ['tg_admin_short', 400]] as const) {
      const client = createTollgate({ url: t.server.graphqlUrl, apiKey });
      const error = await client.check('acme', 'export_csv').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TollgateRequestError);
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status });
      expect((error as Error).message).toMatch(
        new RegExp(`^Tollgate refused this backend's credential \\(HTTP ${status} UNAUTHENTICATED\\): .+ Give createTollgate a server API key \\(tg_server_…\\)`),
      );
    }
  });

  it('gives up on a Tollgate that accepts connections and never answers within its deadline, retrying within it', async () => {
    const sockets: Socket[] = [];
    let requests = 0;
    const hung = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (chunk) => {
        if (chunk.toString('latin1').startsWith('POST /graphql ')) requests += 1;
      });
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const deadline = 1000;
      const client = createTollgate({ url: `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`, apiKey: serverKey, timeoutMs: deadline });
      const started = performance.now();
      const error = await client.consume('acme', 'reports', { idempotencyKey: 'hung-1' }).catch((caught: unknown) => caught);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(TollgateUnavailableError);
      expect(error).toMatchObject({ code: 'TOLLGATE_UNAVAILABLE', extensions: { code: 'TOLLGATE_UNAVAILABLE' } });
      expect((error as Error).message).toMatch(/^Tollgate did not answer \(2 attempts within the 1000 ms deadline; last: no answer after \d+ ms\)/);
      // A bound on behaviour, not a benchmark: the whole call, both attempts included, ends at the deadline.
      expect(elapsed).toBeGreaterThanOrEqual(deadline - 50);
      expect(elapsed).toBeLessThan(deadline + 500);
      expect(requests, 'the first attempt and its retry').toBe(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it('lets consumeOrThrow\'s error reach the host\'s GraphQL clients as TOLLGATE_UNAVAILABLE', async () => {
    const port = Number(new URL(t.server.graphqlUrl).port);
    const proxy = await startTcpProxy('127.0.0.1', port);
    const client = createTollgate({ url: `http://127.0.0.1:${proxy.port}/graphql`, apiKey: serverKey, timeoutMs: 2000 });
    const notes = await startNotesApi({ tollgate: client });
    try {
      const acme = new GraphQLTestClient(`${notes.url}/graphql`, null, { 'x-account-id': 'unavailable-acme' });
      expect(await acme.request(`{ notes { id } }`)).toEqual({ notes: [] });
      await proxy.cut();
      const created = await acme.raw(`mutation { createNote(title: "while down") { id } }`);
      expect(created.data).toBeNull();
      expect(created.errors[0]).toMatchObject({
        message: expect.stringMatching(/^Tollgate did not answer .* Check that Tollgate is running and reachable at the configured url\.$/),
        extensions: { code: 'TOLLGATE_UNAVAILABLE' },
      });
      await proxy.restore();
      expect((await acme.raw(`mutation { createNote(title: "back up") { id } }`)).errors).toEqual([]);
    } finally {
      await notes.close();
      await proxy.close();
    }
  });
});

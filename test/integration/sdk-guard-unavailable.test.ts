import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  consumeFeature,
  consumeFeatureHook,
  createTollgate,
  requireFeature,
  requireFeatureHook,
  TollgateUnavailableError,
  type RequireFeatureOptions,
  type TollgateClient,
} from '../../client-sdk/dist/server/index.js';
import { changePlan, createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The route guards of @tollgate/sdk/server when Tollgate is stopped, in each `onUnavailable`
 * mode, on Express 5 and Fastify 5: `'deny'` (the default) answers 503 and runs nothing;
 * `'allow'` runs the route (counting nothing); `'stale'` decides with the last decision this
 * process got while Tollgate was up (a check: the client's last answer; a consume: the guard's
 * last decision, never letting through more than it left room for), and denies without one.
 * Whatever the mode, the user's body holds no address and no stack; the host's log gets the cause.
 */
type Report = Parameters<NonNullable<RequireFeatureOptions<unknown>['logUnavailable']>>[0];

interface Host {
  name: string;
  url: string;
  handled: number;
  log: Report[];
}

let t: TestServer;
let hosts: Host[];
const closers: (() => Promise<void>)[] = [];
const POLICIES = [undefined, 'deny', 'allow', 'stale'] as const;
const accountHeader = 'x-account-id';

beforeAll(async () => {
  t = await startTestServer();
  await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
  await createFeature(t.admin, { key: 'reports', kind: 'METERED', unit: 'reports' });
  await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'reports', limit: 2, period: 'MONTH' }]);
  await createPublishedPlan(t.admin, { key: 'pro', rank: 10, price: 2900 }, [{ feature: 'export_csv' }, { feature: 'reports', limit: 2, period: 'MONTH' }]);
  for (const id of ['pro-co', 'free-co', 'one-left', 'none-left', 'never-seen']) await createAccount(t.admin, id);
  await changePlan(t.admin, { accountId: 'pro-co', plan: 'pro' });
  const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "host backend", role: SERVER }) { secret } }`);
  // One client for both hosts, as a backend has: its last answers are what 'stale' reads.
  const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: createApiKey.secret, timeoutMs: 2000 });
  hosts = await startHosts(tollgate);
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await t?.stop();
});

/** The same guarded routes on Express (middleware) and Fastify (hooks), one per policy: /export/<policy>, /reports/<policy>. */
async function startHosts(client: TollgateClient): Promise<Host[]> {
  const onExpress: Host = { name: 'Express', url: '', handled: 0, log: [] };
  const app = express();
  const accountOf = (req: express.Request) => req.header(accountHeader);
  for (const policy of POLICIES) {
    const options = { accountId: accountOf, onUnavailable: policy, logUnavailable: (report: Report) => onExpress.log.push(report) };
    app.get(`/export/${policy ?? 'default'}`, requireFeature(client, 'export_csv', options), (_req, res) => {
      onExpress.handled += 1;
      res.json({ ran: true });
    });
    app.post(`/reports/${policy ?? 'default'}`, consumeFeature(client, 'reports', options), (_req, res) => {
      onExpress.handled += 1;
      res.json({ ran: true });
    });
  }
  const listener = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  onExpress.url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  closers.push(() => new Promise((resolve) => listener.close(() => resolve())));

  const onFastify: Host = { name: 'Fastify', url: '', handled: 0, log: [] };
  const fastify = Fastify();
  const accountOfRequest = (request: FastifyRequest) => request.headers[accountHeader]?.toString();
  for (const policy of POLICIES) {
    const options = { accountId: accountOfRequest, onUnavailable: policy, logUnavailable: (report: Report) => onFastify.log.push(report) };
    const handler = async () => {
      onFastify.handled += 1;
      return { ran: true };
    };
    fastify.get(`/export/${policy ?? 'default'}`, { preHandler: requireFeatureHook(client, 'export_csv', options) }, handler);
    fastify.post(`/reports/${policy ?? 'default'}`, { preHandler: consumeFeatureHook(client, 'reports', options) }, handler);
  }
  onFastify.url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => fastify.close());
  return [onExpress, onFastify];
}

async function call(host: Host, method: 'GET' | 'POST', path: string, accountId: string) {
  const response = await fetch(`${host.url}${path}`, { method, headers: { [accountHeader]: accountId } });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), text, body: JSON.parse(text) };
}

const UNAVAILABLE = (feature: string) => ({
  error: { code: 'TOLLGATE_UNAVAILABLE', feature, message: `"${feature}" cannot be checked right now. Try again in a moment.` },
});

/** What must never reach an end user: an address, a port, a network error's name, a stack frame. */
const INTERNALS = /127\.0\.0\.1|localhost|:\d{2,5}\b|ECONNREFUSED|fetch failed|\bat \S+ \(|graphql/i;

describe('route guards with Tollgate stopped', () => {
  beforeAll(async () => {
    // While Tollgate is up, each host asks once per question 'stale' will be asked: these are the last known decisions.
    for (const host of hosts) {
      expect((await call(host, 'GET', '/export/stale', 'pro-co')).status).toBe(200);
      expect((await call(host, 'GET', '/export/stale', 'free-co')).status).toBe(403);
    }
    // The consuming guards remember their own last decisions (2 reports a month): for 'one-left',
    // Express's guard last saw 1 left and Fastify's 0; for 'none-left' both saw 0.
    const [expressHost, fastifyHost] = hosts;
    expect((await call(expressHost, 'POST', '/reports/stale', 'one-left')).status).toBe(200);
    expect((await call(fastifyHost, 'POST', '/reports/stale', 'one-left')).status).toBe(200);
    expect((await call(expressHost, 'POST', '/reports/stale', 'none-left')).status).toBe(200);
    expect((await call(expressHost, 'POST', '/reports/stale', 'none-left')).status).toBe(200);
    expect((await call(fastifyHost, 'POST', '/reports/stale', 'none-left')).status).toBe(429);
    await t.server.close(); // Tollgate stopped: its port now refuses connections
  });
  beforeEach(() => {
    for (const host of hosts) {
      host.handled = 0;
      host.log.length = 0;
    }
  });

  it('deny by default and with \'deny\': 503 with Retry-After, a body that says nothing of the cause, and the cause in the host\'s log', async () => {
    for (const host of hosts) {
      for (const policy of ['default', 'deny']) {
        for (const [method, path, feature] of [['GET', `/export/${policy}`, 'export_csv'], ['POST', `/reports/${policy}`, 'reports']] as const) {
          const answer = await call(host, method, path, 'pro-co');
          expect(answer.status, `${host.name} ${path}`).toBe(503);
          expect(answer.retryAfter).toBe('5');
          expect(answer.body).toEqual(UNAVAILABLE(feature));
          expect(answer.text).not.toMatch(INTERNALS);
        }
      }
      expect(host.handled, host.name).toBe(0);
      expect(host.log).toHaveLength(4);
      for (const report of host.log) {
        expect(report).toMatchObject({ accountId: 'pro-co', answered: 'refused' });
        expect(report.error).toBeInstanceOf(TollgateUnavailableError);
        // The operator gets what the user does not: the address that refused.
        expect((report.error as Error).message).toMatch(/ECONNREFUSED 127\.0\.0\.1:\d+/);
      }
    }
  });

  it('let the route run with \'allow\', checking or consuming, and say so in the log', async () => {
    for (const host of hosts) {
      expect(await call(host, 'GET', '/export/allow', 'free-co'), host.name).toMatchObject({ status: 200, body: { ran: true } });
      expect(await call(host, 'POST', '/reports/allow', 'none-left'), host.name).toMatchObject({ status: 200, body: { ran: true } });
      expect(host.handled).toBe(2);
      expect(host.log.map((report) => [report.feature, report.answered])).toEqual([['export_csv', 'allowed'], ['reports', 'allowed']]);
      expect(host.log[1].message).toMatch(/nothing was counted/);
    }
  });

  it('decide a check with \'stale\' from the last decision this process got, and deny without one', async () => {
    for (const host of hosts) {
      expect(await call(host, 'GET', '/export/stale', 'pro-co'), host.name).toMatchObject({ status: 200, body: { ran: true } });
      const denied = await call(host, 'GET', '/export/stale', 'free-co');
      expect(denied.status).toBe(403);
      expect(denied.body.error).toMatchObject({ code: 'ENTITLEMENT_DENIED', feature: 'export_csv', accountId: 'free-co', reason: 'NOT_IN_PLAN' });
      const unknown = await call(host, 'GET', '/export/stale', 'never-seen');
      expect(unknown.body).toEqual(UNAVAILABLE('export_csv'));
      expect(unknown.text).not.toMatch(INTERNALS);
      expect(host.handled).toBe(1);
    }
  });

  it('let a consume through with \'stale\' only within the room its last decision left, and never fail open without one', async () => {
    const [expressHost, fastifyHost] = hosts;
    // Express's guard last saw 1 report left for 'one-left': one more runs (uncounted), the next is refused.
    expect((await call(expressHost, 'POST', '/reports/stale', 'one-left')).status).toBe(200);
    const past = await call(expressHost, 'POST', '/reports/stale', 'one-left');
    expect(past.status).toBe(429);
    expect(past.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', feature: 'reports', accountId: 'one-left', limit: 2, used: 2, requested: 1 });
    expect(expressHost.handled).toBe(1);
    expect((await call(fastifyHost, 'POST', '/reports/stale', 'one-left')).status).toBe(429);
    for (const host of hosts) {
      expect((await call(host, 'POST', '/reports/stale', 'none-left')).status, host.name).toBe(429);
      // Fastify's guard never consumed for 'never-seen' (nor did Express's): no decision, no way through.
      const unknown = await call(host, 'POST', '/reports/stale', 'never-seen');
      expect(unknown.status).toBe(503);
      expect(unknown.body).toEqual(UNAVAILABLE('reports'));
    }
    expect(fastifyHost.handled).toBe(0);
  });
});

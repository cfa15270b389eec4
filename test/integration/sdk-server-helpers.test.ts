import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotesApi } from '../../examples/host-api/dist/notes-api.js';
import {
  createTollgate,
  TollgateRequestError,
  TollgateUnavailableError,
} from '../../client-sdk/dist/server/index.js';
import { createFeature, createPublishedPlan } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

/**
 * @tollgate/sdk/server against a real Tollgate: how the Node client fails when Tollgate is down,
 * hung, or refuses the server key.
 */
let t: TestServer;
let serverKey: string;

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
});
afterAll(async () => {
  await t?.stop();
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

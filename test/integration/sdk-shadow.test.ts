import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTollgate,
  TollgateRequestError,
  TollgateUnavailableError,
  type ShadowOptions,
} from '../../client-sdk/dist/server/index.js';
import { createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * `tollgate.shadow()` of @tollgate/sdk/server against a real Tollgate: it returns before any I/O,
 * sends batches, keeps a bounded queue while Tollgate is down, and never throws into the host.
 */
let t: TestServer;
let serverKey: string;

/** Never by the timer within a test: batches leave when full, or on flush()/close(). */
const NO_TIMER = 3_600_000;

beforeAll(async () => {
  t = await startTestServer();
  await createFeature(t.admin, { key: 'seats', kind: 'QUANTITY' });
  await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
  await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'seats', limit: 2 }]);
  await createAccount(t.admin, 'acme');
  const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "host backend", role: SERVER }) { secret } }`);
  serverKey = createApiKey.secret;
});
afterAll(() => t?.stop());

/** A fetch that records every request's comparisons, and can play an unreachable Tollgate. */
function recordingFetch() {
  const batches: { accountId: string; feature: string; legacyLimit: number | null }[][] = [];
  const waiters: (() => void)[] = [];
  const state = { down: false, batches, nextRequest: () => new Promise<void>((resolve) => waiters.push(resolve)) };
  const wrapped: typeof fetch = async (input, init) => {
    batches.push(JSON.parse(String(init?.body)).variables.inputs);
    for (const wake of waiters.splice(0)) wake();
    if (state.down) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    return fetch(input, init);
  };
  return { ...state, state, fetch: wrapped };
}

/** Errors the shadow queue reported, and a promise of the next one. */
function errorLog() {
  const errors: Error[] = [];
  let wake: (() => void) | null = null;
  return {
    errors,
    onError: (error: Error) => {
      errors.push(error);
      wake?.();
    },
    next: () => new Promise<void>((resolve) => (wake = resolve)),
  };
}

async function report(since: string) {
  const { shadowReport } = await t.admin.request(
    `query ($since: DateTimeISO) { shadowReport(since: $since) { compared agreed disagreed byFeature { feature compared disagreed } } }`,
    { since },
  );
  return shadowReport;
}

/** A port nothing listens on: bound, then closed. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('tollgate.shadow()', () => {
  it('returns void before any request is made, and sends 250 comparisons in three batches', async () => {
    const since = new Date().toISOString();
    const recorder = recordingFetch();
    const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey, fetch: recorder.fetch, shadow: { flushIntervalMs: NO_TIMER, maxBatch: 100 } });
    const returned = new Set<unknown>();
    for (let index = 0; index < 250; index += 1) {
      // Half agree (seats: limit 2, allowed), half disagree on the limit.
      returned.add(tollgate.shadow('acme', 'seats', true, { legacyLimit: index % 2 ? 2 : 3 }));
    }
    expect([...returned]).toEqual([undefined]);
    expect(recorder.batches).toHaveLength(0);
    expect(tollgate.shadowStats()).toEqual({ queued: 250, sent: 0, failed: 0, dropped: 0 });

    await tollgate.flush();
    expect(recorder.batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(tollgate.shadowStats()).toEqual({ queued: 0, sent: 250, failed: 0, dropped: 0 });
    expect(await report(since)).toEqual({ compared: 250, agreed: 125, disagreed: 125, byFeature: [{ feature: 'seats', compared: 250, disagreed: 125 }] });
    await tollgate.close();
  });

  it('sends a full batch at once, without waiting for the interval', async () => {
    const recorder = recordingFetch();
    const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey, fetch: recorder.fetch, shadow: { flushIntervalMs: NO_TIMER, maxBatch: 10 } });
    const sent = recorder.nextRequest();
    for (let index = 0; index < 10; index += 1) tollgate.shadow('acme', 'export_csv', false);
    await sent;
    expect(recorder.batches.map((batch) => batch.length)).toEqual([10]);
    await tollgate.close();
    expect(tollgate.shadowStats()).toMatchObject({ sent: 10, queued: 0 });
  });

  it('never throws or waits while Tollgate is down, keeps the newest comparisons within its bound, and sends them when it is back', async () => {
    const since = new Date().toISOString();
    const recorder = recordingFetch();
    recorder.state.down = true;
    const log = errorLog();
    const options: ShadowOptions = { flushIntervalMs: NO_TIMER, maxBatch: 100, maxQueue: 20, onError: log.onError };
    const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey, fetch: recorder.fetch, timeoutMs: 1000, shadow: options });
    for (let index = 0; index < 50; index += 1) expect(tollgate.shadow('acme', 'seats', true, { legacyLimit: index })).toBeUndefined();
    expect(tollgate.shadowStats()).toEqual({ queued: 20, sent: 0, failed: 0, dropped: 30 });

    const reported = log.next();
    await tollgate.flush(); // one attempt, refused at the door: resolves, keeps the queue
    await reported;
    expect(log.errors[0]).toBeInstanceOf(TollgateUnavailableError);
    expect(tollgate.shadowStats()).toEqual({ queued: 20, sent: 0, failed: 0, dropped: 30 });
    expect(recorder.batches[0]!.map((input) => input.legacyLimit)).toEqual(Array.from({ length: 20 }, (_, index) => 30 + index));

    recorder.state.down = false;
    await tollgate.flush();
    expect(tollgate.shadowStats()).toEqual({ queued: 0, sent: 20, failed: 0, dropped: 30 });
    expect(await report(since)).toMatchObject({ compared: 20 });
    await tollgate.close();
  });

  it('never throws when nothing listens at the url, and close() gives up after one attempt', async () => {
    const log = errorLog();
    const tollgate = createTollgate({ url: `http://127.0.0.1:${await deadPort()}/graphql`, apiKey: serverKey, shadow: { flushIntervalMs: NO_TIMER, onError: log.onError } });
    const reported = log.next();
    expect(tollgate.shadow('acme', 'seats', true)).toBeUndefined();
    await tollgate.close();
    await reported;
    expect(log.errors[0]).toBeInstanceOf(TollgateUnavailableError);
    expect(tollgate.shadowStats()).toEqual({ queued: 1, sent: 0, failed: 0, dropped: 0 });
  });

  it('never throws into the host: bad arguments, unknown features, a refused key and a throwing onError are counted and reported', async () => {
    const log = errorLog();
    const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey, shadow: { flushIntervalMs: NO_TIMER, onError: log.onError } });
    const loose = tollgate as unknown as { shadow(...args: unknown[]): unknown };
    expect(loose.shadow('acme', 'seats', 'yes')).toBeUndefined();
    expect(loose.shadow('acme', 'seats', true, { amount: -1 })).toBeUndefined();
    expect(loose.shadow('acme', 'seats', true, { legacyLimit: 1.5 })).toBeUndefined();
    expect(loose.shadow(null, 'seats', true)).toBeUndefined();
    tollgate.shadow('acme', 'warp_drive', true);
    tollgate.shadow('ghost', 'seats', true);
    tollgate.shadow('acme', 'seats', true);
    await tollgate.flush();
    expect(tollgate.shadowStats()).toEqual({ queued: 0, sent: 1, failed: 6, dropped: 0 });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(log.errors.slice(0, 4).every((error) => error instanceof TypeError)).toBe(true);
    const refused = log.errors[4] as TollgateRequestError;
    expect(refused).toBeInstanceOf(TollgateRequestError);
    expect(refused.errors.map((error) => error.extensions?.code)).toEqual(['UNKNOWN_FEATURE', 'ACCOUNT_NOT_FOUND']);

    const badKey = errorLog();
    const reported = badKey.next();
    const throwing = createTollgate({
      url: t.server.graphqlUrl,
      apiKey: 'tg_server_not-a-key',
      shadow: {
        flushIntervalMs: NO_TIMER,
        onError: (error) => {
          badKey.onError(error);
          throw new Error('a host listener that throws');
        },
      },
    });
    throwing.shadow('acme', 'seats', true);
    await throwing.flush();
    await reported;
    expect((badKey.errors[0] as TollgateRequestError).code).toBe('UNAUTHENTICATED');
    expect(throwing.shadowStats()).toEqual({ queued: 0, sent: 0, failed: 1, dropped: 0 });
  });

  it('sends what is queued on close(), and nothing after it', async () => {
    const since = new Date().toISOString();
    const recorder = recordingFetch();
    const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey, fetch: recorder.fetch, shadow: { flushIntervalMs: NO_TIMER } });
    for (let index = 0; index < 5; index += 1) tollgate.shadow('acme', 'export_csv', false);
    await tollgate.close();
    tollgate.shadow('acme', 'export_csv', false);
    await tollgate.flush();
    expect(recorder.batches.map((batch) => batch.length)).toEqual([5]);
    expect(tollgate.shadowStats()).toEqual({ queued: 0, sent: 5, failed: 1, dropped: 0 });
    expect(await report(since)).toMatchObject({ compared: 5, agreed: 5 });
  });
});

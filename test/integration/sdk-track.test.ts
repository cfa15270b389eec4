import { createServer, type AddressInfo } from 'node:net';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTollgate, TollgateUnavailableError } from '../../client-sdk/dist/server/index.js';
import { freshDatabase } from '../support/database.js';
import { createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { sql } from '../support/metering.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

/**
 * `tollgate.track()` of @tollgate/sdk/server against a real Tollgate: it returns before any I/O
 * and never throws, sends batches by size and time into reportUsage, keeps a bounded queue
 * (oldest dropped and counted) while Tollgate cannot be reached, and sends unanswered batches
 * again with the same keys, so that nothing tracked within the bound is lost or counted twice.
 */
let t: TestServer;
let serverKey: string;

/** Never by the timer within a test: batches leave when full, or on flush()/close(). */
const NO_TIMER = 3_600_000;

beforeAll(async () => {
  t = await startTestServer();
  await createFeature(t.admin, { key: 'api_calls', kind: 'METERED' });
  await createFeature(t.admin, { key: 'tokens', kind: 'METERED' });
  await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [
    { feature: 'api_calls', limit: null, period: 'MONTH' },
    { feature: 'tokens', limit: 10, period: 'MONTH', overage: 'BLOCK' },
  ]);
  for (const account of ['acme', 'lost', 'bounded', 'limited']) await createAccount(t.admin, account);
  const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "host backend", role: SERVER }) { secret } }`);
  serverKey = createApiKey.secret;
});
afterAll(() => t?.stop());

async function counter(accountId: string, feature = 'api_calls'): Promise<{ used: number; events: number }> {
  const [row] = await sql<{ used: string; events: string }>(t,
    `select (select coalesce(sum(used), 0) from usage_counter where account_id = ? and feature_key = ?) as used,
            (select count(*) from usage_event where account_id = ? and feature_key = ?) as events`, [accountId, feature, accountId, feature]);
  return { used: Number(row!.used), events: Number(row!.events) };
}

/** A fetch that counts reportUsage requests, and can play a Tollgate that is down or whose answer is lost. */
function faultyFetch() {
  const state = { down: false, loseAnswers: 0, requests: 0, sizes: [] as number[] };
  const wrapped: typeof fetch = async (input, init) => {
    state.requests += 1;
    state.sizes.push(JSON.parse(String(init?.body)).variables.events.length);
    if (state.down) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const response = await fetch(input, init);
    if (state.loseAnswers > 0) {
      // Tollgate counted the batch, but the answer never arrived.
      state.loseAnswers -= 1;
      await response.text();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    return response;
  };
  return { state, fetch: wrapped };
}

describe('tollgate.track()', () => {
  it('returns void before any request, sends full batches at once and the rest on flush, and counts every unit once', async () => {
    const faulty = faultyFetch();
    const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey, fetch: faulty.fetch, track: { flushIntervalMs: NO_TIMER, maxBatch: 100 } });
    const returned = new Set<unknown>();
    for (let index = 0; index < 250; index += 1) returned.add(tollgate.track('acme', 'api_calls', 1 + (index % 3)));
    expect([...returned]).toEqual([undefined]);
    await tollgate.flush();
    expect(faulty.state.sizes).toEqual([100, 100, 50]);
    expect(tollgate.trackStats()).toEqual({ queued: 0, accepted: 250, duplicates: 0, refused: 0, failed: 0, dropped: 0 });
    // 250 events of 1, 2, 3, 1, 2, 3...: 84 ones, 83 twos, 83 threes.
    expect(await counter('acme')).toEqual({ used: 84 + 83 * 2 + 83 * 3, events: 250 });
    await tollgate.close();
  });

  it('sends a batch by time when it is not full', async () => {
    const faulty = faultyFetch();
    const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey, fetch: faulty.fetch, track: { flushIntervalMs: 50, maxBatch: 1000 } });
    tollgate.track('acme', 'api_calls', 5, { idempotencyKey: 'timed-1' });
    const deadline = Date.now() + 30_000;
    while (tollgate.trackStats().accepted < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(tollgate.trackStats()).toMatchObject({ accepted: 1, queued: 0 });
    expect(faulty.state.sizes).toEqual([1]);
    await tollgate.close();
  });

  it('sends a batch whose answer was lost again with the same keys: counted once', async () => {
    const faulty = faultyFetch();
    faulty.state.loseAnswers = 2; // both attempts of the first send: counted, never answered
    const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey, fetch: faulty.fetch, timeoutMs: 5000, track: { flushIntervalMs: NO_TIMER } });
    for (let index = 0; index < 40; index += 1) tollgate.track('lost', 'api_calls', 2);
    await tollgate.flush(); // unanswered: the batch goes back to the front
    expect(tollgate.trackStats()).toMatchObject({ queued: 40, accepted: 0 });
    await tollgate.flush();
    expect(tollgate.trackStats()).toEqual({ queued: 0, accepted: 0, duplicates: 40, refused: 0, failed: 0, dropped: 0 });
    expect(await counter('lost')).toEqual({ used: 80, events: 40 });
    await tollgate.close();
  });

  it('never throws or waits while Tollgate is down, keeps the newest events within its bound, and sends them when it is back', async () => {
    const faulty = faultyFetch();
    faulty.state.down = true;
    const errors: Error[] = [];
    const tollgate = createTollgate({
      url: t.server.graphqlUrl, apiKey: serverKey, fetch: faulty.fetch, timeoutMs: 1000,
      track: { flushIntervalMs: NO_TIMER, maxQueue: 30, onError: (error) => errors.push(error) },
    });
    for (let index = 1; index <= 50; index += 1) expect(tollgate.track('bounded', 'api_calls', index)).toBeUndefined();
    expect(tollgate.trackStats()).toMatchObject({ queued: 30, dropped: 20 });
    await tollgate.flush();
    expect(tollgate.trackStats()).toMatchObject({ queued: 30, accepted: 0, dropped: 20 });
    faulty.state.down = false;
    await tollgate.flush();
    expect(tollgate.trackStats()).toEqual({ queued: 0, accepted: 30, duplicates: 0, refused: 0, failed: 0, dropped: 20 });
    // The newest 30 (21..50) were kept.
    expect(await counter('bounded')).toEqual({ used: ((21 + 50) * 30) / 2, events: 30 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors[0]).toBeInstanceOf(TollgateUnavailableError);
    await tollgate.close();
  });

  it('counts refusals and bad calls without throwing, and sends nothing after close()', async () => {
    const tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey, track: { flushIntervalMs: NO_TIMER } });
    for (let index = 0; index < 4; index += 1) tollgate.track('limited', 'tokens', 4);
    expect(() => tollgate.track('limited', 'tokens', -1)).not.toThrow();
    expect(() => tollgate.track(42 as unknown as string, 'tokens')).not.toThrow();
    tollgate.track('limited', 'no_such_feature', 1);
    await tollgate.close();
    tollgate.track('limited', 'tokens', 1);
    // 4 + 4 fit under 10, the third and fourth do not; two bad calls, one unknown feature, one after close().
    expect(tollgate.trackStats()).toEqual({ queued: 0, accepted: 2, duplicates: 0, refused: 2, failed: 4, dropped: 0 });
    expect(await counter('limited', 'tokens')).toEqual({ used: 8, events: 2 });
  });
});

/** A free port: bound, then closed. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The property: whatever is tracked before, during and after Tollgate is stopped (SIGTERM, or
 * kill -9 while a batch may be in flight) and started again on the same address, and however the
 * events are split into batches, once the queue is flushed after the restart the counter equals
 * the sum of every amount tracked, and the ledger holds one row per tracked event: nothing lost
 * (the queue's bound is not reached), nothing counted twice.
 *
 * Bounded: FC_RUNS restarts (default 3; each starts a server process), seeded by FC_SEED.
 */
describe('tollgate.track() across a Tollgate restart', () => {
  const runs = Number(process.env.FC_RUNS ?? 3);
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 0x7fffffff);

  it('loses nothing retried within its bound and counts nothing twice', { timeout: 600_000 }, async () => {
    console.log(`track() across restarts: FC_SEED=${seed}, ${runs} runs`);
    const database = await freshDatabase();
    const port = await freePort();
    const env = { DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off', PORT: String(port) };
    let server: ServerProcess | null = await spawnServer(env);
    const admin = new GraphQLTestClient(server.graphqlUrl, TEST_ADMIN_KEY);
    await createFeature(admin, { key: 'api_calls', kind: 'METERED' });
    await createPublishedPlan(admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'api_calls', limit: null, period: 'MONTH' }]);
    const { createApiKey } = await admin.request(`mutation { createApiKey(input: { name: "host", role: SERVER }) { secret } }`);
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 300 }),
          fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 300 }),
          fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 0, maxLength: 300 }),
          fc.constantFrom('SIGTERM', 'SIGKILL'),
          fc.integer({ min: 1, max: 200 }),
          async (before, during, after, signal, maxBatch) => {
            run += 1;
            const accountId = `restart-${run}`;
            await createAccount(new GraphQLTestClient(server!.graphqlUrl, TEST_ADMIN_KEY), accountId);
            const tollgate = createTollgate({ url: server!.graphqlUrl, apiKey: createApiKey.secret, timeoutMs: 2000, track: { flushIntervalMs: 20, maxBatch, maxQueue: 10_000 } });
            for (const amount of before) tollgate.track(accountId, 'api_calls', amount);
            // Stopped while batches are on their way.
            const stopped = signal === 'SIGKILL' ? (server!.child.kill('SIGKILL'), new Promise((resolve) => server!.child.once('exit', resolve))) : server!.stop();
            for (const amount of during) tollgate.track(accountId, 'api_calls', amount);
            await stopped;
            await tollgate.flush(); // nobody listens: one failed attempt, everything stays queued
            server = await spawnServer(env);
            for (const amount of after) tollgate.track(accountId, 'api_calls', amount);
            const deadline = Date.now() + 120_000;
            while (tollgate.trackStats().queued > 0 && Date.now() < deadline) await tollgate.flush();
            const stats = tollgate.trackStats();
            await tollgate.close();
            const tracked = [...before, ...during, ...after];
            expect(stats).toMatchObject({ queued: 0, refused: 0, failed: 0, dropped: 0 });
            expect(stats.accepted + stats.duplicates).toBe(tracked.length);
            const { rows: [state] } = await db.query<{ used: string; events: string }>(
              `select (select coalesce(sum(used), 0) from usage_counter where account_id = $1) as used,
                      (select count(*) from usage_event where account_id = $1) as events`, [accountId]);
            expect({ used: Number(state!.used), events: Number(state!.events) }).toEqual({
              used: tracked.reduce((sum, amount) => sum + amount, 0), events: tracked.length,
            });
          },
        ),
        { numRuns: runs, seed, endOnFailure: true },
      );
    } finally {
      await db.end();
      if (server && server.child.exitCode === null && server.child.signalCode === null) await server.stop();
      await database.drop();
    }
  });
});

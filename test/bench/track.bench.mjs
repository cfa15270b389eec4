// npm run bench: `track()` of @tollgate/sdk/server (the built SDK, client-sdk/dist) against a
// server on PostgreSQL (NODE_ENV=production). Figures are printed, not asserted.
//  1. Host-side cost of one call: TRACK_CALLS calls in a loop, the queue large enough to keep them.
//  2. Events delivered end to end from one Node process: TRACK_EVENTS events over 100 accounts,
//     timed from the first call until close() has every one counted.
//  3. How far past a hard limit the two-phase pattern goes: a host serving requests at a fixed
//     rate, each `check` answered from memory (`live: true`) and then `track`ed, on an account with
//     a limit; the requests served past the limit, against rate × (flushIntervalMs + push delay).
import { performance } from 'node:perf_hooks';
import { createTollgate } from '../../client-sdk/dist/server/index.js';
import { ADMIN_KEY, benchDatabase, gql, seedMetered, startBenchServer } from './bench-support.mjs';

const TRACK_CALLS = Number(process.env.BENCH_TRACK_CALLS ?? 1_000_000);
const TRACK_EVENTS = Number(process.env.BENCH_TRACK_EVENTS ?? 200_000);
const ACCOUNTS = 100;
const LIMIT = 3000;
const RATE = 1000;
const FLUSH_MS = 250;

async function seed(url) {
  const key = await seedMetered(url, { accounts: ACCOUNTS, limit: 1_000_000_000_000 });
  await gql(url, ADMIN_KEY, 'mutation { upsertAccount(input: { id: "limited", name: "limited" }) { id } }');
  await gql(url, ADMIN_KEY, `mutation { grantOverride(input: { accountId: "limited", feature: "api_calls", effect: SET_LIMIT, value: ${LIMIT},
    permanent: true, reason: "bench", approvedBy: "bench" }) { id } }`);
  return key;
}

/** 1: the host's cost of a call, queue only (nothing is sent during the loop: it never yields). */
function hostCost(url, apiKey) {
  const tollgate = createTollgate({ url, apiKey, track: { flushIntervalMs: 3_600_000, maxBatch: 10_000, maxQueue: TRACK_CALLS } });
  for (let i = 0; i < 10_000; i += 1) tollgate.track('acct-0', 'api_calls', 1, { idempotencyKey: `warm-${i}` });
  const started = performance.now();
  for (let i = 0; i < TRACK_CALLS; i += 1) tollgate.track(`acct-${i % ACCOUNTS}`, 'api_calls', 1);
  const microseconds = ((performance.now() - started) * 1000) / TRACK_CALLS;
  // Nothing of this run is sent: the client is dropped with its queue (no close()).
  return microseconds;
}

/** 2: TRACK_EVENTS tracked as fast as the loop allows, yielding every 1,000 so batches go out. */
async function delivered(url, apiKey) {
  const tollgate = createTollgate({ url, apiKey, timeoutMs: 30_000, track: { flushIntervalMs: 100, maxBatch: 10_000, maxQueue: TRACK_EVENTS } });
  const started = performance.now();
  for (let i = 0; i < TRACK_EVENTS; i += 1) {
    tollgate.track(`acct-${i % ACCOUNTS}`, 'api_calls', 1);
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  await tollgate.close();
  const seconds = (performance.now() - started) / 1000;
  const stats = tollgate.trackStats();
  if (stats.accepted !== TRACK_EVENTS) throw new Error(`track: ${JSON.stringify(stats)}`);
  return TRACK_EVENTS / seconds;
}

/** 3: check from memory, serve, track; at RATE requests/s until `check` refuses for a full second. */
async function overshoot(url, apiKey) {
  const tollgate = createTollgate({ url, apiKey, live: true, track: { flushIntervalMs: FLUSH_MS } });
  await tollgate.check('limited', 'api_calls');
  let served = 0;
  let refusedSince = null;
  const started = performance.now();
  while (true) {
    const due = Math.floor(((performance.now() - started) / 1000) * RATE);
    for (let n = served; n < due && (await tollgate.check('limited', 'api_calls')).allowed; n += 1) {
      served += 1;
      tollgate.track('limited', 'api_calls', 1);
    }
    if ((await tollgate.check('limited', 'api_calls')).allowed) refusedSince = null;
    else refusedSince ??= performance.now();
    if (refusedSince && performance.now() - refusedSince > 1000) break;
    if (performance.now() - started > 60_000) throw new Error('the limit never reached check');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await tollgate.close();
  const stats = tollgate.trackStats();
  return { served, past: served - LIMIT, accepted: stats.accepted, refused: stats.refused };
}

const database = await benchDatabase();
const server = await startBenchServer(database.url);
try {
  const key = await seed(server.url);
  const cost = hostCost(server.url, key);
  const rate = await delivered(server.url, key);
  const limit = await overshoot(server.url, key);
  console.log('\ntrack() of @tollgate/sdk/server, on PostgreSQL');
  console.log(`host-side cost per call      ${cost.toFixed(2)} µs  (aim < 2 µs; ${TRACK_CALLS.toLocaleString('en')} calls)`);
  console.log(`delivered end to end         ${Math.round(rate)} events/s from one process (${TRACK_EVENTS.toLocaleString('en')} events, batches of up to 10,000)`);
  console.log(`past a limit of ${LIMIT} at ${RATE} req/s, flush every ${FLUSH_MS} ms, live check: ${limit.past} requests served past it ` +
    `(${limit.accepted} counted, ${limit.refused} refused by the limit); rate × flush interval = ${(RATE * FLUSH_MS) / 1000}\n`);
} finally {
  await server.stop();
  await database.drop();
}

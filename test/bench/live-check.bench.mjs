// npm run bench, part 4: `check` of @tollgate/sdk/server with live decisions against `check`
// over HTTP, in the same run, on the same server (NODE_ENV=production on PostgreSQL), from the
// built SDK (client-sdk/dist). Figures are printed, not asserted.
//  1. HTTP: createTollgate() without `live`, BENCH_CONNECTIONS checks in flight at once (each
//     its own request), for BENCH_SECONDS, over ACCOUNTS accounts and three features.
//  2. Live: createTollgate({ live: true }), the same accounts asked once over HTTP, then the
//     same checks for the same time, one after another (each awaited: memory has no queue).
//  3. How long a change made through the API takes to reach `check` with no request: a setAddOn
//     on one account at a time, timed from sending it until `check` shows its new limit.
import { performance } from 'node:perf_hooks';
import { createTollgate } from '../../client-sdk/dist/server/index.js';
import { ADMIN_KEY, CONNECTIONS, DURATION, benchDatabase, gql, quantile, serverKey, startBenchServer, seedLiveCatalog } from './bench-support.mjs';

const ACCOUNTS = 100;
const FEATURES = ['api_calls', 'seats', 'export_csv'];
const CHANGES = Number(process.env.BENCH_LIVE_CHECK_CHANGES ?? 50);

async function seed(url) {
  await seedLiveCatalog(url, 1000000);
  await gql(url, ADMIN_KEY, `mutation { createAddOn(input: { key: "seat_pack", name: "Seats", price: { amount: 500, currency: "USD" },
    grants: [{ feature: "seats", limitIncrement: 1 }] }) { key } }`);
  for (let start = 0; start < ACCOUNTS; start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, ACCOUNTS - start) }, (_, i) =>
      gql(url, ADMIN_KEY, 'mutation ($id: ID!) { upsertAccount(input: { id: $id, name: "bench" }) { id } }', { id: `check-${start + i}` })
        // A subscription, so that add-ons can be bought (the changes of part 3).
        .then(() => gql(url, ADMIN_KEY, 'mutation ($id: ID!) { changePlan(input: { accountId: $id, plan: "pro" }) { id } }', { id: `check-${start + i}` }))));
  }
}

/** A client whose HTTP requests are counted. */
function countedClient(url, apiKey, live) {
  const counter = { requests: 0 };
  const client = createTollgate({
    url, apiKey, live, timeoutMs: 10_000,
    fetch: (input, init) => {
      counter.requests += 1;
      return fetch(input, init);
    },
  });
  return { client, counter };
}

const question = (n) => [`check-${n % ACCOUNTS}`, FEATURES[n % FEATURES.length]];

/** `workers` loops of awaited checks for `seconds`; every 16th call is timed. */
async function drive(client, workers, seconds) {
  const latencies = [];
  let done = 0;
  let denied = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, worker) => {
    for (let n = worker; performance.now() < end; n += workers) {
      const [accountId, feature] = question(n);
      if ((n & 15) === 0) {
        const started = performance.now();
        const decision = await client.check(accountId, feature);
        latencies.push(performance.now() - started);
        if (!decision.allowed) denied += 1;
      } else {
        const decision = await client.check(accountId, feature);
        if (!decision.allowed) denied += 1;
      }
      done += 1;
    }
  }));
  if (denied) throw new Error(`${denied} checks were refused: the bench's accounts should be allowed everything`);
  latencies.sort((a, b) => a - b);
  return { perSecond: done / seconds, done, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

const time = (ms) => (ms >= 1 ? `${ms.toFixed(1).padStart(6)} ms` : `${(ms * 1000).toFixed(2).padStart(6)} µs`);
const line = (label, result) =>
  `${label.padEnd(42)} ${String(Math.round(result.perSecond)).padStart(10)} checks/s   p50 ${time(result.p50)}   p99 ${time(result.p99)}`;

const database = await benchDatabase();
const server = await startBenchServer(database.url);
let http;
let live;
try {
  await seed(server.url);
  const apiKey = await serverKey(server.url);
  http = countedClient(server.url, apiKey, false);
  live = countedClient(server.url, apiKey, { maxAccounts: ACCOUNTS });

  // Warm the server's caches and the HTTP client's connections alike.
  await drive(http.client, CONNECTIONS, 2);
  const overHttp = await drive(http.client, CONNECTIONS, DURATION);

  for (let n = 0; n < ACCOUNTS; n += 1) await live.client.check(`check-${n}`, 'seats');
  const synced = performance.now() + 10_000;
  while (live.client.liveStats().synced < ACCOUNTS) {
    if (performance.now() > synced) throw new Error(`only ${live.client.liveStats().synced} of ${ACCOUNTS} accounts synced in 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const askedBefore = live.counter.requests;
  await drive(live.client, 1, 1);
  const fromMemory = await drive(live.client, 1, DURATION);
  if (live.counter.requests !== askedBefore) throw new Error(`live checks sent ${live.counter.requests - askedBefore} requests; they must answer from memory`);

  // A change's way to memory: setAddOn through the API, then check (no request) until it shows.
  const reached = [];
  for (let i = 0; i < CHANGES; i += 1) {
    const accountId = `check-${i % ACCOUNTS}`;
    const quantity = Math.floor(i / ACCOUNTS) + 1;
    const sent = performance.now();
    await gql(server.url, ADMIN_KEY, 'mutation ($id: ID!, $q: Int!) { setAddOn(accountId: $id, addOn: "seat_pack", quantity: $q) { id } }', { id: accountId, q: quantity });
    const deadline = sent + 5000;
    while ((await live.client.check(accountId, 'seats')).limit !== 20 + quantity) {
      if (performance.now() > deadline) throw new Error(`the change to ${accountId} did not reach check within 5 s`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    reached.push(performance.now() - sent);
  }
  if (live.counter.requests !== askedBefore) throw new Error('checks asked Tollgate while following changes');
  reached.sort((a, b) => a - b);
  const stats = live.client.liveStats();

  console.log(`\nLive check: @tollgate/sdk/server check(), ${ACCOUNTS} accounts x ${FEATURES.length} features, ${DURATION} s each, server NODE_ENV=production on PostgreSQL`);
  console.log(line(`check over HTTP (${CONNECTIONS} in flight)`, overHttp));
  console.log(line('check with live: true (from memory)', fromMemory));
  console.log(`ratio live / HTTP: ${Math.round(fromMemory.perSecond / overHttp.perSecond)}x  (aim: >= 100x); ${fromMemory.done} live checks sent 0 requests`);
  console.log(`setAddOn through the API -> check shows it (no request)   p50 ${time(quantile(reached, 0.5))}   p99 ${time(quantile(reached, 0.99))}   (${CHANGES} changes)`);
  console.log(`memory: ${stats.accounts} accounts kept (bound ${stats.maxAccounts}) on ${stats.sockets} socket(s), ${stats.pushes} pushes received\n`);
} finally {
  await live?.client.close();
  await http?.client.close();
  await server.stop();
  await database.drop();
}

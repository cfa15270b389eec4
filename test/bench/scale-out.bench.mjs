// npm run bench, part 5: running more than one process. In one run, on the same PostgreSQL:
//  - 1 Tollgate process with a direct connection;
//  - 4 Tollgate processes through Debian's pgbouncer in transaction mode (LISTEN direct),
//    the load split evenly across them (one autocannon per process, running together).
// Each serves consume (spread over 1,000 accounts) and the entitlement read, at the same total
// number of connections. Figures are printed, not asserted; on a machine with fewer cores than
// processes the four share the cores, which the figures show. Everything runs against 127.0.0.1.
import { startPgBouncer } from '../support/pgbouncer.ts';
import { ADMIN_KEY, benchDatabase, CONNECTIONS, gql, load, row, serverKey, startBenchServer } from './bench-support.mjs';

const ACCOUNTS = 1000;
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 4);
const databaseServer = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function seed(url) {
  await gql(url, ADMIN_KEY, 'mutation { createFeature(input: { key: "api_calls", name: "API calls", kind: METERED }) { key } }');
  await gql(url, ADMIN_KEY, 'mutation { createFeature(input: { key: "export_csv", name: "CSV export", kind: SWITCH }) { key } }');
  await gql(url, ADMIN_KEY, 'mutation { createPlan(input: { key: "pro", name: "Pro", rank: 1, isDefault: true }) { key } }');
  await gql(url, ADMIN_KEY, `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 2900, currency: "USD" },
    entitlements: [{ feature: "api_calls", limit: 2000000000 }, { feature: "export_csv" }] }) { version } }`);
  await gql(url, ADMIN_KEY, 'mutation { publishPlanVersion(plan: "pro", version: 1) { status } }');
  for (let start = 0; start < ACCOUNTS; start += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, i) =>
      gql(url, ADMIN_KEY, 'mutation ($id: ID!) { upsertAccount(input: { id: $id, name: "bench" }) { id } }', { id: `acct-${start + i}` })));
  }
  return serverKey(url);
}

let sequence = 0;
const account = () => `acct-${Math.floor(Math.random() * ACCOUNTS)}`;
const consumeBody = () => JSON.stringify({
  query: 'mutation ($input: ConsumeInput!) { consume(input: $input) { ok entitlement { used remaining } } }',
  variables: { input: { accountId: account(), feature: 'api_calls', idempotencyKey: `k-${process.pid}-${sequence++}` } },
});
const readBody = () => JSON.stringify({
  query: 'query ($id: ID!) { entitlement(accountId: $id, feature: "export_csv") { allowed reason plan { key } } }',
  variables: { id: account() },
});

/** The same load split over `urls`, run together; the sum of their throughput and the mean of their latencies. */
async function spread(urls, key, title, body) {
  const results = await Promise.all(urls.map((url) => load(url, key, title, body, { connections: Math.max(1, Math.round(CONNECTIONS / urls.length)), timeout: 60 })));
  const mean = (pick) => Math.round(results.reduce((sum, result) => sum + pick(result), 0) / results.length);
  return { rps: results.reduce((sum, result) => sum + result.requests.average, 0), p50: mean((result) => result.latency.p50), p99: mean((result) => result.latency.p99) };
}

/** Warm every account's cached state, then measure consume and the read. */
async function measure(urls, key) {
  await spread(urls, key, 'warm-up', readBody, undefined);
  return { consume: await spread(urls, key, 'consume, 1,000 accounts', consumeBody), read: await spread(urls, key, 'entitlement read', readBody) };
}

const database = await benchDatabase();
const bouncer = await startPgBouncer(databaseServer, { poolSize: 40 });
const servers = [];
try {
  const name = new URL(database.url).pathname.slice(1);
  servers.push(await startBenchServer(database.url));
  const key = await seed(servers[0].url);
  const alone = await measure([servers[0].url], key);
  await servers.shift().stop();

  const pooled = { DATABASE_URL: bouncer.url(name), TOLLGATE_LISTEN_URL: database.url, TOLLGATE_DB_POOL_MAX: '10' };
  for (let index = 0; index < PROCESSES; index++) servers.push(await startBenchServer(bouncer.url(name), { env: pooled }));
  const many = await measure(servers.map((server) => server.url), key);

  const line = (label, result) => row(label, result.rps, result.p50, result.p99);
  console.log(`\nRunning more than one process: ${CONNECTIONS} connections in all, on PostgreSQL (pgbouncer ${bouncer.port}, transaction pooling)`);
  console.log(line('consume, 1 process direct', alone.consume));
  console.log(line(`consume, ${PROCESSES} via PgBouncer`, many.consume));
  console.log(line('entitlement, 1 process direct', alone.read));
  console.log(line(`entitlement, ${PROCESSES} via PgBouncer`, many.read));
  console.log(`ratio ${PROCESSES} via PgBouncer / 1 direct: consume ${(many.consume.rps / alone.consume.rps).toFixed(2)}   entitlement ${(many.read.rps / alone.read.rps).toFixed(2)}\n`);
} finally {
  for (const server of servers) await server.stop();
  await bouncer.stop();
  await database.drop();
}

// npm run bench, part 1: the entitlement read path against two ceilings in the same run: a bare
// Apollo Server 5 on Fastify answering `{ __typename }` (its own process: what the stack costs with
// nothing of Tollgate in it), and `{ __typename }` on Tollgate itself (auth and plugins, no
// resolver). Figures are printed, not asserted: speed is measured, not tested.
import { ADMIN_KEY, benchDatabase, CONNECTIONS, DURATION, gql, load, row, serverKey, startBareApollo, startBenchServer } from './bench-support.mjs';

const FIXED_RATE = Number(process.env.BENCH_RATE ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function seed(url) {
  for (const feature of [
    { key: 'api_calls', name: 'API calls', kind: 'METERED' },
    { key: 'export_csv', name: 'CSV export', kind: 'SWITCH' },
  ]) await gql(url, ADMIN_KEY, 'mutation ($input: CreateFeatureInput!) { createFeature(input: $input) { key } }', { input: feature });
  await gql(url, ADMIN_KEY, 'mutation { createPlan(input: { key: "pro", name: "Pro", rank: 1 }) { key } }');
  await gql(url, ADMIN_KEY, `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 2900, currency: "USD" },
    entitlements: [{ feature: "api_calls", limit: 100000 }, { feature: "export_csv" }] }) { version } }`);
  await gql(url, ADMIN_KEY, 'mutation { publishPlanVersion(plan: "pro", version: 1) { status } }');
  await gql(url, ADMIN_KEY, 'mutation { upsertAccount(input: { id: "bench", name: "Bench" }) { id } }');
  await gql(url, ADMIN_KEY, 'mutation { changePlan(input: { accountId: "bench", plan: "pro" }) { id } }');
  await gql(url, ADMIN_KEY, `mutation { grantOverride(input: { accountId: "bench", feature: "api_calls", effect: ADD_LIMIT,
    value: 10, permanent: true, reason: "bench", approvedBy: "bench" }) { id } }`);
  return serverKey(url);
}

const database = await benchDatabase();
const server = await startBenchServer(database.url);
const bare = await startBareApollo();
try {
  const key = await seed(server.url);
  const typename = JSON.stringify({ query: '{ __typename }' });
  const query = '{ entitlement(accountId: "bench", feature: "api_calls") { allowed reason limit used remaining resetsAt plan { key version } } }';
  const entitlement = JSON.stringify({ query });
  // Answers must be right before they are fast.
  const check = await gql(server.url, key, query);
  if (!check.entitlement.allowed || check.entitlement.limit !== 100010) throw new Error(`unexpected answer ${JSON.stringify(check)}`);

  await load(bare.url, key, 'warm-up', typename, { duration: 3 });
  await load(server.url, key, 'warm-up', typename, { duration: 3 });
  await load(server.url, key, 'warm-up', entitlement, { duration: 3 });
  // Alternate the three in rounds: on a shared two-core machine the throughput drifts by 10-20%
  // between runs, and alternating keeps that drift out of the ratios. The median round is reported.
  const rounds = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const ceiling = await load(bare.url, key, 'bare Apollo { __typename }', typename);
    const baseline = await load(server.url, key, '__typename', typename);
    const read = await load(server.url, key, 'entitlement', entitlement);
    rounds.push({ ceiling, baseline, read, ratio: read.requests.average / ceiling.requests.average });
  }
  rounds.sort((a, b) => a.ratio - b.ratio);
  const { ceiling, baseline, read } = rounds[Math.floor(rounds.length / 2)];
  // Latency under a steady load below saturation: at full speed 50 connections queue behind
  // each other on two cores, and p99 measures the queue, not the service.
  const steadyBaseline = await load(server.url, key, '__typename at a fixed rate', typename, { overallRate: FIXED_RATE });
  const steadyRead = await load(server.url, key, 'entitlement at a fixed rate', entitlement, { overallRate: FIXED_RATE });
  const line = (label, result) => row(label, result.requests.average, result.latency.p50, result.latency.p99);
  console.log(`\nEntitlement read path: ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION} s each, server NODE_ENV=${process.env.BENCH_NODE_ENV ?? 'production'} on PostgreSQL`);
  console.log(line('bare Apollo { __typename } (ceiling)', ceiling));
  console.log(line('Tollgate { __typename }', baseline));
  console.log(line('entitlement(...)', read));
  console.log(`ratio entitlement / bare Apollo: ${(read.requests.average / ceiling.requests.average).toFixed(2)} (median round; rounds: ${rounds.map((r) => r.ratio.toFixed(2)).join(', ')})  (aim: >= 0.85)`);
  console.log(`ratio entitlement / Tollgate { __typename }: ${(read.requests.average / baseline.requests.average).toFixed(2)}`);
  console.log(`\nSteady load: ${FIXED_RATE} req/s over ${CONNECTIONS} connections (aim: p99 < 5 ms)`);
  console.log(line('{ __typename } (baseline)', steadyBaseline));
  console.log(line('entitlement(...)', steadyRead));
  console.log('');
} finally {
  await bare.stop();
  await server.stop();
  await database.drop();
}

// npm run bench, part 4: compareEntitlement (shadow mode) beside the plain entitlement query it
// evaluates like, on the same server in the same run, plus the SDK's batched form. Figures are
// printed, not asserted; the run refuses to print unless every answered comparison was recorded.
import pg from 'pg';
import { ADMIN_KEY, benchDatabase, CONNECTIONS, DURATION, gql, load, row, serverKey, startBenchServer } from './bench-support.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 100;

async function seed(url) {
  await gql(url, ADMIN_KEY, 'mutation { createFeature(input: { key: "api_calls", name: "API calls", kind: METERED }) { key } }');
  await gql(url, ADMIN_KEY, 'mutation { createPlan(input: { key: "pro", name: "Pro", rank: 1 }) { key } }');
  await gql(url, ADMIN_KEY, `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 2900, currency: "USD" },
    entitlements: [{ feature: "api_calls", limit: 100000 }] }) { version } }`);
  await gql(url, ADMIN_KEY, 'mutation { publishPlanVersion(plan: "pro", version: 1) { status } }');
  await gql(url, ADMIN_KEY, 'mutation { upsertAccount(input: { id: "bench", name: "Bench" }) { id } }');
  await gql(url, ADMIN_KEY, 'mutation { changePlan(input: { accountId: "bench", plan: "pro" }) { id } }');
  return serverKey(url);
}

const database = await benchDatabase();
const server = await startBenchServer(database.url);
let stopped = false;
try {
  const key = await seed(server.url);
  const read = JSON.stringify({
    query: 'query ($a: ID!, $f: String!) { entitlement(accountId: $a, feature: $f) { allowed reason limit used remaining } }',
    variables: { a: 'bench', f: 'api_calls' },
  });
  const compareQuery = 'mutation ($input: CompareEntitlementInput!) { compareEntitlement(input: $input) { allowed reason limit used remaining agreed disagreement } }';
  const compare = JSON.stringify({ query: compareQuery, variables: { input: { accountId: 'bench', feature: 'api_calls', legacyAllowed: true, legacyLimit: 100000 } } });
  const batch = JSON.stringify({
    query: 'mutation ($inputs: [CompareEntitlementInput!]!) { compareEntitlements(inputs: $inputs) { compared failed } }',
    variables: { inputs: Array.from({ length: BATCH }, () => ({ accountId: 'bench', feature: 'api_calls', legacyAllowed: true, legacyLimit: 100000 })) },
  });
  // Answers must be right before they are fast.
  const check = await gql(server.url, key, compareQuery, JSON.parse(compare).variables);
  if (!check.compareEntitlement.agreed || check.compareEntitlement.limit !== 100000) throw new Error(`unexpected answer ${JSON.stringify(check)}`);
  let answered = 1;

  await load(server.url, key, 'warm-up', read, { duration: 3 });
  answered += (await load(server.url, key, 'warm-up', compare, { duration: 3 }))['2xx'];
  // Alternated in rounds, as in part 1: throughput drifts between runs on a shared two-core machine.
  const rounds = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const plain = await load(server.url, key, 'entitlement', read);
    const shadow = await load(server.url, key, 'compareEntitlement', compare);
    answered += shadow['2xx'];
    rounds.push({ plain, shadow, ratio: shadow.requests.average / plain.requests.average });
  }
  rounds.sort((a, b) => a.ratio - b.ratio);
  const { plain, shadow } = rounds[Math.floor(rounds.length / 2)];
  const batched = await load(server.url, key, 'compareEntitlements', batch);
  answered += batched['2xx'] * BATCH;

  // SIGTERM closes the server, which writes every comparison still buffered.
  await server.stop();
  stopped = true;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows: [{ count }] } = await client.query('select count(*)::int as count from shadow_comparison');
  await client.end();
  // Requests still in flight when a run ends are recorded without being counted as answered.
  const inFlight = CONNECTIONS * (2 + ROUNDS) + CONNECTIONS * BATCH;
  if (count < answered || count > answered + inFlight) throw new Error(`${answered} comparisons answered, ${count} recorded`);

  const line = (label, result) => row(label, result.requests.average, result.latency.p50, result.latency.p99);
  console.log(`\nShadow mode: ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION} s each, server NODE_ENV=${process.env.BENCH_NODE_ENV ?? 'production'} on PostgreSQL`);
  console.log(line('entitlement(...)', plain));
  console.log(line('compareEntitlement(...)', shadow));
  console.log(`ratio compareEntitlement / entitlement: ${(shadow.requests.average / plain.requests.average).toFixed(2)} (median round; rounds: ${rounds.map((r) => r.ratio.toFixed(2)).join(', ')})`);
  console.log(`${line(`compareEntitlements, ${BATCH} per call`, batched)}   = ${Math.round(batched.requests.average * BATCH)} comparisons/s`);
  console.log(`recorded: ${count} rows for ${answered} answered comparisons (the rest were in flight when a run ended)\n`);
} finally {
  if (!stopped) await server.stop();
  await database.drop();
}

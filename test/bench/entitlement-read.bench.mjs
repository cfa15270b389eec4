// npm run bench: the entitlement read path against `{ __typename }` on the same server, in the
// same run. The server runs as its own process on a fresh PostgreSQL database; autocannon
// drives it over loopback. Figures are printed, not asserted: speed is measured, not tested.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ADMIN_KEY = `bench-admin-${randomBytes(16).toString('hex')}`;
const databaseServer = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function admin(sql) {
  const client = new pg.Client({ connectionString: databaseServer });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

function startServer(databaseUrl) {
  const main = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', NODE_ENV: process.env.BENCH_NODE_ENV ?? 'production', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl,
      TOLLGATE_ADMIN_KEY: ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /GraphQL:\s+(http:\/\/\S+\/graphql)/.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function gql(url, key, query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

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
  const { createApiKey } = await gql(url, ADMIN_KEY, 'mutation { createApiKey(input: { name: "bench", role: SERVER }) { secret } }');
  return createApiKey.secret;
}

const FIXED_RATE = Number(process.env.BENCH_RATE ?? 1000);

function run(url, key, query, title, extra = {}) {
  return new Promise((resolve, reject) => {
    autocannon({
      url, method: 'POST', connections: CONNECTIONS, duration: DURATION, title, ...extra,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query }),
    }, (error, result) => {
      if (error) return reject(error);
      if (result.non2xx || result.errors) return reject(new Error(`${title}: ${result.non2xx} non-2xx, ${result.errors} errors`));
      resolve(result);
    });
  });
}

const name = `tollgate_bench_${randomBytes(4).toString('hex')}`;
await admin(`create database ${name}`);
const databaseUrl = Object.assign(new URL(databaseServer), { pathname: `/${name}` }).toString();
const server = await startServer(databaseUrl);
try {
  const key = await seed(server.url);
  const typename = '{ __typename }';
  const entitlement = '{ entitlement(accountId: "bench", feature: "api_calls") { allowed reason limit used remaining resetsAt plan { key version } } }';
  // Answers must be right before they are fast.
  const check = await gql(server.url, key, entitlement);
  if (!check.entitlement.allowed || check.entitlement.limit !== 100010) throw new Error(`unexpected answer ${JSON.stringify(check)}`);

  await run(server.url, key, typename, 'warm-up');
  const baseline = await run(server.url, key, typename, '__typename');
  const read = await run(server.url, key, entitlement, 'entitlement');
  // Latency under a steady load below saturation: at full speed 50 connections queue behind
  // each other on two cores, and p99 measures the queue, not the service.
  const steadyBaseline = await run(server.url, key, typename, '__typename at a fixed rate', { overallRate: FIXED_RATE });
  const steadyRead = await run(server.url, key, entitlement, 'entitlement at a fixed rate', { overallRate: FIXED_RATE });
  const row = (label, result) =>
    `${label.padEnd(28)} ${String(Math.round(result.requests.average)).padStart(8)} req/s   p50 ${String(result.latency.p50).padStart(3)} ms   p99 ${String(result.latency.p99).padStart(3)} ms`;
  console.log(`\nEntitlement read path: ${CONNECTIONS} connections, ${DURATION} s each, server NODE_ENV=production on PostgreSQL`);
  console.log(row('{ __typename } (baseline)', baseline));
  console.log(row('entitlement(...)', read));
  console.log(`ratio entitlement / baseline: ${(read.requests.average / baseline.requests.average).toFixed(2)}  (aim: >= 0.85)`);
  console.log(`\nSteady load: ${FIXED_RATE} req/s over ${CONNECTIONS} connections (aim: p99 < 5 ms)`);
  console.log(row('{ __typename } (baseline)', steadyBaseline));
  console.log(row('entitlement(...)', steadyRead));
  console.log('');
} finally {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.on('exit', resolve));
  await admin(`drop database if exists ${name} with (force)`);
}

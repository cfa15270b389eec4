// Shared by the benches: a fresh PostgreSQL database, the server as its own process, GraphQL
// over fetch, and autocannon runs that fail loudly on any non-2xx answer or GraphQL error.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
export const ADMIN_KEY = `bench-admin-${randomBytes(16).toString('hex')}`;
const databaseServer = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function admin(sql) {
  const client = new pg.Client({ connectionString: databaseServer });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

/** Creates a database of its own; returns its URL and a function that drops it. */
export async function benchDatabase() {
  const name = `tollgate_bench_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = Object.assign(new URL(databaseServer), { pathname: `/${name}` }).toString();
  return { url, drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/**
 * Starts `server/dist/main.js` (or BENCH_SERVER_MAIN, to compare with another build) on that
 * database; resolves with its GraphQL URL and a stop function. `heapProbe` preloads
 * test/support/heap-probe.mjs, and the result's `heapUsedAfterGC()` asks the process for its heap.
 */
export function startBenchServer(databaseUrl, { heapProbe = false, env = {} } = {}) {
  const main = process.env.BENCH_SERVER_MAIN ?? fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
  return startGraphQLProcess(main, { DATABASE_URL: databaseUrl, TOLLGATE_ADMIN_KEY: ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off', ...env }, { heapProbe });
}

/** CPU time (user + system) the process `pid` has used so far, in milliseconds (Linux /proc). */
export async function cpuMs(pid) {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** Starts the bare Apollo Server ceiling (bare-apollo-server.mjs) as its own process. */
export function startBareApollo() {
  return startGraphQLProcess(fileURLToPath(new URL('./bare-apollo-server.mjs', import.meta.url)), {});
}

/** Starts a script that prints `GraphQL: <url>` once it listens; resolves with that URL and a stop function. */
function startGraphQLProcess(script, env, { heapProbe = false } = {}) {
  const probe = fileURLToPath(new URL('../support/heap-probe.mjs', import.meta.url));
  const child = spawn(process.execPath, [...(heapProbe ? ['--expose-gc', '--import', probe] : []), script], {
    env: { ...process.env, PORT: '0', NODE_ENV: process.env.BENCH_NODE_ENV ?? 'production', LOG_LEVEL: 'warn', ...env },
    stdio: heapProbe ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const heapUsedAfterGC = () => new Promise((resolve) => {
    const onMessage = (message) => {
      if (message?.type !== 'heap') return;
      child.off('message', onMessage);
      resolve(message.heapUsed);
    };
    child.on('message', onMessage);
    child.send({ type: 'heap' });
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /GraphQL:\s+(http:\/\/\S+\/graphql)/.exec(output);
      if (match) resolve({ url: match[1], pid: child.pid, heapUsedAfterGC, stop: () => { child.kill('SIGTERM'); return exited; } });
    });
    exited.then((code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** The value at quantile `q` of sorted numbers. */
export function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** One GraphQL request; throws on errors. */
export async function gql(url, key, query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A server key for the bench. */
export async function serverKey(url) {
  const { createApiKey } = await gql(url, ADMIN_KEY, 'mutation { createApiKey(input: { name: "bench", role: SERVER }) { secret } }');
  return createApiKey.secret;
}

/**
 * Runs autocannon against the GraphQL endpoint. `body` is a string, or a function returning a
 * fresh body per request (unique idempotency keys). `check(json)` may reject a wrong answer.
 */
export function load(url, key, title, body, extra = {}) {
  let wrong = 0;
  return new Promise((resolve, reject) => {
    const options = {
      url, method: 'POST', connections: CONNECTIONS, duration: DURATION, title, ...extra,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    };
    const onResponse = (_status, responseBody) => {
      if (responseBody && String(responseBody).includes('"errors"')) wrong += 1;
    };
    options.requests = [
      typeof body === 'function'
        ? { setupRequest: (request) => ({ ...request, body: body() }), onResponse }
        : { body, onResponse },
    ];
    autocannon(options, (error, result) => {
      if (error) return reject(error);
      if (result.non2xx || result.errors || wrong) {
        return reject(new Error(`${title}: ${result.non2xx} non-2xx, ${result.errors} errors, ${wrong} GraphQL errors`));
      }
      resolve(result);
    });
  });
}

/** The live benches' subscription: every decision of one account, with the fields a frontend reads. */
export const LIVE_SUBSCRIPTION = `subscription ($accountId: ID!) { entitlementsChanged(accountId: $accountId) {
  accountId at entitlements { feature allowed reason limit used remaining asOf } } }`;

/** The live benches' catalog: api_calls (up to `apiCallsLimit`), 20 seats and CSV export on one default plan, pro. */
export async function seedLiveCatalog(url, apiCallsLimit) {
  await gql(url, ADMIN_KEY, 'mutation { createFeature(input: { key: "api_calls", name: "API calls", kind: METERED }) { key } }');
  await gql(url, ADMIN_KEY, 'mutation { createFeature(input: { key: "seats", name: "Seats", kind: QUANTITY }) { key } }');
  await gql(url, ADMIN_KEY, 'mutation { createFeature(input: { key: "export_csv", name: "Export", kind: SWITCH }) { key } }');
  await gql(url, ADMIN_KEY, 'mutation { createPlan(input: { key: "pro", name: "Pro", rank: 1, isDefault: true }) { key } }');
  await gql(url, ADMIN_KEY, `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 2900, currency: "USD" },
    entitlements: [{ feature: "api_calls", limit: ${apiCallsLimit} }, { feature: "seats", limit: 20 }, { feature: "export_csv" }] }) { version } }`);
  await gql(url, ADMIN_KEY, 'mutation { publishPlanVersion(plan: "pro", version: 1) { status } }');
}

/** One line of figures. */
export function row(label, requestsPerSecond, p50, p99) {
  return `${label.padEnd(34)} ${String(Math.round(requestsPerSecond)).padStart(8)} req/s   p50 ${String(p50).padStart(5)} ms   p99 ${String(p99).padStart(5)} ms`;
}

/**
 * The metering benches' catalog: a METERED `api_calls` on a default plan `pro` with `limit` a
 * month, and `accounts` accounts `acct-0`…; resolves with a server key.
 */
export async function seedMetered(url, { accounts, limit }) {
  await gql(url, ADMIN_KEY, 'mutation { createFeature(input: { key: "api_calls", name: "API calls", kind: METERED }) { key } }');
  await gql(url, ADMIN_KEY, 'mutation { createPlan(input: { key: "pro", name: "Pro", rank: 1, isDefault: true }) { key } }');
  await gql(url, ADMIN_KEY, `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 2900, currency: "USD" },
    entitlements: [{ feature: "api_calls", limit: ${limit}, period: MONTH }] }) { version } }`);
  await gql(url, ADMIN_KEY, 'mutation { publishPlanVersion(plan: "pro", version: 1) { status } }');
  for (let start = 0; start < accounts; start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, accounts - start) }, (_, i) =>
      gql(url, ADMIN_KEY, 'mutation ($id: ID!) { upsertAccount(input: { id: $id, name: "bench" }) { id } }', { id: `acct-${start + i}` })));
  }
  return serverKey(url);
}

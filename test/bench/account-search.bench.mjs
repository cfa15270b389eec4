// npm run bench, part 8: finding accounts (`accounts(search, plan, phase)`) among 100,000, beside a
// plain lookup by id (`account(id)`, the primary key) in the same run, on PostgreSQL and on the
// embedded database. One request at a time, as a person types into the console's search box;
// p50 and p95 are printed with the ratio to the lookup. The target: search p95 < 50 ms.
// Answers are checked before they are timed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { ADMIN_KEY, benchDatabase, gql, quantile, startBenchServer } from './bench-support.mjs';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 20);
const SEARCH = `query ($search: String, $plan: String, $phase: SubscriptionPhase, $sort: AccountSort, $descending: Boolean, $hasActiveOverrides: Boolean) {
  accounts(search: $search, plan: $plan, phase: $phase, sort: $sort, descending: $descending, hasActiveOverrides: $hasActiveOverrides, first: 20) { edges { node { id name } } } }`;
const LOOKUP = 'query ($id: ID!) { account(id: $id) { id name } }';

/** What people type: a rare name, a word thousands share, a metadata value, a short prefix, a customer id, filters. */
const searches = [
  { label: 'rare name ("zephyr")', variables: { search: 'zephyr' }, expect: (ids) => ids.includes('acct-77777') },
  { label: 'id part ("acct-4242")', variables: { search: 'acct-4242' }, expect: (ids) => ids[0] === 'acct-4242' },
  { label: 'common word ("labs")', variables: { search: 'labs' }, expect: (ids) => ids.length === 20 },
  { label: 'metadata value ("jane doe 31")', variables: { search: 'jane doe 31' }, expect: (ids) => ids.length > 0 },
  { label: 'prefix, 2 chars ("ac")', variables: { search: 'ac' }, expect: (ids) => ids.length === 20 },
  { label: 'customer id ("cus_Bench5000")', variables: { search: 'cus_Bench5000' }, expect: (ids) => ids[0] === 'acct-5000' },
  { label: 'plan + phase (pro, TRIAL)', variables: { plan: 'pro', phase: 'TRIAL' }, expect: (ids) => ids.length === 20 },
  { label: 'search + phase ("systems", ACTIVE)', variables: { search: 'systems', phase: 'ACTIVE' }, expect: (ids) => ids.length > 0 },
  { label: 'everyone by name, Z to A', variables: { sort: 'NAME', descending: true }, expect: (ids) => ids.length === 20 },
  { label: 'newest first', variables: { sort: 'CREATED', descending: true }, expect: (ids) => ids.length === 20 },
  { label: '"labs" by name', variables: { search: 'labs', sort: 'NAME' }, expect: (ids) => ids.length === 20 },
  { label: 'without an override in force', variables: { hasActiveOverrides: false }, expect: (ids) => ids.length === 20 },
];

/** Seeds the catalog through the API and 100,000 accounts in one SQL statement each kind (the API would take minutes). */
async function seed(url, sql) {
  await gql(url, ADMIN_KEY, 'mutation { createFeature(input: { key: "seats", name: "Seats", kind: QUANTITY }) { key } }');
  for (const [key, rank, isDefault] of [['free', 0, true], ['pro', 1, false]]) {
    await gql(url, ADMIN_KEY, `mutation { createPlan(input: { key: "${key}", name: "${key}", rank: ${rank}, isDefault: ${isDefault} }) { key } }`);
    await gql(url, ADMIN_KEY, `mutation { createPlanVersion(input: { plan: "${key}", price: { amount: ${rank * 2900}, currency: "USD" }, trialDays: 14,
      entitlements: [{ feature: "seats", limit: ${10 + rank * 10} }] }) { version } }`);
    await gql(url, ADMIN_KEY, `mutation { publishPlanVersion(plan: "${key}", version: 1) { status } }`);
  }
  const words = `array['Labs','Systems','Holdings','Partners','Group','Studio','Works','Foods','Logistics','Health']`;
  await sql(`insert into account (id, name, metadata, created_at, updated_at)
    select 'acct-' || g, initcap(md5(g::text)) || ' ' || (${words})[1 + g % 10],
      jsonb_build_object('owner', 'Jane Doe ' || (g % 1000), 'region', (array['EMEA','US','APAC'])[1 + g % 3], 'seats', g % 50),
      now(), now()
    from generate_series(1, ${ACCOUNTS}) g`);
  await sql(`update account set name = 'Zephyr Aeronautics' where id = 'acct-77777'`);
  await sql(`insert into subscription (id, account_id, plan_version_id, status, trial_ends_at, current_period_start, current_period_end, add_ons, billing_provider_ids, trialed_plan_keys, created_at, updated_at)
    select gen_random_uuid(), 'acct-' || g, (select pv.id from plan_version pv join plan p on p.id = pv.plan_id where p.key = 'pro'),
      (case when g % 3 = 0 then 'TRIALING' else 'ACTIVE' end)::subscription_status,
      case when g % 3 = 0 then now() + interval '10 days' end, now(), now() + interval '1 month', '[]', '{}', '[]', now(), now()
    from generate_series(1, ${ACCOUNTS}, 2) g`);
  await sql(`insert into billing_customer (customer_id, account_id, linked_by, linked_at) select 'cus_Bench' || g, 'acct-' || g, 'bench', now() from generate_series(1000, 9000, 1000) g`);
  await sql('analyze');
}

/** Times `rounds` sequential requests of each body; returns sorted latencies in ms. */
async function time(url, query, variables, rounds) {
  const latencies = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await gql(url, ADMIN_KEY, query, variables);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

const format = (ms) => ms.toFixed(1).padStart(6);

async function run(label, server, sql) {
  await seed(server.url, sql);
  for (const search of searches) {
    const ids = (await gql(server.url, ADMIN_KEY, SEARCH, search.variables)).accounts.edges.map((edge) => edge.node.id);
    if (!search.expect(ids)) throw new Error(`${label}: ${search.label} answered ${JSON.stringify(ids)}`);
  }
  // Warm both paths, then alternate them in rounds so drift on a shared machine hits both alike.
  await time(server.url, LOOKUP, { id: 'acct-1' }, 10);
  for (const search of searches) await time(server.url, SEARCH, search.variables, 3);
  const lookups = [];
  const bySearch = new Map(searches.map((search) => [search.label, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    lookups.push(...(await time(server.url, LOOKUP, { id: `acct-${1 + ((round * 7919) % ACCOUNTS)}` }, 1)));
    for (const search of searches) bySearch.get(search.label).push(...(await time(server.url, SEARCH, search.variables, 1)));
  }
  lookups.sort((a, b) => a - b);
  const lookupP95 = quantile(lookups, 0.95);
  console.log(`\n${label}: ${ACCOUNTS.toLocaleString('en')} accounts, ${ROUNDS} rounds, one request at a time`);
  console.log(`  ${'account(id) (primary key)'.padEnd(36)} p50 ${format(quantile(lookups, 0.5))} ms   p95 ${format(lookupP95)} ms`);
  let worst = 0;
  for (const [name, latencies] of bySearch) {
    latencies.sort((a, b) => a - b);
    const p95 = quantile(latencies, 0.95);
    worst = Math.max(worst, p95);
    console.log(`  ${name.padEnd(36)} p50 ${format(quantile(latencies, 0.5))} ms   p95 ${format(p95)} ms   ${(p95 / lookupP95).toFixed(2)}x the lookup`);
  }
  console.log(`  worst search p95 ${worst.toFixed(1)} ms (target < 50 ms): ${worst < 50 ? 'within' : 'OVER'}`);
}

// PostgreSQL.
{
  const database = await benchDatabase();
  const server = await startBenchServer(database.url);
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await run('PostgreSQL', server, (text) => client.query(text));
  } finally {
    await client.end();
    await server.stop();
    await database.drop();
  }
}

// The embedded database, when asked (BENCH_EMBEDDED=1): seeding goes through the server's own
// connection, since PGlite serves one process.
if (process.env.BENCH_EMBEDDED === '1') {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-bench-'));
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    import { loadConfig } from ${JSON.stringify(fileURLToPath(new URL('../../server/dist/config/index.js', import.meta.url)))};
    import { startServer } from ${JSON.stringify(fileURLToPath(new URL('../../server/dist/server.js', import.meta.url)))};
    const server = await startServer(loadConfig(process.env));
    process.on('message', async ({ id, sql }) => {
      try { await server.orm.em.fork().execute(sql); process.send({ id }); } catch (error) { process.send({ id, error: String(error) }); }
    });
    process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
    console.log('GraphQL: ' + server.graphqlUrl);
  `], { env: { ...process.env, PORT: '0', NODE_ENV: 'production', LOG_LEVEL: 'warn', TOLLGATE_DATA_DIR: dir, TOLLGATE_ADMIN_KEY: ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const url = await new Promise((resolve) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /GraphQL: (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
  });
  let next = 0;
  const sql = (text) => new Promise((resolve, reject) => {
    const id = next++;
    const onMessage = (message) => {
      if (message.id !== id) return;
      child.off('message', onMessage);
      if (message.error) reject(new Error(message.error)); else resolve();
    };
    child.on('message', onMessage);
    child.send({ id, sql: text });
  });
  try {
    await run('Embedded (PGlite)', { url }, sql);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

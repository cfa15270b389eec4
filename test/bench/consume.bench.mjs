// npm run bench, part 2: consume against its ceilings, a raw conditional UPDATE per request on the
// same PostgreSQL, measured in the same run: of one row (the hot account), and of 1,000 rows (the
// spread traffic). Tollgate coalesces concurrent consumes into one statement (group commit), which
// is how it can pass the per-request ceiling. Figures are printed, not asserted.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { benchDatabase, CONNECTIONS, DURATION, load, row, seedMetered, startBenchServer } from './bench-support.mjs';

const ACCOUNTS = 1000;
const LIMIT = 2_000_000_000;

async function seed(url) {
  return seedMetered(url, { accounts: ACCOUNTS, limit: LIMIT });
}

/** The ceiling: CONNECTIONS clients each running the conditional UPDATE of one of `rows` rows in a loop. */
async function rawCeiling(databaseUrl, rows) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CONNECTIONS });
  await pool.query('drop table if exists bench_counter');
  await pool.query('create table bench_counter (id int primary key, used int not null)');
  await pool.query('insert into bench_counter select i, 0 from generate_series(1, $1) as i', [rows]);
  const latencies = [];
  const deadline = performance.now() + DURATION * 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      await pool.query('update bench_counter set used = used + $1 where id = $3 and used + $1 <= $2 returning used', [1, LIMIT, 1 + Math.floor(Math.random() * rows)]);
      latencies.push(performance.now() - started);
    }
  }));
  await pool.end();
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  return { rps: latencies.length / DURATION, p50: at(0.5), p99: at(0.99) };
}

let sequence = 0;
const consumeBody = (account) => JSON.stringify({
  query: 'mutation ($input: ConsumeInput!) { consume(input: $input) { ok entitlement { used remaining } } }',
  variables: { input: { accountId: account(), feature: 'api_calls', idempotencyKey: `k-${process.pid}-${sequence++}` } },
});

const database = await benchDatabase();
const server = await startBenchServer(database.url);
try {
  const key = await seed(server.url);
  const ceiling = await rawCeiling(database.url, 1);
  const spreadCeiling = await rawCeiling(database.url, ACCOUNTS);
  // Warm every account's cached state first, so the spread run measures counting, not first reads.
  let next = 0;
  await load(server.url, key, 'warm-up', () => consumeBody(() => `acct-${next++ % ACCOUNTS}`), { amount: ACCOUNTS * 2, duration: 60 });
  const hot = await load(server.url, key, 'consume, one hot account', () => consumeBody(() => 'acct-1'));
  const spread = await load(server.url, key, 'consume, 1,000 accounts', () => consumeBody(() => `acct-${Math.floor(Math.random() * ACCOUNTS)}`));
  // Fast must still be exact: the hot counter equals its ledger rows, and covers every answer.
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows: [hotRow] } = await client.query(`select (select sum(used)::int from usage_counter where account_id = 'acct-1') as used,
    (select count(*)::int from usage_event where account_id = 'acct-1') as events`);
  await client.end();
  if (hotRow.used !== hotRow.events || hotRow.used < hot['2xx']) {
    throw new Error(`counter ${hotRow.used}, ledger ${hotRow.events}, answered ${hot['2xx']}`);
  }
  console.log(`\nConsume: ${CONNECTIONS} connections, ${DURATION} s each, on PostgreSQL`);
  console.log(row('raw conditional UPDATE, 1 row', ceiling.rps, ceiling.p50, ceiling.p99));
  console.log(row('consume, one hot account', hot.requests.average, hot.latency.p50, hot.latency.p99));
  console.log(row('raw conditional UPDATE, 1,000 rows', spreadCeiling.rps, spreadCeiling.p50, spreadCeiling.p99));
  console.log(row('consume, spread over 1,000 accounts', spread.requests.average, spread.latency.p50, spread.latency.p99));
  console.log(`ratio hot / its ceiling: ${(hot.requests.average / ceiling.rps).toFixed(2)} (aim >= 1.0)   spread / its ceiling: ${(spread.requests.average / spreadCeiling.rps).toFixed(2)}\n`);
} finally {
  await server.stop();
  await database.drop();
}

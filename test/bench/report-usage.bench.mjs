// npm run bench: reportUsage against its ceiling, the same work done set-based by hand on the
// same tables in the same run: per batch, one transaction that inserts the ledger rows with
// ON CONFLICT DO NOTHING on the idempotency key and adds their sum to each counter. Batches of
// 1,000 and of 10,000 events, sent one after another, then 4 clients at once. Figures are
// printed, not asserted; the bench fails if a counter does not equal its ledger.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { benchDatabase, seedMetered, startBenchServer } from './bench-support.mjs';

const ACCOUNTS = 100;
const EVENTS = Number(process.env.BENCH_REPORT_EVENTS ?? 100_000);
const REPORT = 'mutation ($events: [UsageEventInput!]!) { reportUsage(events: $events) { accepted refused duplicates failed } }';

async function seed(url) {
  return seedMetered(url, { accounts: ACCOUNTS, limit: 1_000_000_000_000 });
}

/** `count` events of `prefix`, spread over the accounts, as a host's batch would carry them. */
function events(prefix, from, count) {
  return Array.from({ length: count }, (_, i) => ({
    accountId: `acct-${(from + i) % ACCOUNTS}`, feature: 'api_calls', amount: 1 + ((from + i) % 3), idempotencyKey: `${prefix}-${from + i}`,
  }));
}

/** The ceiling: the set-based work by hand, on Tollgate's own usage_event and usage_counter. */
async function ceiling(databaseUrl, batch) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const periodStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
  const started = performance.now();
  for (let from = 0; from < EVENTS; from += batch) {
    const list = events(`ceiling-${batch}`, from, batch);
    await client.query('begin');
    await client.query(
      `with recorded as (
         insert into usage_event (account_id, feature_key, kind, amount, period_start, occurred_at, idempotency_key, fingerprint, result, actor)
         select account_id, 'api_calls', 'REPORT', amount, $4, now(), idempotency_key, md5(idempotency_key) || md5(idempotency_key),
                jsonb_build_object('used', amount, 'at', now()), 'bench'
         from unnest($1::text[], $2::bigint[], $3::text[]) as e(account_id, amount, idempotency_key)
         on conflict (account_id, idempotency_key, ledger_month) do nothing
         returning account_id, amount
       )
       insert into usage_counter as c (account_id, feature_key, period_start, used, updated_at)
       select account_id, 'api_calls', $4, sum(amount), now() from recorded group by account_id order by account_id
       on conflict (account_id, feature_key, period_start) do update set used = c.used + excluded.used, updated_at = excluded.updated_at`,
      [list.map((e) => e.accountId), list.map((e) => e.amount), list.map((e) => e.idempotencyKey), periodStart],
    );
    await client.query('commit');
  }
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return EVENTS / seconds;
}

/** reportUsage over HTTP: `clients` senders, each sending its share of EVENTS in batches of `batch`. */
async function tollgate(url, key, batch, clients, prefix) {
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    const share = EVENTS / clients;
    for (let from = client * share; from < (client + 1) * share; from += batch) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: REPORT, variables: { events: events(prefix, from, batch) } }),
      });
      const body = await response.json();
      if (body.errors || body.data.reportUsage.accepted !== batch) throw new Error(`reportUsage: ${JSON.stringify(body).slice(0, 500)}`);
    }
  }));
  return EVENTS / ((performance.now() - started) / 1000);
}

const database = await benchDatabase();
const server = await startBenchServer(database.url);
try {
  const key = await seed(server.url);
  // One small batch first, so the server's caches and compiled statements are warm for all runs.
  await tollgate(server.url, key, 1000, 1, 'warm-up').catch(() => {});
  const rows = [];
  for (const batch of [1000, 10_000]) {
    const ceilingRate = await ceiling(database.url, batch);
    const rate = await tollgate(server.url, key, batch, 1, `seq-${batch}`);
    rows.push([`batches of ${batch.toLocaleString('en')}`, rate, ceilingRate]);
  }
  const concurrent = await tollgate(server.url, key, 1000, 4, 'four');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows: [check] } = await client.query(`select (select sum(used)::bigint from usage_counter) as used, (select sum(amount)::bigint from usage_event) as amount`);
  await client.end();
  if (check.used !== check.amount) throw new Error(`counters ${check.used}, ledger ${check.amount}`);
  console.log(`\nreportUsage: ${EVENTS.toLocaleString('en')} events per run over ${ACCOUNTS} accounts, on PostgreSQL (events/s)`);
  for (const [label, rate, ceilingRate] of rows) {
    console.log(`${label.padEnd(22)} tollgate ${String(Math.round(rate)).padStart(8)}   set-based by hand ${String(Math.round(ceilingRate)).padStart(8)}   ratio ${(rate / ceilingRate).toFixed(2)}  (aim >= 0.30)`);
  }
  console.log(`${'4 clients, 1,000 each'.padEnd(22)} tollgate ${String(Math.round(concurrent)).padStart(8)}   ratio to one client's 1,000-batches ${(concurrent / rows[0][1]).toFixed(2)}\n`);
} finally {
  await server.stop();
  await database.drop();
}

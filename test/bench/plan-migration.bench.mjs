// npm run bench, part 4: a plan migration of 100,000 accounts on PostgreSQL (seeded with SQL),
// previewed and run through the API, beside the ceiling: a plain UPDATE … SET plan_version_id of
// the same rows in the same run. Figures are printed, not asserted; the bench refuses to print
// unless the migration moved every account exactly once.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ADMIN_KEY, benchDatabase, gql, startBenchServer } from './bench-support.mjs';

const ACCOUNTS = Number(process.env.BENCH_MIGRATION_ACCOUNTS ?? 100_000);
const PAGE = 1000;

async function seedCatalog(url) {
  for (const [key, kind] of [['export_csv', 'SWITCH'], ['sso', 'SWITCH'], ['seats', 'QUANTITY'], ['projects', 'QUANTITY'], ['api_calls', 'METERED']]) {
    await gql(url, ADMIN_KEY, 'mutation ($input: CreateFeatureInput!) { createFeature(input: $input) { key } }', { input: { key, name: key, kind } });
  }
  await gql(url, ADMIN_KEY, 'mutation { createPlan(input: { key: "pro", name: "Pro", rank: 1 }) { key } }');
  await gql(url, ADMIN_KEY, `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 2900, currency: "USD" }, entitlements: [
    { feature: "export_csv" }, { feature: "seats", limit: 20 }, { feature: "projects", limit: 10 }, { feature: "api_calls", limit: 10000 }] }) { version } }`);
  await gql(url, ADMIN_KEY, `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 3900, currency: "USD" }, entitlements: [
    { feature: "sso" }, { feature: "seats", limit: 10 }, { feature: "projects", limit: 10 }, { feature: "api_calls" }] }) { version } }`);
  for (const version of [1, 2]) await gql(url, ADMIN_KEY, `mutation { publishPlanVersion(plan: "pro", version: ${version}) { status } }`);
}

/** 100,000 accounts on pro v1, each with a seats gauge (0 to 15 used) and this month's API calls, in four statements. */
async function seedAccounts(db) {
  const { rows: [{ v1 }] } = await db.query(`select pv.id as v1 from plan_version pv join plan p on p.id = pv.plan_id where p.key = 'pro' and pv.version = 1`);
  await db.query(`insert into account (id, name, metadata, created_at, updated_at)
    select 'acct-' || lpad(i::text, 6, '0'), 'Account ' || i, '{}', now(), now() from generate_series(1, $1) as i`, [ACCOUNTS]);
  await db.query(`insert into subscription (id, account_id, plan_version_id, status, current_period_start, current_period_end, add_ons, billing_provider_ids, created_at, updated_at)
    select gen_random_uuid(), 'acct-' || lpad(i::text, 6, '0'), $2, 'ACTIVE', date_trunc('month', now()), date_trunc('month', now()) + interval '1 month', '[]', '{}', now(), now()
    from generate_series(1, $1) as i`, [ACCOUNTS, v1]);
  await db.query(`insert into usage_counter (account_id, feature_key, period_start, used, updated_at)
    select 'acct-' || lpad(i::text, 6, '0'), 'seats', 'epoch', i % 16, now() from generate_series(1, $1) as i`, [ACCOUNTS]);
  await db.query(`insert into usage_counter (account_id, feature_key, period_start, used, updated_at)
    select 'acct-' || lpad(i::text, 6, '0'), 'api_calls', date_trunc('month', now() at time zone 'utc') at time zone 'utc', i % 5000, now() from generate_series(1, $1) as i`, [ACCOUNTS]);
  await db.query('vacuum analyze');
  return v1;
}

/** The ceiling: the same rows' plan_version_id set by one plain UPDATE, rolled back; the fastest of three. */
async function ceiling(db, v1) {
  const { rows: [{ v2 }] } = await db.query(`select pv.id as v2 from plan_version pv join plan p on p.id = pv.plan_id where p.key = 'pro' and pv.version = 2`);
  let best = Infinity;
  for (let run = 0; run < 3; run += 1) {
    await db.query('begin');
    const started = performance.now();
    const { rowCount } = await db.query('update subscription set plan_version_id = $1 where plan_version_id = $2', [v2, v1]);
    best = Math.min(best, performance.now() - started);
    await db.query('rollback');
    if (rowCount !== ACCOUNTS) throw new Error(`ceiling updated ${rowCount} rows`);
    await db.query('vacuum analyze subscription');
  }
  return best;
}

const line = (label, ms, ceilingMs, aim) =>
  `${label.padEnd(46)} ${(ms / 1000).toFixed(2).padStart(6)} s ${String(Math.round(ACCOUNTS / (ms / 1000))).padStart(9)} accounts/s` +
  (ceilingMs ? `   ${(ms / ceilingMs).toFixed(1).padStart(5)}× the ceiling${aim ? ` (aim <= ${aim}×)` : ''}` : '');

const database = await benchDatabase();
const server = await startBenchServer(database.url);
const db = new pg.Client({ connectionString: database.url });
try {
  await seedCatalog(server.url);
  await db.connect();
  const v1 = await seedAccounts(db);
  const ceilingMs = await ceiling(db, v1);

  let started = performance.now();
  const { previewPlanMigration: totals } = await gql(server.url, ADMIN_KEY,
    '{ previewPlanMigration(input: { plan: "pro" }) { accounts monthlyRevenueChange { amount currency } } }');
  const totalsMs = performance.now() - started;
  if (totals.accounts !== ACCOUNTS || totals.monthlyRevenueChange[0].amount !== ACCOUNTS * 1000) throw new Error(`preview said ${JSON.stringify(totals)}`);

  started = performance.now();
  let after = null;
  let diffs = 0;
  let overLimit = 0;
  for (;;) {
    // `first` as a variable: graphql-armor's cost limit multiplies a literal `first` into the cost.
    const { previewPlanMigration } = await gql(server.url, ADMIN_KEY, `query ($first: Int, $after: String) { previewPlanMigration(input: { plan: "pro" }) {
      changes(first: $first, after: $after) { edges { node { accountId featuresGained featuresLost limitChanges { feature from to used } wouldBeOverLimit } }
        pageInfo { hasNextPage endCursor } } } }`, { first: PAGE, after });
    const page = previewPlanMigration.changes;
    diffs += page.edges.length;
    overLimit += page.edges.filter((edge) => edge.node.wouldBeOverLimit).length;
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  const diffsMs = performance.now() - started;
  // Seats used are i % 16 against a new limit of 10: 11 to 15 are over it.
  const expectedOver = Array.from({ length: ACCOUNTS }, (_, index) => (index + 1) % 16).filter((used) => used > 10).length;
  if (diffs !== ACCOUNTS || overLimit !== expectedOver) throw new Error(`preview listed ${diffs} diffs, ${overLimit} over the limit (expected ${expectedOver})`);

  const { startPlanMigration } = await gql(server.url, ADMIN_KEY, 'mutation { startPlanMigration(input: { plan: "pro" }, reason: "bench") { id } }');
  let migration;
  do {
    // Polled gently, so the bench's own requests take little from the two cores the migration runs on.
    await new Promise((resolve) => setTimeout(resolve, 250));
    ({ planMigration: migration } = await gql(server.url, ADMIN_KEY,
      'query ($id: ID!) { planMigration(id: $id) { status migrated startedAt finishedAt } }', { id: startPlanMigration.id }));
  } while (migration.status === 'RUNNING');
  // The migration's own record: from the start (before the selection is frozen) to completion.
  const migrationMs = Date.parse(migration.finishedAt) - Date.parse(migration.startedAt);

  // Fast must still be exact: every account on v2, exactly one audit entry each.
  const { rows: [check] } = await db.query(`select
      (select count(*)::int from subscription s join plan_version pv on pv.id = s.plan_version_id where pv.version = 2) as moved,
      (select count(*)::int from audit_entry where action = 'subscription.migrate') as entries,
      (select count(distinct account_id)::int from audit_entry where action = 'subscription.migrate') as accounts`);
  if (migration.status !== 'COMPLETED' || migration.migrated !== ACCOUNTS || check.moved !== ACCOUNTS || check.entries !== ACCOUNTS || check.accounts !== ACCOUNTS) {
    throw new Error(`migration ${JSON.stringify(migration)}, database ${JSON.stringify(check)}`);
  }

  console.log(`\nPlan migration: ${ACCOUNTS.toLocaleString('en-US')} accounts on PostgreSQL (batches of 500, one audit entry per account)`);
  console.log(line('plain UPDATE … SET plan_version_id (ceiling)', ceilingMs));
  console.log(line('previewPlanMigration: accounts and revenue', totalsMs, ceilingMs, 5));
  console.log(line(`preview: every diff, ${Math.ceil(ACCOUNTS / PAGE)} pages of ${PAGE}`, diffsMs, ceilingMs));
  console.log(line('startPlanMigration until COMPLETED', migrationMs, ceilingMs, 10));
  console.log('');
} finally {
  await db.end().catch(() => {});
  await server.stop();
  await database.drop();
}

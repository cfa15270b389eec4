import { ADMIN_KEY, benchDatabase, gql, load, serverKey, startBenchServer } from './bench-support.mjs';
const database = await benchDatabase();
const server = await startBenchServer(database.url);
try {
  await gql(server.url, ADMIN_KEY, 'mutation { createFeature(input: { key: "api_calls", name: "API calls", kind: METERED }) { key } }');
  await gql(server.url, ADMIN_KEY, 'mutation { createPlan(input: { key: "pro", name: "Pro", rank: 1 }) { key } }');
  await gql(server.url, ADMIN_KEY, `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 2900, currency: "USD" }, entitlements: [{ feature: "api_calls", limit: 100000 }] }) { version } }`);
  await gql(server.url, ADMIN_KEY, 'mutation { publishPlanVersion(plan: "pro", version: 1) { status } }');
  await gql(server.url, ADMIN_KEY, 'mutation { upsertAccount(input: { id: "bench", name: "Bench" }) { id } }');
  await gql(server.url, ADMIN_KEY, 'mutation { changePlan(input: { accountId: "bench", plan: "pro" }) { id } }');
  const key = await serverKey(server.url);
  const query = JSON.stringify({ query: '{ entitlement(accountId: "bench", feature: "api_calls") { allowed reason limit used remaining resetsAt plan { key version } } }' });
  await load(server.url, key, 'warm', query, { duration: 3 });
  const r = await load(server.url, key, 'entitlement', query, { duration: 8 });
  console.log(Math.round(r.requests.average));
} finally { await server.stop(); await database.drop(); }

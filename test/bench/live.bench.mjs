// npm run bench, part 3: live updates. Figures are printed, not asserted.
//  1. The floor: a PostgreSQL LISTEN/NOTIFY round trip between two bare connections.
//  2. Change-to-client latency across processes: a client subscribed on server A, changes made
//     one after another through server B (usage: consume; account: setAddOn), each timed from
//     sending the mutation to receiving the push that shows it. Accounts are taken in turn, so
//     no account changes twice within the 250 ms coalescing window.
//  3. 2,000 subscriptions (on 2,000 accounts) on one process: heap per subscription after GC, and
//     how long one catalog change takes to reach all of them.
// Everything runs against 127.0.0.1, bounded in count.
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { ADMIN_KEY, benchDatabase, gql, quantile, startBenchServer, LIVE_SUBSCRIPTION, seedLiveCatalog } from './bench-support.mjs';

const CHANGES = Number(process.env.BENCH_LIVE_CHANGES ?? 500);
const ROTATION = 100; // accounts changed in turn
const FAN_OUT = Number(process.env.BENCH_LIVE_SUBSCRIPTIONS ?? 2000);
const PER_CONNECTION = 100;
const MiB = 1024 * 1024;

const SUBSCRIPTION = LIVE_SUBSCRIPTION;

async function seed(url) {
  await seedLiveCatalog(url, 2000000000);
  await gql(url, ADMIN_KEY, `mutation { createAddOn(input: { key: "seat_pack", name: "Seats", price: { amount: 500, currency: "USD" },
    grants: [{ feature: "seats", limitIncrement: 1 }] }) { key } }`);
}

async function createAccounts(url, prefix, count) {
  for (let start = 0; start < count; start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, count - start) }, (_, i) =>
      gql(url, ADMIN_KEY, 'mutation ($id: ID!) { upsertAccount(input: { id: $id, name: "bench" }) { id } }', { id: `${prefix}-${start + i}` })));
  }
}

/** A graphql-ws client; `watch` subscribes and calls `onPush` with each push. */
function liveConnection(url) {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${ADMIN_KEY}` },
    retryAttempts: 0,
  });
  let disposed = false;
  return {
    client,
    watch(accountId, onPush) {
      return client.subscribe({ query: SUBSCRIPTION, variables: { accountId } }, {
        next: (result) => {
          if (result.errors) console.error(`subscription to ${accountId} answered ${JSON.stringify(result.errors)}`);
          else onPush(result.data.entitlementsChanged);
        },
        error: (error) => { if (!disposed) console.error(`subscription to ${accountId} failed: ${JSON.stringify(error?.reason ?? error)}`); },
        complete: () => {},
      });
    },
    async dispose() {
      disposed = true;
      await client.dispose();
    },
  };
}

/** Resolves when `check(push)` holds for a push of `accountId`. */
function pushWaiter() {
  const waiting = new Map();
  return {
    onPush(push) {
      const waiter = waiting.get(push.accountId);
      if (waiter && waiter.check(push)) {
        waiting.delete(push.accountId);
        waiter.resolve(performance.now());
      }
    },
    next(accountId, check) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no push for ${accountId} within 5 s`)), 5000);
        waiting.set(accountId, { check, resolve: (at) => { clearTimeout(timer); resolve(at); } });
      });
    },
  };
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) };
}

const fmt = (ms) => `${ms.toFixed(1).padStart(6)} ms`;
const line = (label, { p50, p99 }, extra = '') => `${label.padEnd(46)} p50 ${fmt(p50)}   p99 ${fmt(p99)}${extra}`;

/** 1. LISTEN/NOTIFY alone: the floor under any cross-process push. */
async function notifyRoundTrip(databaseUrl) {
  const listener = new pg.Client({ connectionString: databaseUrl });
  const notifier = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  await notifier.connect();
  await listener.query('listen bench_round_trip');
  const samples = [];
  try {
    for (let i = 0; i < CHANGES; i++) {
      const arrived = new Promise((resolve) => listener.once('notification', () => resolve(performance.now())));
      const sent = performance.now();
      await notifier.query(`select pg_notify('bench_round_trip', $1)`, [String(i)]);
      samples.push((await arrived) - sent);
    }
  } finally {
    await listener.end();
    await notifier.end();
  }
  return stats(samples);
}

/** 2. Changes through B, pushes from A. */
async function changeToClient(a, b) {
  await createAccounts(b.url, 'rot', ROTATION);
  for (let i = 0; i < ROTATION; i++) {
    await gql(b.url, ADMIN_KEY, 'mutation ($id: ID!) { changePlan(input: { accountId: $id, plan: "pro" }) { id } }', { id: `rot-${i}` });
  }
  const waiter = pushWaiter();
  const connection = liveConnection(a.url);
  const state = new Map();
  await Promise.all(Array.from({ length: ROTATION }, (_, i) => new Promise((resolve) => {
    const accountId = `rot-${i}`;
    connection.watch(accountId, (push) => {
      if (!state.has(accountId)) { state.set(accountId, true); resolve(); }
      waiter.onPush(push);
    });
  })));
  const decision = (push, feature) => push.entitlements.find((entitlement) => entitlement.feature === feature);

  const usage = [];
  const usageMutation = [];
  for (let i = 0; i < CHANGES; i++) {
    const accountId = `rot-${i % ROTATION}`;
    const expected = Math.floor(i / ROTATION) + 1;
    const arrived = waiter.next(accountId, (push) => decision(push, 'api_calls').used >= expected);
    const sent = performance.now();
    await gql(b.url, ADMIN_KEY, 'mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }',
      { input: { accountId, feature: 'api_calls', idempotencyKey: `live-${i}` } });
    usageMutation.push(performance.now() - sent);
    usage.push((await arrived) - sent);
  }

  const account = [];
  const accountMutation = [];
  for (let i = 0; i < CHANGES; i++) {
    const accountId = `rot-${i % ROTATION}`;
    const quantity = Math.floor(i / ROTATION) + 1;
    const arrived = waiter.next(accountId, (push) => decision(push, 'seats').limit >= 20 + quantity);
    const sent = performance.now();
    await gql(b.url, ADMIN_KEY, 'mutation ($id: ID!, $q: Int!) { setAddOn(accountId: $id, addOn: "seat_pack", quantity: $q) { id } }',
      { id: accountId, q: quantity });
    accountMutation.push(performance.now() - sent);
    account.push((await arrived) - sent);
  }
  await connection.dispose();
  return { usage: stats(usage), usageMutation: stats(usageMutation), account: stats(account), accountMutation: stats(accountMutation) };
}

/** 3. 2,000 subscriptions on A; one catalog change fanned out to all. */
async function fanOut(a) {
  await createAccounts(a.url, 'fan', FAN_OUT);
  // Warm the read model for every account, so the heap difference is live updates' own.
  for (let start = 0; start < FAN_OUT; start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, FAN_OUT - start) }, (_, i) =>
      gql(a.url, ADMIN_KEY, 'query ($id: ID!) { entitlements(accountId: $id) { allowed } }', { id: `fan-${start + i}` })));
  }
  const before = await a.heapUsedAfterGC();
  const connections = Array.from({ length: Math.ceil(FAN_OUT / PER_CONNECTION) }, () => liveConnection(a.url));
  let target = null;
  const reached = [];
  let firsts = 0;
  let allFirst;
  const allFirstPushes = new Promise((resolve) => (allFirst = resolve));
  let allReached;
  const allReachedPromise = new Promise((resolve) => (allReached = resolve));
  const seen = new Set();
  for (let i = 0; i < FAN_OUT; i++) {
    const accountId = `fan-${i}`;
    connections[Math.floor(i / PER_CONNECTION)].watch(accountId, (push) => {
      if (!seen.has(accountId)) {
        seen.add(accountId);
        if (++firsts === FAN_OUT) allFirst();
      }
      if (target && push.entitlements.some((entitlement) => entitlement.feature === target.key) && !target.done.has(accountId)) {
        target.done.add(accountId);
        reached.push(performance.now() - target.sent);
        if (target.done.size === FAN_OUT) allReached();
      }
    });
  }
  const subscribing = performance.now();
  await allFirstPushes;
  const subscribed = performance.now() - subscribing;
  const during = await a.heapUsedAfterGC();

  target = { key: 'fan_out_feature', done: new Set(), sent: performance.now() };
  await gql(a.url, ADMIN_KEY, 'mutation { createFeature(input: { key: "fan_out_feature", name: "Fan-out", kind: SWITCH }) { key } }');
  await allReachedPromise;
  for (const connection of connections) await connection.dispose();
  return { before, during, subscribed, reach: stats(reached) };
}

const database = await benchDatabase();
const a = await startBenchServer(database.url, { heapProbe: true });
const b = await startBenchServer(database.url);
try {
  await seed(b.url);
  const floor = await notifyRoundTrip(database.url);
  const latency = await changeToClient(a, b);
  const fan = await fanOut(a);
  console.log(`\nLive updates: ${CHANGES} changes through server B to a client of server A, on PostgreSQL`);
  console.log(line('LISTEN/NOTIFY round trip alone (the floor)', floor));
  console.log(line('consume on B -> push from A', latency.usage, `   (the mutation alone: p50 ${fmt(latency.usageMutation.p50)})`));
  console.log(line('setAddOn on B -> push from A', latency.account, `   (the mutation alone: p50 ${fmt(latency.accountMutation.p50)})`));
  console.log(`\n${FAN_OUT} subscriptions on ${FAN_OUT} accounts, one process (${Math.ceil(FAN_OUT / PER_CONNECTION)} connections):`);
  console.log(`heap after GC: ${(fan.before / MiB).toFixed(1)} MiB before, ${(fan.during / MiB).toFixed(1)} MiB with them: ` +
    `${((fan.during - fan.before) / FAN_OUT / 1024).toFixed(1)} KiB per subscription (first pushes of all in ${(fan.subscribed / 1000).toFixed(2)} s)`);
  console.log(line('one catalog change -> each subscriber', fan.reach, `   all ${FAN_OUT} reached in ${fmt(fan.reach.max)}\n`));
} finally {
  await a.stop();
  await b.stop();
  await database.drop();
}

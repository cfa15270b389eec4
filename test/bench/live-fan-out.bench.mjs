// npm run bench, part 4: a push that costs once. 10,000 server-key subscribers of ONE account
// (100 sockets of 100), beside the same with 1 subscriber, in the same run:
//  1. one change (a consume on the account): time until the last subscriber has it, and the
//     server's CPU per subscriber (from /proc, over several changes);
//  2. consume latency on that account under load (autocannon), with 0 and with 10,000 subscribers.
// Figures are printed (ratios beside absolutes), not asserted. Everything runs against 127.0.0.1.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { ADMIN_KEY, benchDatabase, cpuMs, gql, load, quantile, serverKey, startBenchServer, LIVE_SUBSCRIPTION, seedLiveCatalog } from './bench-support.mjs';

const SUBSCRIBERS = Number(process.env.BENCH_FAN_OUT ?? 10_000);
const PER_SOCKET = 100;
const CHANGES = Number(process.env.BENCH_FAN_OUT_CHANGES ?? 10);
const SUBSCRIPTION = LIVE_SUBSCRIPTION;

async function seed(url) {
  await seedLiveCatalog(url, 2000000000);
  await gql(url, ADMIN_KEY, 'mutation { upsertAccount(input: { id: "hot", name: "hot" }) { id } }');
}

/**
 * `count` subscriptions to account "hot" over bare graphql-transport-ws sockets. Each push is
 * read by a string search for the usage it must show (no JSON.parse), so the client's own work
 * stays small beside the server's. `seen(used)` counts the subscribers that have a push showing
 * at least `used`.
 */
async function subscribers(wsUrl, key, count) {
  const sockets = [];
  const latest = new Float64Array(count).fill(-1);
  /** The push being waited for: the usage it must show, and how many subscribers have it. */
  let waiting = null;
  const settle = () => {
    if (waiting && waiting.reached === count) {
      const { resolve } = waiting;
      waiting = null;
      resolve(performance.now());
    }
  };
  for (let socketIndex = 0; socketIndex * PER_SOCKET < count; socketIndex++) {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    sockets.push(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const acked = new Promise((resolve) => socket.once('message', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
    await acked;
    socket.on('message', (data) => {
      const text = String(data);
      const id = Number(text.slice(7, text.indexOf('"', 7)));
      const at = text.indexOf('"feature":"api_calls"');
      const used = at < 0 ? NaN : Number(/"used":(\d+)/.exec(text.slice(at))?.[1]);
      if (Number.isNaN(used)) throw new Error(`not a push: ${text.slice(0, 300)}`);
      if (waiting && latest[id] < waiting.used && used >= waiting.used) waiting.reached += 1;
      latest[id] = used;
      settle();
    });
    for (let index = socketIndex * PER_SOCKET; index < Math.min(count, (socketIndex + 1) * PER_SOCKET); index++) {
      socket.send(JSON.stringify({ id: String(index), type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { accountId: 'hot' } } }));
    }
  }
  return {
    /** Resolves (with performance.now()) once every subscriber has a push showing `used` or more. */
    reach(used) {
      return new Promise((resolve) => {
        let reached = 0;
        for (const seen of latest) if (seen >= used) reached += 1;
        waiting = { used, reached, resolve };
        settle();
      });
    },
    close: () => sockets.forEach((socket) => socket.close()),
  };
}

let sequence = 0;
/** One consume on "hot"; resolves with the `used` it answered. */
async function consume(url, key) {
  const { consume: answer } = await gql(url, key, 'mutation ($input: ConsumeInput!) { consume(input: $input) { ok entitlement { used } } }',
    { input: { accountId: 'hot', feature: 'api_calls', idempotencyKey: `fan-${process.pid}-${sequence++}` } });
  return answer.entitlement.used;
}

/** CHANGES consumes, one at a time, each waited for at every subscriber, paced past the 250 ms coalescing window. */
async function pushes(server, key, group) {
  const reach = [];
  let cpu = 0;
  for (let change = 0; change < CHANGES; change++) {
    const cpuBefore = await cpuMs(server.pid);
    const sent = performance.now();
    const used = await consume(server.url, key);
    const reachedAt = await group.reach(used);
    reach.push(reachedAt - sent);
    cpu += (await cpuMs(server.pid)) - cpuBefore;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  reach.sort((a, b) => a - b);
  return { reach: quantile(reach, 0.5), cpuPerChange: cpu / CHANGES };
}

/** Consume on "hot" under load (autocannon), its latency. */
async function consumeUnderLoad(url, key) {
  const body = () => JSON.stringify({
    query: 'mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }',
    variables: { input: { accountId: 'hot', feature: 'api_calls', idempotencyKey: `load-${process.pid}-${sequence++}` } },
  });
  const result = await load(url, key, 'consume on the watched account', body);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const database = await benchDatabase();
const server = await startBenchServer(database.url, {
  env: { TOLLGATE_LIVE_MAX_SOCKETS_PER_ADDRESS: '1000', TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_KEY: String(SUBSCRIBERS + 10) },
});
try {
  await seed(server.url);
  const key = await serverKey(server.url);
  const wsUrl = server.url.replace(/^http/, 'ws');
  await consume(server.url, key);

  const idle = await consumeUnderLoad(server.url, key);
  const one = await subscribers(wsUrl, key, 1);
  await one.reach(1);
  const single = await pushes(server, key, one);
  one.close();

  const subscribing = performance.now();
  const many = await subscribers(wsUrl, key, SUBSCRIBERS);
  await many.reach(1);
  const subscribed = performance.now() - subscribing;
  const fanned = await pushes(server, key, many);
  const watched = await consumeUnderLoad(server.url, key);
  many.close();

  const ms = (value) => `${value.toFixed(1).padStart(7)} ms`;
  console.log(`\nOne account, its pushes shared: ${SUBSCRIBERS} server-key subscribers (${Math.ceil(SUBSCRIBERS / PER_SOCKET)} sockets) beside 1, one process on PostgreSQL`);
  console.log(`(${SUBSCRIBERS} subscribed and had their first push in ${(subscribed / 1000).toFixed(2)} s)`);
  console.log(`${'one change -> the last subscriber has it'.padEnd(48)} 1: ${ms(single.reach)}   ${SUBSCRIBERS}: ${ms(fanned.reach)}   (${(fanned.reach / single.reach).toFixed(1)}x for ${SUBSCRIBERS}x the subscribers)`);
  console.log(`${'server CPU per change'.padEnd(48)} 1: ${ms(single.cpuPerChange)}   ${SUBSCRIBERS}: ${ms(fanned.cpuPerChange)}   (${((fanned.cpuPerChange * 1000) / SUBSCRIBERS).toFixed(1)} µs per subscriber)`);
  console.log(`${'consume on that account under load, p50'.padEnd(48)} 0: ${ms(idle.p50)}   ${SUBSCRIBERS}: ${ms(watched.p50)}   (${(watched.p50 / Math.max(idle.p50, 1)).toFixed(2)}x; aim: within 2x)`);
  console.log(`${'  p99, and requests per second'.padEnd(48)} 0: ${ms(idle.p99)} ${String(Math.round(idle.rps)).padStart(6)}/s   ${SUBSCRIBERS}: ${ms(watched.p99)} ${String(Math.round(watched.rps)).padStart(6)}/s\n`);
} finally {
  await server.stop();
  await database.drop();
}

import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';

/**
 * Coalesced consumes survive kill -9: a server process killed with SIGKILL while a burst of
 * consumes is being counted in batches loses no consume it acknowledged, and after a restart,
 * every consume retried with its key counts at most once: acknowledged ones replay their first
 * answer (the same counter value), the counter equals the ledger, and the limit still holds.
 */
const LIMIT = 300;
const REQUESTS = 400;
/** Consumes sent at once: enough to fill a coalesced batch. */
const IN_FLIGHT = 50;
const CONSUME = `mutation ($input: ConsumeInput!) { consume(input: $input) { ok entitlement { used } } }`;

let database: FreshDatabase;
const servers: ServerProcess[] = [];

beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(async () => {
  for (const server of servers.splice(0)) if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  await database.drop();
});

async function start(): Promise<{ server: ServerProcess; admin: GraphQLTestClient }> {
  const server = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' });
  servers.push(server);
  return { server, admin: new GraphQLTestClient(server.graphqlUrl, TEST_ADMIN_KEY) };
}

interface Answer {
  ok: boolean;
  used: number;
}

/** One consume; null when the server gave no answer (it was killed). */
async function consume(url: string, key: string): Promise<Answer | null> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      body: JSON.stringify({ query: CONSUME, variables: { input: { accountId: 'acme', feature: 'api_calls', amount: 1, idempotencyKey: key } } }),
    });
    const body = (await response.json()) as { data?: { consume: { ok: boolean; entitlement: { used: number } } } };
    if (!body.data) return null;
    return { ok: body.data.consume.ok, used: body.data.consume.entitlement.used };
  } catch {
    return null;
  }
}

describe('coalesced consumes and kill -9', () => {
  it('loses no acknowledged consume and counts none twice after retries with the same keys', { timeout: 180_000 }, async () => {
    const first = await start();
    await createFeature(first.admin, { key: 'api_calls', kind: 'METERED' });
    await createPublishedPlan(first.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'api_calls', limit: LIMIT, period: 'MONTH', overage: 'BLOCK' }]);
    await createAccount(first.admin, 'acme');

    const keys = Array.from({ length: REQUESTS }, (_, index) => `burst-${index}`);
    const acknowledged = new Map<string, Answer>();
    let killed = false;
    let inFlightAtKill = 0;
    let inFlight = 0;
    // The burst, IN_FLIGHT at a time so consumes are counted in batches, and SIGKILL once a quarter
    // of it has been answered: the consumes in flight then are queued or mid-batch, and the rest
    // are never sent (a fast server cannot have answered all of them before the signal lands).
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (!killed && next < keys.length) {
        const key = keys[next++]!;
        inFlight += 1;
        const answer = await consume(first.server.graphqlUrl, key);
        inFlight -= 1;
        if (!answer) continue;
        acknowledged.set(key, answer);
        if (!killed && acknowledged.size >= REQUESTS / 4) {
          killed = true;
          inFlightAtKill = inFlight;
          first.server.child.kill('SIGKILL');
        }
      }
    }));
    expect(killed).toBe(true);
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(acknowledged.size).toBeLessThan(REQUESTS);

    const second = await start();
    const retried = new Map<string, Answer>();
    await Promise.all(keys.map(async (key) => {
      const answer = await consume(second.server.graphqlUrl, key);
      expect(answer, `retry of ${key}`).not.toBeNull();
      retried.set(key, answer!);
    }));
    // Every acknowledged consume is still there: its retry replays the first answer exactly.
    for (const [key, answer] of acknowledged) expect(retried.get(key), key).toEqual(answer);

    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows: [state] } = await db.query<{ used: string; amount: string; rows: string; keys: string }>(
        `select (select coalesce(sum(used), 0) from usage_counter where account_id = 'acme') as used,
                (select coalesce(sum(amount), 0) from usage_event where account_id = 'acme') as amount,
                (select count(*) from usage_event where account_id = 'acme') as rows,
                (select count(distinct idempotency_key) from usage_event where account_id = 'acme') as keys`,
      );
      const okKeys = [...retried.values()].filter((answer) => answer.ok).length;
      expect(Number(state!.used)).toBe(okKeys);
      expect(Number(state!.amount)).toBe(okKeys);
      expect(Number(state!.rows)).toBe(okKeys);
      expect(Number(state!.keys)).toBe(okKeys);
      expect(okKeys).toBe(LIMIT);
    } finally {
      await db.end();
    }
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { sql } from '../support/metering.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const CONSUMES = 500;

interface Answer {
  key: string;
  status: number;
  ok: boolean;
  code: string | null;
}

describe('when PostgreSQL terminates the server\'s connections', () => {
  let t: TestServer;
  let databaseUrl: string;

  beforeAll(async () => {
    t = await startTestServer();
    databaseUrl = t.server.orm.config.get('clientUrl')!;
    await createFeature(t.admin, { key: 'api_calls', kind: 'METERED' });
    await createPublishedPlan(t.admin, { key: 'scale', rank: 1 }, [{ feature: 'api_calls', limit: 1_000_000, period: 'MONTH' }]);
    await createAccount(t.admin, 'acme');
    await changePlan(t.admin, { accountId: 'acme', plan: 'scale' });
  });
  afterAll(() => t?.stop());

  async function consume(key: string): Promise<Answer> {
    const response = await fetch(t.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      body: JSON.stringify({
        query: 'mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }',
        variables: { input: { accountId: 'acme', feature: 'api_calls', amount: 1, idempotencyKey: key } },
      }),
    });
    const body = (await response.json()) as { data?: { consume?: { ok: boolean } } | null; errors?: { extensions?: { code?: string } }[] };
    return { key, status: response.status, ok: body.data?.consume?.ok === true, code: body.errors?.[0]?.extensions?.code ?? null };
  }

  /** Sends a keyed consume until it is answered ok (at most 5 times); every try is ok or DATABASE_UNAVAILABLE. */
  async function consumeUntilAnswered(key: string): Promise<Answer> {
    let answer = await consume(key);
    for (let attempt = 2; !answer.ok && attempt <= 5; attempt += 1) {
      expect(answer.code).toBe('DATABASE_UNAVAILABLE');
      answer = await consume(key);
    }
    return answer;
  }

  /** Ends every connection of the server's database but our own, as an operator or a failover would. */
  async function terminateServerConnections(): Promise<number> {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const result = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      return result.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  it('answers every one of 500 concurrent keyed consumes ok or with a code, never a 500, and the counter equals the ledger', async () => {
    let answered = 0;
    const terminations: Promise<number>[] = [];
    // Terminate at three points of the run, chosen by how many answers have arrived.
    const cuts = new Set([25, 150, 300]);
    const answers = await Promise.all(
      Array.from({ length: CONSUMES }, (_, index) =>
        consume(`fault-${index}`).then((answer) => {
          answered += 1;
          if (cuts.has(answered)) terminations.push(terminateServerConnections());
          return answer;
        }),
      ),
    );
    const terminated = await Promise.all(terminations);
    expect(terminated.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);

    expect(answers.filter((answer) => answer.status >= 500 && answer.code !== 'DATABASE_UNAVAILABLE')).toEqual([]);
    for (const answer of answers) {
      if (!answer.ok) expect(answer.code, JSON.stringify(answer)).toBe('DATABASE_UNAVAILABLE');
    }

    const ledger = async () => {
      const [row] = await sql<{ used: string; events: string; amount: string }>(
        t,
        `select (select coalesce(sum(used), 0) from usage_counter where account_id = 'acme') as used,
                (select count(*) from usage_event where account_id = 'acme') as events,
                (select coalesce(sum(amount), 0) from usage_event where account_id = 'acme') as amount`,
      );
      return { used: Number(row!.used), events: Number(row!.events), amount: Number(row!.amount) };
    };
    const afterRun = await ledger();
    expect(afterRun.used).toBe(afterRun.amount);
    expect(afterRun.events).toBeGreaterThanOrEqual(answers.filter((answer) => answer.ok).length);

    // Retrying the unanswered requests with their keys is safe: each key counts exactly once,
    // however many times it is sent. A client retries a few times, as the error message says.
    const retried = await Promise.all(answers.filter((answer) => !answer.ok).map((answer) => consumeUntilAnswered(answer.key)));
    expect(retried.every((answer) => answer.ok)).toBe(true);
    expect(await ledger()).toEqual({ used: CONSUMES, events: CONSUMES, amount: CONSUMES });
  });

  it('answers reads after the connections were terminated: ok, or DATABASE_UNAVAILABLE until the pool has new ones', async () => {
    await terminateServerConnections();
    const codes: (string | undefined)[] = [];
    let used: number | undefined;
    for (let attempt = 1; used === undefined && attempt <= 5; attempt += 1) {
      const result = await t.admin.raw('{ usage(accountId: "acme", feature: "api_calls") { used } }');
      if (result.errors.length) codes.push(result.errors[0]!.extensions?.code as string | undefined);
      else used = result.data!.usage.used;
    }
    expect(codes.filter((code) => code !== 'DATABASE_UNAVAILABLE')).toEqual([]);
    expect(used).toBe(CONSUMES);
  });
});

describe('when the database cannot be reached at all', () => {
  let database: FreshDatabase;
  let proxy: TcpProxy;
  let t: TestServer;

  beforeAll(async () => {
    database = await freshDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await startTestServer({ databaseUrl: viaProxy.toString() });
    await createFeature(t.admin, { key: 'api_calls', kind: 'METERED' });
    await createPublishedPlan(t.admin, { key: 'scale', rank: 1 }, [{ feature: 'api_calls', limit: 100, period: 'MONTH' }]);
    await createAccount(t.admin, 'acme');
    await changePlan(t.admin, { accountId: 'acme', plan: 'scale' });
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => {});
    await t?.stop();
    await proxy?.close();
    await database?.drop();
  });

  const ready = async () => {
    const response = await fetch(`${t.url}/readyz`);
    return { status: response.status, body: await response.json() };
  };

  it('answers /readyz 503 and every request DATABASE_UNAVAILABLE while it is down, and recovers when it is back', async () => {
    expect(await ready()).toEqual({ status: 200, body: { status: 'ready', database: 'postgresql' } });

    await proxy.cut();
    expect(await ready()).toEqual({ status: 503, body: { status: 'unavailable', reason: 'database unreachable' } });
    const response = await fetch(t.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      body: JSON.stringify({
        query: 'mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }',
        variables: { input: { accountId: 'acme', feature: 'api_calls', idempotencyKey: 'down-1' } },
      }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(response.status).toBe(503);
    expect(body.errors[0]!.extensions.code).toBe('DATABASE_UNAVAILABLE');
    expect(body.errors[0]!.message).toMatch(/Retry the request \(with the same idempotency key/);

    await proxy.restore();
    // The database answers at once; the change feed (its LISTEN connection went through the proxy
    // too) is back within its next reconnection attempt, a second at most: ready then.
    const deadline = performance.now() + 10_000;
    let back = await ready();
    while (back.status !== 200 && performance.now() < deadline) {
      expect(back.body.reason).toMatch(/^change feed down since/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      back = await ready();
    }
    expect(back).toEqual({ status: 200, body: { status: 'ready', database: 'postgresql' } });
    const retried = await t.admin.request('mutation ($input: ConsumeInput!) { consume(input: $input) { ok entitlement { used } } }', {
      input: { accountId: 'acme', feature: 'api_calls', idempotencyKey: 'down-1' },
    });
    expect(retried.consume).toEqual({ ok: true, entitlement: { used: 1 } });
  });
});

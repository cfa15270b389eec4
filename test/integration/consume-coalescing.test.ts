import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import type { GraphQLTestClient } from '../support/graphql-client.js';
import { sql } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Coalesced consumes: concurrent consumes of one counter are counted together by one statement.
 *
 * The property: for any limit and any burst of concurrent consumes of random amounts (some of them
 * the same request sent twice at once, same key and payload), the counter never passes the
 * limit; it equals the sum of the amounts answered ok, and the ledger holds exactly those; every
 * refusal says LIMIT_REACHED with a counter that the refused amount did not fit into; and a
 * request sent twice is counted at most once, both copies answered alike.
 *
 * Bounded: FC_RUNS bursts (default 15) per database, on PostgreSQL and on the embedded database,
 * seeded by FC_SEED (random, printed at start); each burst has an account of its own.
 */

const RUNS = Number(process.env.FC_RUNS ?? 15);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 0x7fffffff);
const CONSUME = `mutation ($input: ConsumeInput!) { consume(input: $input) { ok entitlement { used limit reason } } }`;

interface Answer {
  ok: boolean;
  entitlement: { used: number; limit: number; reason: string };
}

/** The account's own limit: a permanent SET_LIMIT override. */
async function setLimit(admin: GraphQLTestClient, accountId: string, limit: number): Promise<void> {
  await admin.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
    input: { accountId, feature: 'api_calls', effect: 'SET_LIMIT', value: limit, permanent: true, reason: 'burst limit', approvedBy: 'test' },
  });
}

const burst = fc.record({
  limit: fc.integer({ min: 5, max: 120 }),
  requests: fc.array(fc.record({ amount: fc.integer({ min: 1, max: 6 }), twice: fc.integer({ min: 0, max: 9 }).map((n) => n < 3) }), { minLength: 10, maxLength: 120 }),
});

for (const database of ['postgresql', 'embedded'] as const) {
  describe(`coalesced consumes on ${database}`, () => {
    let t: TestServer;
    let serverKey: string;

    beforeAll(async () => {
      t = await startTestServer({ database });
      await createFeature(t.admin, { key: 'api_calls', kind: 'METERED' });
      await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'api_calls', limit: 1, period: 'MONTH', overage: 'BLOCK' }]);
      const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "host", role: SERVER }) { secret } }`);
      serverKey = createApiKey.secret;
    }, 120_000);
    afterAll(() => t?.stop());

    it('never passes the limit, counts each key once and answers each caller exactly', { timeout: 600_000 }, async () => {
      console.log(`coalesced consumes on ${database}: FC_SEED=${seed}, ${RUNS} runs`);
      let run = 0;
      await fc.assert(
        fc.asyncProperty(burst, async ({ limit, requests }) => {
          run += 1;
          const accountId = `burst-${run}`;
          await createAccount(t.admin, accountId);
          await setLimit(t.admin, accountId, limit);
          const client = t.as(serverKey);
          const sent = requests.flatMap((request, index) => {
            const input = { accountId, feature: 'api_calls', amount: request.amount, idempotencyKey: `k-${index}` };
            return request.twice ? [input, input] : [input];
          });
          const answers = await Promise.all(sent.map((input) => client.request<{ consume: Answer }>(CONSUME, { input }).then((data) => data.consume)));
          const okByKey = new Map<string, number>();
          answers.forEach((answer, index) => {
            const input = sent[index]!;
            expect(answer.entitlement.used).toBeLessThanOrEqual(limit);
            if (answer.ok) okByKey.set(input.idempotencyKey, input.amount);
            else {
              expect(answer.entitlement.reason).toBe('LIMIT_REACHED');
              expect(answer.entitlement.used + input.amount).toBeGreaterThan(limit);
            }
          });
          // A request sent twice: both copies answered alike.
          const byKey = new Map<string, boolean[]>();
          answers.forEach((answer, index) => byKey.set(sent[index]!.idempotencyKey, [...(byKey.get(sent[index]!.idempotencyKey) ?? []), answer.ok]));
          for (const oks of byKey.values()) expect(new Set(oks).size).toBe(1);
          const expected = [...okByKey.values()].reduce((sum, amount) => sum + amount, 0);
          const [counter] = await sql<{ used: string }>(t, `select coalesce(sum(used), 0) as used from usage_counter where account_id = ?`, [accountId]);
          const [ledger] = await sql<{ amount: string; rows: string }>(t,
            `select coalesce(sum(amount), 0) as amount, count(*) as rows from usage_event where account_id = ? and kind = 'CONSUME'`, [accountId]);
          expect(Number(counter!.used)).toBe(expected);
          expect(Number(counter!.used)).toBeLessThanOrEqual(limit);
          expect({ amount: Number(ledger!.amount), rows: Number(ledger!.rows) }).toEqual({ amount: expected, rows: okByKey.size });
        }),
        { numRuns: RUNS, seed, endOnFailure: true },
      );
    });
  });
}

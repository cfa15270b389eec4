import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/database.js';
import { snapshotDatabase, snapshotDifferences } from '../support/database-snapshot.js';
import { changePlan, createAccount, ENTITLEMENT_QUERY, seedBasicCatalog } from '../support/fixtures.js';
import type { GraphQLTestClient } from '../support/graphql-client.js';
import { sql } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

const COMPARISON = `accountId feature requested allowed reason limit used remaining legacyAllowed legacyLimit agreed disagreement comparedAt`;
const COMPARE = `mutation ($input: CompareEntitlementInput!) { compareEntitlement(input: $input) { ${COMPARISON} } }`;
const COMPARE_MANY = `mutation ($inputs: [CompareEntitlementInput!]!) {
  compareEntitlements(inputs: $inputs) { compared agreed disagreed failed results { index code message comparison { feature agreed disagreement } } }
}`;
const REPORT = `query ($since: DateTimeISO, $feature: String) {
  shadowReport(since: $since, feature: $feature) {
    compared agreed disagreed accessDisagreements limitDisagreements
    byFeature { feature compared agreed disagreed accessDisagreements limitDisagreements samples { ${COMPARISON} } }
  }
}`;

interface Comparison {
  accountId: string;
  feature: string;
  allowed: boolean;
  reason: string;
  limit: number | null;
  used: number;
  remaining: number | null;
  legacyAllowed: boolean;
  legacyLimit: number | null;
  agreed: boolean;
  disagreement: 'ACCESS' | 'LIMIT' | null;
  comparedAt: string;
}

describe.each(['postgresql', 'embedded'] as const)('shadow mode on the %s database', (database) => {
  /** Each test moves the clock to an era of its own and reports `since` it, so no test sees another's comparisons. */
  let now = new Date('2026-06-01T12:00:00.000Z');
  let era = 0;
  let t: TestServer;
  let backend: GraphQLTestClient;

  function newEra(): string {
    era += 1;
    now = new Date(Date.UTC(2026, 5, 1 + era, 12));
    return now.toISOString();
  }

  beforeAll(async () => {
    t = await startTestServer({ database, clock: () => new Date(now) });
    await seedBasicCatalog(t.admin);
    await createAccount(t.admin, 'acme');
    await createAccount(t.admin, 'globex');
    await changePlan(t.admin, { accountId: 'globex', plan: 'pro' });
    const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "host backend", role: SERVER }) { secret } }`);
    backend = t.as(createApiKey.secret);
  });
  afterAll(() => t?.stop());

  async function compare(input: Record<string, unknown>): Promise<Comparison> {
    return (await backend.request(COMPARE, { input })).compareEntitlement;
  }

  async function report(variables: { since?: string; feature?: string } = {}) {
    return (await backend.request(REPORT, variables)).shadowReport;
  }

  it('records agreement, and an ACCESS or LIMIT disagreement, beside the decision the entitlement query gives', async () => {
    const since = newEra();
    const cases: [Record<string, unknown>, { agreed: boolean; disagreement: string | null; reason: string }][] = [
      [{ feature: 'export_csv', legacyAllowed: false }, { agreed: true, disagreement: null, reason: 'NOT_IN_PLAN' }],
      [{ feature: 'export_csv', legacyAllowed: true }, { agreed: false, disagreement: 'ACCESS', reason: 'NOT_IN_PLAN' }],
      [{ feature: 'seats', legacyAllowed: true, legacyLimit: 2 }, { agreed: true, disagreement: null, reason: 'INCLUDED_IN_PLAN' }],
      [{ feature: 'seats', legacyAllowed: true, legacyLimit: 5 }, { agreed: false, disagreement: 'LIMIT', reason: 'INCLUDED_IN_PLAN' }],
      // Access outranks the limit: the legacy limit matches, but Tollgate refuses 3 of 2 seats.
      [{ feature: 'seats', amount: 3, legacyAllowed: true, legacyLimit: 2 }, { agreed: false, disagreement: 'ACCESS', reason: 'LIMIT_REACHED' }],
      [{ feature: 'api_calls', legacyAllowed: true }, { agreed: true, disagreement: null, reason: 'INCLUDED_IN_PLAN' }],
    ];
    for (const [input, expected] of cases) {
      const comparison = await compare({ accountId: 'acme', ...input });
      const { entitlement } = await backend.request(ENTITLEMENT_QUERY, { accountId: 'acme', feature: input.feature, amount: input.amount ?? null });
      expect(comparison, JSON.stringify(input)).toMatchObject({
        ...expected,
        accountId: 'acme', feature: input.feature, requested: input.amount ?? null,
        legacyAllowed: input.legacyAllowed, legacyLimit: input.legacyLimit ?? null, comparedAt: since,
        allowed: entitlement.allowed, limit: entitlement.limit, used: entitlement.used, remaining: entitlement.remaining,
      });
    }
    const { byFeature, ...totals } = await report({ since });
    expect(totals).toEqual({ compared: 6, agreed: 3, disagreed: 3, accessDisagreements: 2, limitDisagreements: 1 });
    expect(byFeature.map(({ samples, ...counts }: { samples: unknown[] }) => ({ ...counts, samples: samples.length }))).toEqual([
      { feature: 'api_calls', compared: 1, agreed: 1, disagreed: 0, accessDisagreements: 0, limitDisagreements: 0, samples: 0 },
      { feature: 'export_csv', compared: 2, agreed: 1, disagreed: 1, accessDisagreements: 1, limitDisagreements: 0, samples: 1 },
      { feature: 'seats', compared: 3, agreed: 1, disagreed: 2, accessDisagreements: 1, limitDisagreements: 1, samples: 2 },
    ]);
  });

  it('changes nothing else: no usage counted, no audit entry, no row but its own', async () => {
    newEra();
    await backend.request(`mutation { consume(input: { accountId: "globex", feature: "api_calls", amount: 7, idempotencyKey: "shadow-1" }) { ok } }`);
    const before = await snapshotDatabase(t);
    const comparisons = await Promise.all([
      compare({ accountId: 'globex', feature: 'api_calls', amount: 5, legacyAllowed: true, legacyLimit: 10000 }),
      compare({ accountId: 'globex', feature: 'seats', amount: 20, legacyAllowed: false }),
      compare({ accountId: 'globex', feature: 'export_csv', legacyAllowed: true }),
    ]);
    const after = await snapshotDatabase(t);
    expect(comparisons.map((comparison) => comparison.agreed)).toEqual([true, false, true]);
    expect(snapshotDifferences(before, after)).toEqual([`shadow_comparison: ${before.get('shadow_comparison')!.rows} → ${Number(before.get('shadow_comparison')!.rows) + 3} rows`]);
    expect(comparisons[0]).toMatchObject({ used: 7, remaining: 9993 });
    const { usage } = await backend.request(`{ usage(accountId: "globex", feature: "api_calls") { used } }`);
    expect(usage.used).toBe(7);
  });

  it('counts 200 concurrent comparisons exactly, the report reading right after them', async () => {
    const since = newEra();
    // Four kinds of answer, 50 of each: agreed, ACCESS (export_csv refused by the plan), LIMIT, and agreed on a limit.
    const kinds = [
      { accountId: 'acme', feature: 'export_csv', legacyAllowed: false },
      { accountId: 'acme', feature: 'export_csv', legacyAllowed: true },
      { accountId: 'globex', feature: 'seats', legacyAllowed: true, legacyLimit: 25 },
      { accountId: 'globex', feature: 'seats', legacyAllowed: true, legacyLimit: 20 },
    ];
    const answers = await Promise.all(Array.from({ length: 200 }, (_, index) => compare(kinds[index % 4]!)));
    expect(answers.filter((answer) => answer.agreed)).toHaveLength(100);

    const { byFeature, ...totals } = await report({ since });
    expect(totals).toEqual({ compared: 200, agreed: 100, disagreed: 100, accessDisagreements: 50, limitDisagreements: 50 });
    expect(byFeature.map(({ samples: _samples, ...counts }: { samples: unknown[] }) => counts)).toEqual([
      { feature: 'export_csv', compared: 100, agreed: 50, disagreed: 50, accessDisagreements: 50, limitDisagreements: 0 },
      { feature: 'seats', compared: 100, agreed: 50, disagreed: 50, accessDisagreements: 0, limitDisagreements: 50 },
    ]);
    const [stored] = await sql<{ count: string }>(t, 'select count(*) as count from shadow_comparison where compared_at >= ?', [new Date(since)]);
    expect(Number(stored!.count)).toBe(200);
  });

  it('reports only comparisons made since `since`, and only `feature` when given', async () => {
    const first = newEra();
    await compare({ accountId: 'acme', feature: 'seats', legacyAllowed: true, legacyLimit: 2 });
    await compare({ accountId: 'acme', feature: 'seats', legacyAllowed: false });
    await compare({ accountId: 'acme', feature: 'export_csv', legacyAllowed: false });
    const second = newEra();
    await compare({ accountId: 'globex', feature: 'seats', legacyAllowed: true, legacyLimit: 3 });
    await compare({ accountId: 'globex', feature: 'export_csv', legacyAllowed: true });

    expect(await report({ since: second })).toMatchObject({ compared: 2, agreed: 1, disagreed: 1 });
    expect(await report({ since: first })).toMatchObject({ compared: 5, agreed: 3, disagreed: 2 });
    const seats = await report({ since: first, feature: 'seats' });
    expect(seats).toMatchObject({ compared: 3, agreed: 1, disagreed: 2, accessDisagreements: 1, limitDisagreements: 1 });
    expect(seats.byFeature.map((feature: { feature: string }) => feature.feature)).toEqual(['seats']);
    expect(seats.byFeature[0].samples.map((sample: Comparison) => [sample.accountId, sample.disagreement])).toEqual([
      ['globex', 'LIMIT'],
      ['acme', 'ACCESS'],
    ]);
    expect(await report({ since: second, feature: 'sso' })).toEqual({
      compared: 0, agreed: 0, disagreed: 0, accessDisagreements: 0, limitDisagreements: 0, byFeature: [],
    });
    // Without `since`: everything ever compared.
    const everything = await report();
    const [stored] = await sql<{ count: string }>(t, 'select count(*) as count from shadow_comparison');
    expect(everything.compared).toBe(Number(stored!.count));
  });

  it('keeps at most 10 samples per feature: the newest disagreements, newest first', async () => {
    const since = newEra();
    const start = now.getTime();
    for (let second = 0; second < 15; second += 1) {
      now = new Date(start + second * 1000);
      await compare({ accountId: 'acme', feature: 'api_calls', legacyAllowed: true, legacyLimit: 50 + second });
    }
    // Newer agreements are not samples.
    now = new Date(start + 60_000);
    await compare({ accountId: 'acme', feature: 'api_calls', legacyAllowed: true, legacyLimit: 100 });
    const { byFeature } = await report({ since, feature: 'api_calls' });
    expect(byFeature[0]).toMatchObject({ compared: 16, disagreed: 15 });
    const samples: Comparison[] = byFeature[0].samples;
    expect(samples.map((sample) => sample.legacyLimit)).toEqual([64, 63, 62, 61, 60, 59, 58, 57, 56, 55]);
    expect(samples.map((sample) => sample.comparedAt)).toEqual([...samples.map((sample) => sample.comparedAt)].sort().reverse());
    expect(samples[0]).toMatchObject({
      accountId: 'acme', feature: 'api_calls', allowed: true, reason: 'INCLUDED_IN_PLAN', limit: 100,
      legacyAllowed: true, legacyLimit: 64, agreed: false, disagreement: 'LIMIT', comparedAt: new Date(start + 14_000).toISOString(),
    });
  });

  it('refuses unknown accounts and features and bad input, recording nothing', async () => {
    const since = newEra();
    const refusals: [Record<string, unknown>, string][] = [
      [{ accountId: 'ghost', feature: 'seats', legacyAllowed: true }, 'ACCOUNT_NOT_FOUND'],
      [{ accountId: 'acme', feature: 'warp_drive', legacyAllowed: true }, 'UNKNOWN_FEATURE'],
      [{ accountId: 'acme', feature: 'Seats!', legacyAllowed: true }, 'BAD_USER_INPUT'],
      [{ accountId: 'ac me', feature: 'seats', legacyAllowed: true }, 'BAD_USER_INPUT'],
      [{ accountId: 'acme', feature: 'seats', amount: 0, legacyAllowed: true }, 'BAD_USER_INPUT'],
      [{ accountId: 'acme', feature: 'seats', legacyAllowed: true, legacyLimit: -1 }, 'QUANTITY_OUT_OF_RANGE'],
      [{ accountId: 'acme', feature: 'seats', legacyAllowed: true, legacyLimit: 2 ** 53 }, 'QUANTITY_OUT_OF_RANGE'],
      [{ accountId: 'acme', feature: 'seats' }, 'BAD_USER_INPUT'],
    ];
    for (const [input, code] of refusals) {
      const result = await backend.raw(COMPARE, { input });
      expect(result.errors[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
      expect(result.data?.compareEntitlement ?? null).toBeNull();
    }
    expect((await report({ since })).compared).toBe(0);
    expect(await backend.errorCode(REPORT, { feature: 'warp_drive' })).toBe('UNKNOWN_FEATURE');
    expect(await backend.errorCode(REPORT, { feature: 'NOT A KEY' })).toBe('BAD_USER_INPUT');
    expect(await backend.errorCode(REPORT, { since: '0000-01-01T00:00:00Z' })).toBe('BAD_USER_INPUT');
  });

  it('compares a batch in one call, each input failing alone', async () => {
    const since = newEra();
    const { compareEntitlements } = await backend.request(COMPARE_MANY, {
      inputs: [
        { accountId: 'acme', feature: 'seats', legacyAllowed: true, legacyLimit: 2 },
        { accountId: 'acme', feature: 'warp_drive', legacyAllowed: true },
        { accountId: 'acme', feature: 'export_csv', legacyAllowed: true },
        { accountId: 'ghost', feature: 'seats', legacyAllowed: true },
      ],
    });
    expect(compareEntitlements).toMatchObject({ compared: 2, agreed: 1, disagreed: 1, failed: 2 });
    expect(compareEntitlements.results).toEqual([
      { index: 0, code: null, message: null, comparison: { feature: 'seats', agreed: true, disagreement: null } },
      { index: 1, code: 'UNKNOWN_FEATURE', message: expect.stringMatching(/^inputs\.1: Unknown feature "warp_drive"/), comparison: null },
      { index: 2, code: null, message: null, comparison: { feature: 'export_csv', agreed: false, disagreement: 'ACCESS' } },
      { index: 3, code: 'ACCOUNT_NOT_FOUND', message: expect.stringMatching(/^inputs\.3: Unknown account "ghost"/), comparison: null },
    ]);
    expect(await report({ since })).toMatchObject({ compared: 2, agreed: 1, disagreed: 1 });

    const tooMany = Array.from({ length: 1001 }, () => ({ accountId: 'acme', feature: 'seats', legacyAllowed: true }));
    const refused = await backend.raw(COMPARE_MANY, { inputs: tooMany });
    expect(refused.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors[0]?.message).toMatch(/at most 1000 comparisons per call/);
    expect((await report({ since })).compared).toBe(2);
  });
});

describe('shadow mode at shutdown', () => {
  it('writes every answered comparison before the server closes', async () => {
    const database = await freshDatabase();
    try {
      const t = await startTestServer({ databaseUrl: database.url });
      await seedBasicCatalog(t.admin);
      await createAccount(t.admin, 'acme');
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.admin.request(COMPARE, { input: { accountId: 'acme', feature: 'seats', legacyAllowed: true } }),
        ),
      );
      expect(answers).toHaveLength(50);
      await t.stop();

      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ count: string }>('select count(*) as count from shadow_comparison');
        expect(Number(rows[0]!.count)).toBe(50);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, ENTITLEMENT_QUERY, seedBasicCatalog } from '../support/fixtures.js';
import { CONSUME } from '../support/metering.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

/**
 * A query whose exact text Apollo Server has already accepted is answered without Apollo's
 * per-request pipeline (server/src/http/known-query-fast-path.ts). The property users rely on:
 * the answer is the same, byte for byte, header for header, whether the text is new to the
 * server or known, for answers and refusals alike. The clock is pinned so `asOf` is too.
 */
describe('answering a known query', () => {
  let t: TestServer;
  const now = new Date('2026-03-15T12:00:00.000Z');
  let serverKey: string;

  beforeAll(async () => {
    t = await startTestServer({ clock: () => new Date(now), env: { NODE_ENV: 'production' } });
    await seedBasicCatalog(t.admin);
    await createAccount(t.admin, 'acme');
    await changePlan(t.admin, { accountId: 'acme', plan: 'pro' });
    await createAccount(t.admin, 'other');
    ({ createApiKey: { secret: serverKey } } = await t.admin.request(`mutation { createApiKey(input: { name: "backend", role: SERVER }) { secret } }`));
    await t.admin.request(CONSUME, { input: { accountId: 'acme', feature: 'seats', amount: 20, idempotencyKey: randomUUID() } });
  });
  afterAll(() => t?.stop());

  const post = async (body: unknown, headers: Record<string, string> = {}, credential: string | null = serverKey) => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  };
  /** The first answer (the text is new: Apollo answers) and the second (the text is known). */
  const twice = async (body: unknown, headers: Record<string, string> = {}, credential: string | null = serverKey) => {
    const first = await post(body, headers, credential);
    const second = await post(body, headers, credential);
    return { first, second };
  };

  const answers: [string, unknown][] = [
    ['an allowed entitlement', { query: ENTITLEMENT_QUERY, variables: { accountId: 'acme', feature: 'export_csv' } }],
    ['a limit reached (data, not an error)', { query: ENTITLEMENT_QUERY, variables: { accountId: 'acme', feature: 'seats' } }],
    ['every entitlement', { query: '{ entitlements(accountId: "acme") { feature allowed reason limit used remaining asOf resetsAt } }' }],
    ['the current plan', { query: '{ currentPlan(accountId: "acme") { plan { key name price { formatted } } subscription { phase inForce } } }' }],
    ['__typename', { query: '{ __typename }' }],
    ['one operation of several, by name', { query: 'query A { __typename } query B { publishedPlans { key } }', operationName: 'B' }],
  ];

  it.each(answers)('answers %s the same when the text is known', async (_name, body) => {
    const { first, second } = await twice(body);
    expect(first.status).toBe(200);
    expect(first.body).not.toContain('"errors"');
    expect(second).toEqual(first);
  });

  it('answers with the content type Apollo negotiates for the Accept header', async () => {
    const body = { query: '{ entitlement(accountId: "acme", feature: "sso") { allowed reason } }' };
    for (const accept of ['application/graphql-response+json,application/json;q=0.9', 'application/json', '*/*']) {
      const { first, second } = await twice(body, { accept });
      expect(second).toEqual(first);
    }
    expect((await post(body, { accept: 'application/graphql-response+json' })).contentType).toBe('application/graphql-response+json; charset=utf-8');
  });

  const refusals: [string, unknown, string | null][] = [
    ['an unknown feature', { query: '{ entitlement(accountId: "acme", feature: "nope") { allowed } }' }, null],
    ['variables that do not fit', { query: ENTITLEMENT_QUERY, variables: { accountId: 'acme', feature: 'seats', amount: -1 } }, null],
    ['an unknown operation name', { query: 'query A { __typename }', operationName: 'B' }, null],
    ['no credential', { query: '{ __typename }' }, 'none'],
    ['an unknown key', { query: '{ __typename }' }, 'tg_server_0000000000000000000000000000000000000000000'],
  ];

  it.each(refusals)('refuses %s the same when the text is known', async (_name, body, credential) => {
    const key = credential === 'none' ? null : (credential ?? serverKey);
    // Make the text known with a request that succeeds, where one can.
    if (credential !== null) await post(body);
    const { first, second } = await twice(body, {}, key);
    expect(first.body).toContain('"errors"');
    expect(second).toEqual(first);
  });

  it('refuses another account\'s client token for a known text, as for a new one', async () => {
    const query = { query: '{ entitlement(accountId: "acme", feature: "export_csv") { allowed } }' };
    await post(query);
    const { createClientToken } = await t.admin.request(`mutation { createClientToken(accountId: "other") { token } }`);
    const refused = await post(query, {}, createClientToken.token);
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('stops answering a revoked key at once, although the text is known', async () => {
    const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "short-lived", role: SERVER }) { secret apiKey { id } } }`);
    const body = { query: '{ entitlement(accountId: "acme", feature: "export_csv") { allowed } }' };
    expect((await post(body, {}, createApiKey.secret)).status).toBe(200);
    await t.as(TEST_ADMIN_KEY).request(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
    const refused = await post(body, {}, createApiKey.secret);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('never skips the pipeline for a mutation: a known consume text still counts each time', async () => {
    const body = { query: 'mutation ($key: String!) { consume(input: { accountId: "acme", feature: "api_calls", idempotencyKey: $key }) { ok entitlement { used } } }' };
    const used = [];
    for (let i = 0; i < 3; i += 1) used.push(JSON.parse((await post({ ...body, variables: { key: randomUUID() } })).body).data.consume.entitlement.used);
    expect(used).toEqual([1, 2, 3]);
  });

  it('answers a batch and a GET as Apollo does, whether the text is known or not', async () => {
    const known = { query: '{ __typename }' };
    await post(known);
    const batch = await twice([known, known]);
    expect(batch.second).toEqual(batch.first);
    const get = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { authorization: `Bearer ${serverKey}`, 'apollo-require-preflight': '1' } });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

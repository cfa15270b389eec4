import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createAccount, ENTITLEMENT_QUERY, seedBasicCatalog } from '../support/fixtures.js';
import { asSession, signedInOperator } from '../support/operators.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DAY = 86_400_000;
const REQUEST = `mutation ($input: GrantOverrideInput!) {
  requestOverride(input: $input) { id status requestedBy requestedAt decidedBy input { accountId feature effect endsAt permanent reason } override { id } }
}`;
const APPROVE = `mutation ($id: ID!, $note: String) {
  approveOverrideRequest(id: $id, note: $note) { id status decidedBy decidedAt decisionNote override { id approvedBy createdBy active feature } }
}`;
const REJECT = `mutation ($id: ID!, $reason: String!) { rejectOverrideRequest(id: $id, reason: $reason) { id status decidedBy decisionNote override { id } } }`;
const GRANT = `mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id approvedBy createdBy endsAt } }`;

describe.each(['postgresql', 'embedded'] as const)('four-eyes override approvals on the %s database', (database) => {
  let now = new Date('2026-06-01T12:00:00.000Z');
  let t: TestServer;
  const as: Record<string, { id: string; session: string }> = {};
  const ask = (who: string, query: string, variables?: Record<string, unknown>) => asSession(t.server.graphqlUrl, as[who]!.session, query, variables);

  beforeAll(async () => {
    t = await startTestServer({ database, clock: () => new Date(now) });
    await seedBasicCatalog(t.admin);
    await createAccount(t.admin, 'acme');
    for (const [who, role] of [['support', 'SUPPORT'], ['support2', 'SUPPORT'], ['billing', 'BILLING'], ['owner', 'OWNER'], ['viewer', 'VIEWER'], ['pricing', 'PRICING']]) {
      as[who] = await signedInOperator(t, `${who}@example.com`, role!);
    }
  });
  afterAll(() => t?.stop());

  const input = (days: number | null, extra: Record<string, unknown> = {}) => ({
    accountId: 'acme', feature: 'export_csv', effect: 'GRANT', reason: 'Pilot for the Q3 deal',
    ...(days === null ? { permanent: true } : { endsAt: new Date(now.getTime() + days * DAY).toISOString() }),
    ...extra,
  });

  it('lets SUPPORT grant within the policy alone, approved by themselves, and refuses beyond it with APPROVAL_REQUIRED', async () => {
    const within = await ask('support', GRANT, { input: input(30) });
    expect(within.errors).toEqual([]);
    expect(within.data.grantOverride).toMatchObject({ approvedBy: 'support@example.com', createdBy: 'support@example.com' });
    const ownEmail = await ask('support', GRANT, { input: input(5, { approvedBy: 'SUPPORT@example.com' }) });
    expect(ownEmail.data.grantOverride.approvedBy).toBe('support@example.com');

    for (const beyond of [input(30, { endsAt: new Date(now.getTime() + 30 * DAY + 1).toISOString() }), input(null)]) {
      const refused = await ask('support', GRANT, { input: beyond });
      expect(refused.errors[0].extensions).toMatchObject({ code: 'APPROVAL_REQUIRED', mutation: 'requestOverride', policyDays: 30 });
      expect(refused.errors[0].message).toMatch(/requestOverride/);
    }
    // Even an OWNER: a grant outside the policy needs a second person.
    expect((await ask('owner', GRANT, { input: input(90) })).errors[0].extensions.code).toBe('APPROVAL_REQUIRED');
    // Naming someone else as the approver is not a way around it.
    const claimed = await ask('support', GRANT, { input: input(5, { approvedBy: 'The CFO' }) });
    expect(claimed.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    // An admin key is not bound by the policy, and names the approver.
    expect((await t.admin.request(GRANT, { input: input(null, { approvedBy: 'Dana' }) })).grantOverride.approvedBy).toBe('Dana');
    expect((await t.admin.raw(GRANT, { input: input(null) })).errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('grants a requested override when another person approves it, with the approver as approvedBy', async () => {
    const requested = await ask('support', REQUEST, { input: input(90, { feature: 'seats', effect: 'SET_LIMIT', value: 50 }) });
    expect(requested.errors).toEqual([]);
    const request = requested.data.requestOverride;
    expect(request).toMatchObject({ status: 'PENDING', requestedBy: 'support@example.com', decidedBy: null, override: null });
    expect((await t.admin.request(ENTITLEMENT_QUERY, { accountId: 'acme', feature: 'seats' })).entitlement.limit).toBe(2);

    expect((await ask('support', APPROVE, { id: request.id })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await ask('viewer', APPROVE, { id: request.id })).errors[0].extensions.code).toBe('FORBIDDEN');
    const approved = await ask('billing', APPROVE, { id: request.id, note: 'Signed contract in the CRM' });
    expect(approved.errors).toEqual([]);
    expect(approved.data.approveOverrideRequest).toMatchObject({
      status: 'APPROVED', decidedBy: 'billing@example.com', decidedAt: now.toISOString(), decisionNote: 'Signed contract in the CRM',
      override: { approvedBy: 'billing@example.com', createdBy: 'support@example.com', active: true, feature: 'seats' },
    });
    expect((await t.admin.request(ENTITLEMENT_QUERY, { accountId: 'acme', feature: 'seats' })).entitlement.limit).toBe(50);

    const twice = await ask('owner', APPROVE, { id: request.id });
    expect(twice.errors[0].extensions).toMatchObject({ code: 'OVERRIDE_REQUEST_DECIDED', status: 'APPROVED' });
    const { auditLog } = await t.admin.request(`{ auditLog(accountId: "acme", actor: "billing@example.com", first: 5) { edges { node { action actorKind } } } }`);
    expect(auditLog.edges.map((edge: any) => edge.node.action)).toEqual(['override_request.approve', 'override.grant']);
  });

  it('refuses self-approval, to operators and API keys alike', async () => {
    const own = (await ask('billing', REQUEST, { input: input(null) })).data.requestOverride;
    const self = await ask('billing', APPROVE, { id: own.id });
    expect(self.errors[0].extensions).toMatchObject({ code: 'SELF_APPROVAL', id: own.id });
    expect(self.data).toBeNull();

    const byKey = (await t.admin.request(REQUEST, { input: input(null) })).requestOverride;
    expect(byKey.requestedBy).toBe('bootstrap admin (TOLLGATE_ADMIN_KEY)');
    expect(await t.admin.errorCode(APPROVE, { id: byKey.id })).toBe('SELF_APPROVAL');
    const approved = await ask('owner', APPROVE, { id: byKey.id });
    expect(approved.data.approveOverrideRequest.override.approvedBy).toBe('owner@example.com');

    const { overrideRequests } = await t.admin.request(`{ overrideRequests(accountId: "acme", status: PENDING, first: 100) { edges { node { id } } } }`);
    expect(overrideRequests.edges.map((edge: any) => edge.node.id)).toContain(own.id);
  });

  it('rejects with a reason and grants nothing; lists the queue newest first, a page at a time', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      now = new Date(now.getTime() + 1000);
      ids.push((await ask('support2', REQUEST, { input: input(60, { reason: `request ${index}` }) })).data.requestOverride.id);
    }
    const rejected = await ask('owner', REJECT, { id: ids[0], reason: 'No deal signed yet' });
    expect(rejected.data.rejectOverrideRequest).toMatchObject({ status: 'REJECTED', decidedBy: 'owner@example.com', decisionNote: 'No deal signed yet', override: null });
    expect((await ask('owner', REJECT, { id: ids[0], reason: 'again' })).errors[0].extensions.code).toBe('OVERRIDE_REQUEST_DECIDED');
    expect((await ask('owner', REJECT, { id: ids[1], reason: '   ' })).errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const page = async (after: string | null) => (await ask('viewer', `query ($after: String) {
      overrideRequests(status: PENDING, first: 1, after: $after) { edges { node { id input { reason } } } pageInfo { hasNextPage endCursor } } }`, { after })).data.overrideRequests;
    const first = await page(null);
    expect(first.edges[0].node.id).toBe(ids[2]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges[0].node.id).toBe(ids[1]);
  });

  it('lets exactly one of two approvers win a race, granting one override', async () => {
    const request = (await ask('support', REQUEST, { input: input(40, { feature: 'sso' }) })).data.requestOverride;
    const [a, b] = await Promise.all([ask('billing', APPROVE, { id: request.id }), ask('owner', APPROVE, { id: request.id })]);
    const codes = [a, b].map((answer) => answer.errors[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['OK', 'OVERRIDE_REQUEST_DECIDED']);
    const rows = await t.server.orm.em.fork().execute(`select count(*)::int as n from override where feature_key = 'sso' and account_id = 'acme'`);
    expect(rows[0].n).toBe(1);
  });

  it('lets SUPPORT extend a trial by the policy\'s days at most, and BILLING further', async () => {
    await t.admin.request(`mutation { changePlan(input: { accountId: "acme", plan: "pro", trial: true }) { id } }`);
    const trialEnd = Date.parse((await t.admin.request(`{ account(id: "acme") { subscription { trialEndsAt } } }`)).account.subscription.trialEndsAt);
    const extend = (who: string, days: number) => ask(who, `mutation ($endsAt: DateTimeISO!) {
      extendTrial(input: { accountId: "acme", endsAt: $endsAt, reason: "Procurement is slow" }) { subscription { trialEndsAt } } }`,
    { endsAt: new Date(trialEnd + days * DAY).toISOString() });
    const over = await extend('support', 31);
    expect(over.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', policyDays: 30 });
    expect((await extend('support', 30)).errors).toEqual([]);
    expect((await extend('billing', 200)).errors).toEqual([]);
    const { auditLog } = await t.admin.request(`{ auditLog(accountId: "acme", action: "subscription.extend_trial", first: 2) { edges { node { actor after } } } }`);
    expect(auditLog.edges.map((edge: any) => [edge.node.actor, edge.node.after.approvedBy])).toEqual([
      ['billing@example.com', 'billing@example.com'], ['support@example.com', 'support@example.com'],
    ]);
  });

  it('answers NUL and oversized strings in every request field with BAD_USER_INPUT, writing nothing', async () => {
    const before = await t.server.orm.em.fork().execute(`select count(*)::int as n from override_request`);
    const bad = ['bad\u0000value', 'x'.repeat(5000)];
    for (const value of bad) {
      for (const field of ['reason', 'accountId', 'feature']) {
        const answer = await ask('support', REQUEST, { input: input(40, { [field]: value }) });
        expect(answer.errors[0].extensions.code, `${field}`).toBe('BAD_USER_INPUT');
      }
      expect((await ask('owner', APPROVE, { id: value })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect((await ask('owner', REJECT, { id: '00000000-0000-4000-8000-000000000000', reason: value })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect((await ask('viewer', `query ($after: String) { overrideRequests(after: $after) { edges { cursor } } }`, { after: value })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    const after = await t.server.orm.em.fork().execute(`select count(*)::int as n from override_request`);
    expect(after[0].n).toBe(before[0].n);
  });
});

describe('pending requests announced through the change feed', () => {
  let t: TestServer;
  let database: FreshDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
    t = await startTestServer({ databaseUrl: database.url });
    await seedBasicCatalog(t.admin);
    await createAccount(t.admin, 'acme');
  });
  afterAll(async () => {
    await t?.stop();
    await database?.drop();
  });

  it('sends a PENDING notification when a request is made, and APPROVED when it is decided', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const received: any[] = [];
    listener.on('notification', (message) => received.push(JSON.parse(message.payload!)));
    await listener.query('listen tollgate_changes');
    try {
      const support = await signedInOperator(t, 'support@example.com', 'SUPPORT');
      const { data } = await asSession(t.server.graphqlUrl, support.session, REQUEST, {
        input: { accountId: 'acme', feature: 'export_csv', effect: 'GRANT', permanent: true, reason: 'Design partner' },
      });
      const id = data.requestOverride.id;
      await t.admin.request(APPROVE, { id });
      const deadline = Date.now() + 5000;
      while (!received.some((change) => change.scope === 'override-request' && change.status === 'APPROVED') && Date.now() < deadline) {
        // A deadline, never a sleep: wake on the next notification or when time is up.
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          listener.once('notification', () => resolve(clearTimeout(timer)));
        });
      }
      const requests = received.filter((change) => change.scope === 'override-request');
      expect(requests).toEqual([
        { scope: 'override-request', requestId: id, accountId: 'acme', status: 'PENDING' },
        { scope: 'override-request', requestId: id, accountId: 'acme', status: 'APPROVED' },
      ]);
    } finally {
      await listener.end();
    }
  });
});

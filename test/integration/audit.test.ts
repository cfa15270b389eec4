import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, seedBasicCatalog } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await seedBasicCatalog(t.admin);
});
afterAll(() => t?.stop());

const LOG = `query ($accountId: ID, $first: Int, $after: String) {
  auditLog(accountId: $accountId, first: $first, after: $after) {
    edges { cursor node { id at actor action accountId entityType entityId before after reason } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('audit log', () => {
  it('records every write with actor, action, before and after, newest first', async () => {
    const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "support-desk", role: ADMIN }) { secret } }`);
    const support = t.as(createApiKey.secret);
    await createAccount(support, 'acme', 'Acme');
    await changePlan(support, { accountId: 'acme', plan: 'pro' });
    await support.request(`mutation { grantOverride(input: {
      accountId: "acme", feature: "sso", effect: GRANT, endsAt: "2099-01-01T00:00:00Z", reason: "pilot", approvedBy: "Ana"
    }) { id } }`);

    const { auditLog } = await t.admin.request(LOG, { accountId: 'acme' });
    const entries = auditLog.edges.map((edge: any) => edge.node);
    expect(entries.map((entry: any) => entry.action)).toEqual(['override.grant', 'subscription.change_plan', 'account.create']);
    expect(entries.every((entry: any) => entry.actor === 'support-desk' && entry.accountId === 'acme')).toBe(true);
    expect(entries[0]).toMatchObject({ entityType: 'Override', reason: 'pilot', after: { feature: 'sso', effect: 'GRANT', approvedBy: 'Ana' } });
    expect(entries[1]).toMatchObject({ before: null, after: { plan: 'pro', version: 1, status: 'ACTIVE' } });
  });

  it('records the state before a change', async () => {
    await t.admin.request(`mutation { updateSubscriptionStatus(input: { accountId: "acme", status: CANCELED, reason: "churn" }) { id } }`);
    const { auditLog } = await t.admin.request(LOG, { accountId: 'acme', first: 1 });
    expect(auditLog.edges[0].node).toMatchObject({
      action: 'subscription.update_status', reason: 'churn', before: { status: 'ACTIVE' }, after: { status: 'CANCELED' },
    });
  });

  it('pages by cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { auditLog }: any = await t.admin.request(LOG, { first: 3, after });
      seen.push(...auditLog.edges.map((edge: any) => edge.node.id));
      pages += 1;
      if (!auditLog.pageInfo.hasNextPage) break;
      after = auditLog.pageInfo.endCursor;
    }
    const { auditLog: all } = await t.admin.request(LOG, { first: 100 });
    expect(seen).toEqual(all.edges.map((edge: any) => edge.node.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThan(3);
  });

  it('writes nothing, not even an audit entry, when a change is refused', async () => {
    const before = (await t.admin.request(LOG, { first: 100 })).auditLog.edges.length;
    await t.admin.raw(`mutation { changePlan(input: { accountId: "acme", plan: "ghost" }) { id } }`);
    await t.admin.raw(`mutation { createFeature(input: { key: "export_csv", name: "dup", kind: SWITCH }) { key } }`);
    const after = (await t.admin.request(LOG, { first: 100 })).auditLog.edges.length;
    expect(after).toBe(before);
  });

  it('rejects a cursor it did not make and a page size out of range', async () => {
    expect(await t.admin.errorCode(LOG, { after: 'bm90LWEtY3Vyc29y' })).toBe('BAD_USER_INPUT');
    expect(await t.admin.errorCode(LOG, { first: 0 })).toBe('BAD_USER_INPUT');
    expect(await t.admin.errorCode(LOG, { first: 101 })).toBe('BAD_USER_INPUT');
  });
});

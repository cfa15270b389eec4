import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, ENTITLEMENT_QUERY, seedBasicCatalog } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(['postgresql', 'embedded'] as const)('on the %s database', (database) => {
  /** A clock the test moves by hand, so expiry is checked at the exact instant. */
  let now = new Date('2026-06-01T12:00:00.000Z');
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ database, clock: () => new Date(now) });
    await seedBasicCatalog(t.admin);
    await createAccount(t.admin, 'acme');
  });
  afterAll(() => t?.stop());

  const GRANT = `mutation ($input: GrantOverrideInput!) {
    grantOverride(input: $input) { id feature effect value startsAt endsAt permanent reason approvedBy createdBy active }
  }`;

  async function entitlement(feature: string) {
    const { entitlement } = await t.admin.request(ENTITLEMENT_QUERY, { accountId: 'acme', feature });
    return entitlement;
  }

  describe('overrides', () => {
    it('grants a feature until endsAt, and stops at that instant exactly with no job running', async () => {
      const endsAt = '2026-06-08T12:00:00.000Z';
      const { grantOverride } = await t.admin.request(GRANT, {
        input: { accountId: 'acme', feature: 'export_csv', effect: 'GRANT', endsAt, reason: 'sales trial', approvedBy: 'Dana (sales)' },
      });
      expect(grantOverride).toMatchObject({
        feature: 'export_csv', effect: 'GRANT', permanent: false, approvedBy: 'Dana (sales)', active: true,
        createdBy: 'bootstrap admin (TOLLGATE_ADMIN_KEY)',
      });
      expect(await entitlement('export_csv')).toMatchObject({
        allowed: true, reason: 'GRANTED_BY_OVERRIDE', expiresAt: endsAt, source: { overrideIds: [grantOverride.id] },
      });

      now = new Date(Date.parse(endsAt) - 1);
      expect(await entitlement('export_csv')).toMatchObject({ allowed: true });
      now = new Date(endsAt);
      expect(await entitlement('export_csv')).toMatchObject({ allowed: false, reason: 'NOT_IN_PLAN', source: { overrideIds: [] } });
      now = new Date('2026-06-01T12:00:00.000Z');
    });

    it('applies a future override only from its startsAt', async () => {
      await t.admin.request(GRANT, {
        input: {
          accountId: 'acme', feature: 'seats', effect: 'SET_LIMIT', value: 50,
          startsAt: '2026-07-01T00:00:00.000Z', endsAt: '2026-08-01T00:00:00.000Z', reason: 'event', approvedBy: 'Sam',
        },
      });
      expect(await entitlement('seats')).toMatchObject({ limit: 2 });
      now = new Date('2026-07-01T00:00:00.000Z');
      expect(await entitlement('seats')).toMatchObject({ limit: 50 });
      now = new Date('2026-06-01T12:00:00.000Z');
    });

    it('adds to the limit with ADD_LIMIT and takes access away with REVOKE, newest first', async () => {
      const add = await t.admin.request(GRANT, {
        input: { accountId: 'acme', feature: 'api_calls', effect: 'ADD_LIMIT', value: 400, permanent: true, reason: 'apology', approvedBy: 'Kim' },
      });
      expect(add.grantOverride).toMatchObject({ permanent: true, endsAt: null });
      expect(await entitlement('api_calls')).toMatchObject({ limit: 500, allowed: true });

      const revoke = await t.admin.request(GRANT, {
        input: { accountId: 'acme', feature: 'api_calls', effect: 'REVOKE', endsAt: '2026-06-02T00:00:00.000Z', reason: 'abuse', approvedBy: 'Kim' },
      });
      expect(await entitlement('api_calls')).toMatchObject({ allowed: false, reason: 'REVOKED_BY_OVERRIDE' });

      const { revokeOverride } = await t.admin.request(
        `mutation ($id: ID!) { revokeOverride(id: $id, reason: "resolved") { revokedAt revokedBy revokeReason active } }`,
        { id: revoke.grantOverride.id },
      );
      expect(revokeOverride).toMatchObject({ revokeReason: 'resolved', active: false, revokedBy: 'bootstrap admin (TOLLGATE_ADMIN_KEY)' });
      expect(await entitlement('api_calls')).toMatchObject({ allowed: true, limit: 500 });
    });

    it('keeps every override on the account, with the active ones apart', async () => {
      const { account } = await t.admin.request(`{ account(id: "acme") { activeOverrides { effect feature } overrides { effect revokedAt } } }`);
      expect(account.overrides.length).toBe(4);
      expect(account.activeOverrides).toHaveLength(2);
      expect(account.activeOverrides).toEqual(
        expect.arrayContaining([{ effect: 'ADD_LIMIT', feature: 'api_calls' }, { effect: 'GRANT', feature: 'export_csv' }]),
      );
    });

    it('refuses an override without endsAt, reason or approver, or with a value that does not fit', async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ effect: 'GRANT', reason: 'x', approvedBy: 'y' }, /endsAt: is required unless permanent is true/],
        [{ effect: 'GRANT', endsAt: '2026-07-01T00:00:00Z', reason: ' ', approvedBy: 'y' }, /reason: is required/],
        [{ effect: 'SET_LIMIT', endsAt: '2026-07-01T00:00:00Z', reason: 'x', approvedBy: 'y' }, /value: is required for SET_LIMIT/],
        [{ effect: 'GRANT', endsAt: '2026-05-01T00:00:00Z', reason: 'x', approvedBy: 'y' }, /endsAt: must be/],
        [{ effect: 'GRANT', permanent: true, endsAt: '2026-07-01T00:00:00Z', reason: 'x', approvedBy: 'y' }, /endsAt: must be empty/],
      ];
      for (const [fields, message] of cases) {
        const result = await t.admin.raw(GRANT, { input: { accountId: 'acme', feature: 'seats', ...fields } });
        expect(result.errors[0]?.extensions?.code, JSON.stringify(fields)).toBe('BAD_USER_INPUT');
        expect(result.errors[0]?.message).toMatch(message);
      }
      const negative = await t.admin.raw(GRANT, {
        input: { accountId: 'acme', feature: 'seats', effect: 'SET_LIMIT', value: -5, endsAt: '2026-07-01T00:00:00Z', reason: 'x', approvedBy: 'y' },
      });
      expect(negative.errors[0]?.extensions?.code).toBe('QUANTITY_OUT_OF_RANGE');
      expect(negative.errors[0]?.message).toMatch(/Quantity cannot represent -5/);
      const missing = await t.admin.raw(GRANT, {
        input: { accountId: 'acme', feature: 'seats', effect: 'GRANT', endsAt: '2026-07-01T00:00:00Z', approvedBy: 'y' },
      });
      expect(missing.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const { account } = await t.admin.request(`{ account(id: "acme") { overrides { id } } }`);
      expect(account.overrides.length).toBe(4);
    });

    it('refuses overrides for unknown accounts and features, and unknown or twice-revoked ids', async () => {
      const base = { effect: 'GRANT', endsAt: '2026-07-01T00:00:00Z', reason: 'x', approvedBy: 'y' };
      expect(await t.admin.errorCode(GRANT, { input: { ...base, accountId: 'ghost', feature: 'seats' } })).toBe('ACCOUNT_NOT_FOUND');
      expect(await t.admin.errorCode(GRANT, { input: { ...base, accountId: 'acme', feature: 'warp' } })).toBe('UNKNOWN_FEATURE');
      expect(
        await t.admin.errorCode(`mutation { revokeOverride(id: "00000000-0000-4000-8000-000000000000", reason: "x") { id } }`),
      ).toBe('OVERRIDE_NOT_FOUND');
      const { account } = await t.admin.request(`{ account(id: "acme") { overrides { id revokedAt } } }`);
      const revoked = account.overrides.find((override: any) => override.revokedAt);
      expect(await t.admin.errorCode(`mutation ($id: ID!) { revokeOverride(id: $id, reason: "again") { id } }`, { id: revoked.id })).toBe(
        'OVERRIDE_ALREADY_REVOKED',
      );
    });
  });
});

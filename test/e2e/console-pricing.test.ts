import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openConsole, PEOPLE, sessionOf, startConsoleServer, type ConsolePerson, type ConsoleServer } from '../support/console.js';
import { budget } from '../support/time-budget.js';

/**
 * Issue 23's pricing proof, in Debian's Chromium against the real server on PostgreSQL: a PRICING
 * operator drafts Pro v2 (more API calls, fewer seats included, SSO added, a higher price), sees
 * it beside v1, publishes it, previews moving the 1,000+ accounts on v1 (over-limit ones first,
 * the revenue change shown), starts the migration and watches it finish, all in one page load of
 * the console; the API then says every account is on v2 and the audit names her and the migration.
 */
let server: ConsoleServer;
let browser: Browser;

/** Accounts seeded on Pro v1 besides the console's own (Acme Labs in a trial, Globex paying). */
const SEEDED = 1000;
/** Of them, the ones using more seats than v2 includes. */
const CROWDED = 25;
const SEATS_USED = 15;
const V2_SEATS = 10;
const accountId = (index: number) => `acct-${String(index).padStart(4, '0')}`;

beforeAll(async () => {
  server = await startConsoleServer();
  browser = await launchChromium();
  // 1,000 paying accounts on Pro v1, inserted with SQL as a bulk import would.
  const db = new pg.Client({ connectionString: server.t.databaseUrl! });
  await db.connect();
  try {
    await db.query(
      `insert into account (id, name, metadata, created_at, updated_at)
       select 'acct-' || lpad(i::text, 4, '0'), 'Account ' || i, '{}', now(), now() from generate_series(0, $1 - 1) as i`,
      [SEEDED],
    );
    await db.query(
      `insert into subscription (id, account_id, plan_version_id, status, current_period_start, current_period_end, add_ons, billing_provider_ids, created_at, updated_at)
       select gen_random_uuid(), 'acct-' || lpad(i::text, 4, '0'),
         (select pv.id from plan_version pv join plan p on p.id = pv.plan_id where p.key = 'pro' and pv.version = 1),
         'ACTIVE', now(), now() + interval '1 month', '[]', '{}', now(), now()
       from generate_series(0, $1 - 1) as i`,
      [SEEDED],
    );
  } finally {
    await db.end();
  }
  // Some of them hold more seats than v2 will include: the host backend says so.
  const backend = server.t.as(server.serverKey);
  for (let index = 0; index < CROWDED; index++) {
    await backend.request(`mutation ($input: ConsumeInput!) { consume(input: $input) { ok } }`, {
      input: { accountId: accountId(index * 37), feature: 'seats', amount: SEATS_USED, idempotencyKey: `crowded-${index}` },
    });
  }
}, budget(240_000));

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** GraphQL as a person, with their session cookie, as their console would send it. */
async function asPerson(person: ConsolePerson, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const session = await sessionOf(server.url, person);
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `tollgate_session=${session}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** A marker set on the page's window: still there later means the page never reloaded. */
async function markPage(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => ((window as unknown as { consoleTestMarker: number }).consoleTestMarker = 23));
  return () => page.evaluate(() => (window as unknown as { consoleTestMarker?: number }).consoleTestMarker === 23);
}

describe('the pricing desk', () => {
  it('a PRICING operator drafts Pro v2, sees the diff, publishes it, previews and runs the migration of 1,002 accounts live, without leaving the console', async () => {
    const { context, page, problems } = await openConsole(browser, server, { as: PEOPLE.pia });
    try {
      await page.goto(`${server.url}/console/catalog`);
      await page.getByRole('heading', { name: 'Catalog', level: 1 }).waitFor();
      const sameDocument = await markPage(page);
      const onV1 = 1 + 1 + SEEDED; // Acme Labs (trial), Globex and the seeded accounts.
      const pro = page.getByRole('region', { name: /^Pro pro/ });
      await pro.getByRole('region', { name: 'Versions of Pro' }).getByRole('row', { name: /v1/ }).getByText(onV1.toLocaleString('en-US')).waitFor();

      // A draft, copied from v1.
      await pro.getByRole('button', { name: 'New draft of Pro' }).click();
      await page.getByRole('heading', { name: 'Pro v2', level: 1 }).waitFor();
      const draft = page.getByRole('form', { name: 'Draft v2' });
      const apiCalls = draft.getByRole('group', { name: /api_calls/ });
      const seats = draft.getByRole('group', { name: /\(seats\)/ });

      // The server's validation is shown next to the field it is about.
      await apiCalls.getByLabel('Soft limit %').fill('150');
      await draft.getByRole('button', { name: 'Save draft' }).click();
      await apiCalls.getByText('must be from 1 to 100').waitFor();

      // More API calls, fewer seats included, SSO added, a higher price.
      await apiCalls.getByLabel('Soft limit %').fill('80');
      await apiCalls.getByLabel('Limit', { exact: true }).fill('100000');
      await seats.getByLabel('Limit', { exact: true }).fill(String(V2_SEATS));
      await draft.getByLabel('Price', { exact: true }).fill('39.00');
      await draft.getByLabel('Add a feature').selectOption('sso');
      await draft.getByRole('button', { name: 'Add', exact: true }).click();
      await draft.getByRole('group', { name: /\(sso\)/ }).waitFor();
      await draft.getByRole('button', { name: 'Save draft' }).click();
      await page.getByRole('status').filter({ hasText: 'Draft v2 saved' }).waitFor();
      await expect.poll(() => apiCalls.getByText('must be from 1 to 100').count()).toBe(0);

      // The diff against v1, side by side.
      const diff = page.getByRole('table', { name: 'Changes from v1 to v2' });
      await diff.getByRole('row', { name: /^sso/ }).getByText('enabled, unlimited').waitFor();
      await expect.poll(() => diff.getByRole('row', { name: /^api_calls/ }).innerText()).toMatch(/50,000 per month\s+.*100,000 per month/s);
      await expect.poll(() => diff.getByRole('row', { name: /^seats/ }).innerText()).toMatch(/enabled, 20\s+.*enabled, 10/s);
      await expect.poll(() => diff.getByRole('row', { name: /^Price/ }).innerText()).toMatch(/\$29\.00.*\$39\.00/s);

      // Publishing says what it does and what it does not do before it is confirmed.
      await page.getByRole('button', { name: 'Publish v2…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Publish Pro v2?' });
      await confirm.getByText(`the ${onV1.toLocaleString('en-US')} accounts on v1 stay on their version (grandfathered)`, { exact: false }).waitFor();
      await confirm.getByRole('button', { name: 'Publish v2' }).click();
      await confirm.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'Pro v2 is published' }).waitFor();
      await page.getByRole('heading', { name: 'Pro v2', level: 1 }).locator('..').getByText('Published').waitFor();

      // The migration, previewed.
      await page.getByRole('link', { name: 'Migrate accounts to v2' }).first().click();
      await page.getByRole('heading', { name: 'New migration' }).waitFor();
      const selection = page.getByRole('form', { name: 'Which accounts move' });
      await expect.poll(() => selection.getByLabel('Move to').inputValue()).toBe('2');
      await expect.poll(() => selection.getByRole('checkbox', { name: /v1/ }).isChecked()).toBe(true);
      await selection.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByRole('region', { name: /^Preview: pro/ });
      await preview.getByText('Accounts moving').locator('..').getByText(onV1.toLocaleString('en-US')).waitFor({ timeout: budget(30_000) });
      // Acme Labs is in a trial: it moves but pays nothing yet, so 1,001 accounts pay $10 more.
      await preview.getByText('+$10,010.00 / month').waitFor();
      await preview.getByText('Over a new limit').first().waitFor();
      const rows = preview.getByRole('table', { name: /Per-account changes/ }).getByRole('row');
      // The header, then the over-limit accounts, then the others.
      const firstRows = await rows.evaluateAll((elements) => elements.slice(1).map((row) => ({ text: (row as HTMLElement).innerText, over: row.textContent!.includes('Over a new limit') })));
      expect(firstRows.slice(0, CROWDED).every((row) => row.over)).toBe(true);
      expect(firstRows[CROWDED].over).toBe(false);
      expect(firstRows[0].text).toContain(`seats ${20} → ${V2_SEATS}`);

      // Started with a reason, followed live to the end.
      await preview.getByRole('button', { name: 'Start migration…' }).click();
      const start = page.getByRole('dialog', { name: 'Start the migration' });
      await start.getByLabel('Reason').fill('Pro v2: more API calls and SSO for everyone on Pro');
      await start.getByRole('button', { name: 'Start migration' }).click();
      await page.waitForURL(/\/console\/migrations\/[0-9a-f-]{36}$/);
      const migrationId = page.url().split('/').pop()!;
      await page.getByRole('status').filter({ hasText: `Completed: ${onV1.toLocaleString('en-US')} moved, 0 skipped, 0 failed.` }).waitFor({ timeout: budget(60_000) });
      await page.getByText('Completed', { exact: true }).waitFor();
      expect(await sameDocument()).toBe(true);
      expect(problems).toEqual([]);

      // The API agrees: everyone is on v2, and each account's audit entry names Pia and the migration.
      const { plans } = (await asPerson(PEOPLE.vic, `{ plans { key versions { version subscriptionCount } } }`)).data;
      expect(plans.find((plan: { key: string }) => plan.key === 'pro').versions).toEqual([
        { version: 1, subscriptionCount: 0 },
        { version: 2, subscriptionCount: onV1 },
      ]);
      const { planMigration } = (await asPerson(PEOPLE.vic, `query ($id: ID!) { planMigration(id: $id) { status actor total migrated reason } }`, { id: migrationId })).data;
      expect(planMigration).toEqual({ status: 'COMPLETED', actor: PEOPLE.pia.email, total: onV1, migrated: onV1, reason: 'Pro v2: more API calls and SSO for everyone on Pro' });
      const crowded = accountId(0);
      const { account } = (await asPerson(PEOPLE.vic, `query ($id: ID!) { account(id: $id) { subscription { planVersion { plan version } } } }`, { id: crowded })).data;
      expect(account.subscription.planVersion).toEqual({ plan: 'pro', version: 2 });
      const { auditLog } = (
        await asPerson(PEOPLE.olga, `query ($account: ID!) { auditLog(accountId: $account, action: "subscription.migrate") { edges { node { actor actorKind actorId reason after } } } }`, {
          account: crowded,
        })
      ).data;
      expect(auditLog.edges).toHaveLength(1);
      expect(auditLog.edges[0].node).toMatchObject({ actor: PEOPLE.pia.email, actorKind: 'MIGRATION', actorId: migrationId, after: { migrationId, version: 2 } });
      const published = (await asPerson(PEOPLE.olga, `{ auditLog(action: "plan_version.publish") { edges { node { actor entityId } } } }`)).data.auditLog.edges;
      expect(published.map((edge: { node: unknown }) => edge.node)).toContainEqual({ actor: PEOPLE.pia.email, entityId: 'pro@2' });

      // Past migrations list it, and its accounts' outcomes open from there.
      await page.getByRole('link', { name: 'Migrations', exact: true }).first().click();
      await page.getByRole('region', { name: 'Past migrations' }).getByRole('link', { name: 'pro v1 → pro v2' }).click();
      await page.getByRole('region', { name: 'Per-account outcomes' }).getByRole('link', { name: crowded }).waitFor();
      expect(await sameDocument()).toBe(true);
    } finally {
      await context.close();
    }
  }, budget(240_000));

  it('a PRICING operator adds a feature that requires another (a key already taken is refused under the key field) and an add-on with its grant', async () => {
    const { context, page, problems } = await openConsole(browser, server, { as: PEOPLE.pia });
    try {
      await page.goto(`${server.url}/console/catalog?tab=features`);
      await page.getByRole('button', { name: 'New feature' }).click();
      const dialog = page.getByRole('dialog', { name: 'New feature' });
      await dialog.getByLabel('Key').fill('sso');
      await dialog.getByLabel('Name').fill('Audit log');
      await dialog.getByRole('button', { name: 'Add feature' }).click();
      await dialog.locator('.tg-field', { has: page.getByLabel('Key') }).getByRole('alert').waitFor();
      await dialog.getByLabel('Key').fill('audit_log');
      await dialog.getByRole('radio', { name: /Switch/ }).check();
      await dialog.getByRole('checkbox', { name: 'sso' }).check();
      await dialog.getByRole('button', { name: 'Add feature' }).click();
      await dialog.waitFor({ state: 'detached' });
      const row = page.getByRole('region', { name: 'Features' }).getByRole('row', { name: /Audit log/ });
      await row.getByText('sso', { exact: true }).waitFor();

      // An add-on selling more API calls, per unit bought.
      await page.getByRole('tab', { name: /Add-ons/ }).click();
      await page.getByRole('button', { name: 'New add-on' }).click();
      const addOn = page.getByRole('dialog', { name: 'New add-on' });
      await addOn.getByLabel('Key').fill('extra_calls');
      await addOn.getByLabel('Name').fill('Extra API calls');
      await addOn.getByLabel('Price of one unit').fill('5.00');
      await addOn.getByLabel('Feature').selectOption('api_calls');
      await addOn.getByLabel('Added to the limit per unit').fill('10000');
      await addOn.getByRole('button', { name: 'Add add-on' }).click();
      await addOn.waitFor({ state: 'detached' });
      await page.getByRole('region', { name: 'Add-ons' }).getByRole('row', { name: /Extra API calls/ }).getByText('+10,000 to the limit', { exact: false }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    const { features } = (await asPerson(PEOPLE.vic, `{ features { key kind requires } }`)).data;
    expect(features).toContainEqual({ key: 'audit_log', kind: 'SWITCH', requires: ['sso'] });
    const { addOns } = (await asPerson(PEOPLE.vic, `{ addOns { key price { amount currency } grants { feature enable limitIncrement } } }`)).data;
    expect(addOns).toContainEqual({ key: 'extra_calls', price: { amount: 500, currency: 'USD' }, grants: [{ feature: 'api_calls', enable: false, limitIncrement: 10_000 }] });
  }, budget(120_000));

  it('a VIEWER reads the catalog with no edit control, and the server refuses a draft forced through', async () => {
    const { context, page } = await openConsole(browser, server, { as: PEOPLE.vic });
    try {
      await page.goto(`${server.url}/console/catalog`);
      await page.getByRole('region', { name: 'Versions of Pro' }).waitFor();
      expect(await page.getByRole('button', { name: /New draft/ }).count()).toBe(0);
      await page.getByRole('tab', { name: /Features/ }).click();
      await page.getByText('Single sign-on').waitFor();
      expect(await page.getByRole('button', { name: 'New feature' }).count()).toBe(0);
      await page.goto(`${server.url}/console/migrations`);
      await page.getByRole('heading', { name: 'Migrations' }).waitFor();
      expect(await page.getByRole('link', { name: 'New migration' }).count()).toBe(0);
    } finally {
      await context.close();
    }
    const forced = await asPerson(PEOPLE.vic, `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 100, currency: "USD" }, entitlements: [] }) { version } }`);
    expect(forced.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, budget(120_000));
});

import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openConsole, PEOPLE, sessionOf, startConsoleServer, type ConsoleServer } from '../support/console.js';
import { deliver, startStripeStandIn, stripeEvent, stripeSubscription, TEST_WEBHOOK_SECRET, type StripeStandIn } from '../support/stripe.js';
import { budget } from '../support/time-budget.js';

/**
 * Issue 23's proof for finance and owners, in Debian's Chromium against the real server on
 * PostgreSQL, as the people would use the console: billing resolves a Stripe event of an unknown
 * customer by linking the customer from its sync issue, and reconciles with Stripe (a dry run, then
 * an apply after reading its guards); an owner invites a person who accepts the link in a second
 * browser, then deactivates them and that browser's open console goes to sign-in by itself; the
 * audit log filtered in the URL, and its CSV export holding every filtered row, not only the page.
 *
 * Stripe cannot be reached from where the tests run: webhooks are signed here with the `stripe`
 * package's own helper, and Stripe's API is the local, stateful stand-in of test/support/stripe.ts
 * (STRIPE_API_BASE), which the server reads subscriptions and customers from and lists for
 * reconciliation.
 */
let server: ConsoleServer;
let standIn: StripeStandIn;
let browser: Browser;

const DAY = 86_400_000;
const TEAM_PRICE = 'price_desk_team_monthly';

beforeAll(async () => {
  standIn = await startStripeStandIn();
  server = await startConsoleServer({ stripe: { webhookSecret: TEST_WEBHOOK_SECRET, apiKey: 'sk_test_tollgate_standin', apiBase: standIn.url } });
  const admin = server.t.admin;
  // A plan Stripe bills: its price maps to Team v1.
  await admin.request(`mutation { createPlan(input: { key: "team", name: "Team", rank: 15 }) { key } }`);
  const { createPlanVersion } = await admin.request(
    `mutation ($input: CreatePlanVersionInput!) { createPlanVersion(input: $input) { version } }`,
    { input: { plan: 'team', price: { amount: 9900, currency: 'USD' }, trialDays: 0, billingPriceIds: [TEAM_PRICE], entitlements: [{ feature: 'export_csv' }, { feature: 'sso' }, { feature: 'seats', limit: 50 }] } },
  );
  await admin.request(`mutation ($version: Int!) { publishPlanVersion(plan: "team", version: $version) { status } }`, { version: createPlanVersion.version });
  browser = await launchChromium();
}, budget(180_000));

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await standIn?.close();
});

describe('the billing desk', () => {
  it('billing links an unknown Stripe customer from its sync issue: the issue is resolved and the account billed; then a dry run, and an apply after its guards', async () => {
    const now = Date.now();
    const subscription = stripeSubscription({
      id: 'sub_desk_unknown', customer: 'cus_DeskUnknown1', status: 'active', items: [{ price: TEAM_PRICE }],
      periodStart: new Date(now - DAY).toISOString(), periodEnd: new Date(now + 29 * DAY).toISOString(),
    });
    standIn.customers.set('cus_DeskUnknown1', { id: 'cus_DeskUnknown1', object: 'customer', metadata: {} });
    standIn.subscriptions.set(subscription.id, structuredClone(subscription));
    const answer = await deliver(server.url, stripeEvent('evt_desk_unknown', 'customer.subscription.created', Math.floor(now / 1000), subscription));
    expect(answer).toMatchObject({ status: 200, body: { outcome: 'UNMAPPED' } });

    const { context, page, problems } = await openConsole(browser, server, { as: PEOPLE.bea });
    try {
      await page.goto(`${server.url}/console/billing`);
      await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
      const issues = page.getByRole('list', { name: 'Sync issues' });
      const issue = issues.getByRole('listitem').filter({ hasText: 'evt_desk_unknown' });
      await issue.getByText('Unknown customer').waitFor();
      await issue.getByText('Link this Stripe customer to an account').waitFor();

      // Link from the issue itself: find the account, choose it, link.
      await issue.getByRole('button', { name: 'Link to an account: cus_DeskUnknown1' }).click();
      const dialog = page.getByRole('dialog', { name: 'Link cus_DeskUnknown1 to an account' });
      // Checked before anything is sent: an account must be chosen.
      await dialog.getByRole('button', { name: 'Link and replay' }).click();
      await dialog.getByText('Choose the account this customer pays for.').waitFor();
      await dialog.getByLabel('Find the account').fill('Acme Corp');
      await dialog.getByRole('radio', { name: /Acme Corporation/ }).check();
      await dialog.getByRole('button', { name: 'Link and replay' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'Linked cus_DeskUnknown1 to Acme Corporation' }).waitFor();

      // No longer open; resolved, saying how.
      await page.getByText('No open sync issue').waitFor();
      await page.getByRole('navigation', { name: 'Which sync issues' }).getByRole('link', { name: 'Resolved' }).click();
      await expect.poll(() => page.url()).toContain('issues=resolved');
      const resolved = page.getByRole('list', { name: 'Sync issues' }).getByRole('listitem').filter({ hasText: 'evt_desk_unknown' });
      await resolved.getByText('Resolved', { exact: true }).waitFor();
      await expect.poll(() => resolved.innerText()).toMatch(/replayed after linkBillingCustomer by bea@tollgate\.test/);

      // The account is billed now: on Team, by that customer.
      await page.goto(`${server.url}/console/accounts/acme/subscription`);
      await page.getByRole('heading', { name: 'Acme Corporation', level: 1 }).waitFor();
      const header = page.locator('.account-header');
      await expect.poll(() => header.innerText()).toContain('Team');
      expect(await header.innerText()).toContain('cus_DeskUnknown1');

      // Stripe moves on where Tollgate did not hear it: the subscription is past due, and a
      // customer nobody linked subscribed too.
      standIn.subscriptions.set(subscription.id, { ...structuredClone(subscription), status: 'past_due' });
      const orphan = stripeSubscription({
        id: 'sub_desk_orphan', customer: 'cus_DeskOrphan1', status: 'active', items: [{ price: TEAM_PRICE }],
        periodStart: new Date(now - DAY).toISOString(), periodEnd: new Date(now + 29 * DAY).toISOString(),
      });
      standIn.customers.set('cus_DeskOrphan1', { id: 'cus_DeskOrphan1', object: 'customer', metadata: {} });
      standIn.subscriptions.set(orphan.id, orphan);

      await page.goto(`${server.url}/console/billing`);
      const reconciliation = page.getByRole('region', { name: 'Reconciliation' });
      await reconciliation.getByRole('button', { name: 'Run a dry run' }).click();
      await reconciliation.getByText('Dry run: nothing written.').waitFor({ timeout: budget(20_000) });
      const statusTable = reconciliation.getByRole('table', { name: 'Different status: 1' });
      await statusTable.getByRole('cell', { name: 'sub_desk_unknown' }).waitFor();
      await statusTable.getByText('fixes it').waitFor();
      const missingTable = reconciliation.getByRole('table', { name: 'In Stripe, missing in Tollgate: 1' });
      await missingTable.getByRole('cell', { name: /sub_desk_orphan/ }).waitFor();
      await missingTable.getByText('by hand').waitFor();
      expect(await reconciliation.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['In Stripe, missing in Tollgate (1)', 'Different status (1)']);
      // A dry run wrote nothing.
      const { account: unchanged } = await server.t.admin.request(`{ account(id: "acme") { subscription { status } } }`);
      expect(unchanged.subscription.status).toBe('ACTIVE');

      // Applying says its guards before it runs.
      await reconciliation.getByRole('button', { name: 'Apply 1 fix…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Apply the reconciliation?' });
      await confirm.getByText(/more than 10% of the Stripe-billed subscriptions would be canceled/).waitFor();
      await confirm.getByText(/confirmed missing by reading each one from Stripe/).waitFor();
      await confirm.getByText(/live or test/).waitFor();
      await confirm.getByRole('button', { name: 'Apply the fixes' }).click();
      await confirm.waitFor({ state: 'detached' });
      await reconciliation.getByText('Applied: 1 fixed.').waitFor({ timeout: budget(20_000) });
      const { account: fixed } = await server.t.admin.request(`{ account(id: "acme") { subscription { status } } }`);
      expect(fixed.subscription.status).toBe('PAST_DUE');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a viewer the sync issues but no link or reconcile control, and the server refuses a link forced through', async () => {
    const now = Date.now();
    const subscription = stripeSubscription({
      id: 'sub_desk_viewer', customer: 'cus_DeskViewer1', status: 'active', items: [{ price: TEAM_PRICE }],
      periodStart: new Date(now - DAY).toISOString(), periodEnd: new Date(now + 29 * DAY).toISOString(),
    });
    standIn.customers.set('cus_DeskViewer1', { id: 'cus_DeskViewer1', object: 'customer', metadata: {} });
    standIn.subscriptions.set(subscription.id, structuredClone(subscription));
    expect((await deliver(server.url, stripeEvent('evt_desk_viewer', 'customer.subscription.created', Math.floor(now / 1000), subscription))).body.outcome).toBe('UNMAPPED');
    const { context, page } = await openConsole(browser, server, { as: PEOPLE.vic });
    try {
      await page.goto(`${server.url}/console/billing`);
      await page.getByRole('list', { name: 'Sync issues' }).getByText('evt_desk_viewer').waitFor();
      expect(await page.getByRole('button', { name: /Link to an account/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Run a dry run' }).count()).toBe(0);
      expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).count()).toBe(0);
      const forced = await page.evaluate(async () => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'mutation { linkBillingCustomer(accountId: "globex", customerId: "cus_forced") { id } }' }),
        });
        return (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      });
      expect(forced.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await context.close();
    }
  });
});

describe('settings', () => {
  it('an owner invites a person who accepts in a second browser; deactivated, their open console goes to sign-in by itself', async () => {
    const owner = await openConsole(browser, server, { as: PEOPLE.olga });
    const newcomer = await openConsole(browser, server, { as: null });
    try {
      const page = owner.page;
      await owner.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await page.goto(`${server.url}/console/accounts`);
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

      await page.getByRole('button', { name: 'Invite an operator' }).click();
      const invite = page.getByRole('dialog', { name: 'Invite an operator' });
      await invite.getByLabel('Email').fill('nia@tollgate.test');
      await invite.getByLabel('Name').fill('Nia New');
      await invite.getByLabel('Role').selectOption('SUPPORT');
      await invite.getByRole('button', { name: 'Invite' }).click();
      const shown = page.getByRole('dialog', { name: 'Invited Nia New' });
      await shown.getByText('Shown once').waitFor();
      const link = await shown.getByLabel('Invite link').inputValue();
      expect(link).toMatch(new RegExp(`^${server.url}/console/invite/[A-Za-z0-9_-]{43}$`));
      await shown.getByRole('button', { name: 'Copy' }).click();
      await shown.getByText('Copied.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
      await shown.getByRole('button', { name: 'Done' }).click();
      const operators = page.getByRole('table', { name: 'Operators' });
      const nia = operators.getByRole('row').filter({ hasText: 'nia@tollgate.test' });
      await nia.getByText('Invited', { exact: true }).filter({ visible: true }).waitFor();

      // The second browser accepts the link and is signed in.
      await newcomer.page.goto(link);
      await newcomer.page.getByLabel('Password').first().fill('a long new password for nia');
      await newcomer.page.getByLabel('The same password again').fill('a long new password for nia');
      await newcomer.page.getByRole('button', { name: 'Set password and sign in' }).click();
      await newcomer.page.getByRole('heading', { name: 'Accounts' }).waitFor();
      await newcomer.page.getByText('Nia New').waitFor();
      await newcomer.page.getByText('Live', { exact: true }).waitFor();

      // The owner sees her session, then deactivates her.
      await page.reload();
      await nia.getByText('Active', { exact: true }).filter({ visible: true }).waitFor();
      await nia.getByRole('button', { name: 'Sessions of Nia New' }).click();
      const sessions = page.getByRole('dialog', { name: "Nia New's sessions" });
      await expect.poll(() => sessions.getByRole('listitem').count()).toBe(1);
      await sessions.getByRole('button', { name: 'Close', exact: true }).last().click();
      await nia.getByRole('button', { name: 'Deactivate Nia New' }).click();
      const confirm = page.getByRole('dialog', { name: 'Deactivate Nia New?' });
      await confirm.getByText(/signed out at once, in every browser/).waitFor();
      await confirm.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByRole('status').filter({ hasText: 'Nia New is deactivated' }).waitFor();
      await nia.getByText('Deactivated', { exact: true }).filter({ visible: true }).waitFor();

      // Her console, untouched, is on the sign-in page at once: the server closed its socket.
      await newcomer.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: budget(5_000) });
      expect(newcomer.page.url()).toContain('/console/sign-in');
      // And she cannot sign in again.
      await newcomer.page.getByLabel('Email').fill('nia@tollgate.test');
      await newcomer.page.getByLabel('Password').fill('a long new password for nia');
      await newcomer.page.getByRole('button', { name: 'Sign in' }).click();
      await newcomer.page.getByText('The email or password is wrong').waitFor();
      expect(owner.problems).toEqual([]);
    } finally {
      await owner.context.close();
      await newcomer.context.close();
    }
  });

  it('an owner creates an API key, its secret shown once and working, and revokes it after confirming', async () => {
    const { context, page, problems } = await openConsole(browser, server, { as: PEOPLE.olga });
    try {
      await page.goto(`${server.url}/console/settings?section=api-keys`);
      await page.getByRole('heading', { name: 'API keys' }).waitFor();
      await page.getByRole('button', { name: 'Create an API key' }).click();
      const create = page.getByRole('dialog', { name: 'Create an API key' });
      await create.getByLabel('Name').fill('warehouse sync');
      await create.getByRole('radio', { name: /Server/ }).check();
      await create.getByRole('button', { name: 'Create' }).click();
      const shown = page.getByRole('dialog', { name: 'Created “warehouse sync”' });
      const secret = await shown.getByLabel('Secret').inputValue();
      const works = await server.t.as(secret).raw(`{ account(id: "acme") { id } }`);
      expect(works.data.account.id).toBe('acme');
      await shown.getByRole('button', { name: 'Done' }).click();

      const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'warehouse sync' });
      await row.getByRole('button', { name: 'Revoke warehouse sync' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke “warehouse sync”?' });
      await confirm.getByText(/cannot be undone/).waitFor();
      await confirm.getByRole('button', { name: 'Revoke' }).click();
      await row.getByText('Revoked').waitFor();
      const refused = await server.t.as(secret).raw(`{ account(id: "acme") { id } }`);
      expect(refused.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(page.url()).not.toContain(secret);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('hides Settings from every role but OWNER, and the server refuses the operators list', async () => {
    const { context, page } = await openConsole(browser, server, { as: PEOPLE.bea });
    try {
      await page.goto(`${server.url}/console/settings`);
      await page.getByText('Settings are for owners').waitFor();
      expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).count()).toBe(0);
      const session = await sessionOf(server.url, PEOPLE.bea);
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `tollgate_session=${session}` },
        body: JSON.stringify({ query: '{ operators { edges { node { email } } } }' }),
      });
      expect((await response.json()).errors[0].extensions.code).toBe('FORBIDDEN');
    } finally {
      await context.close();
    }
  });
});

describe('the audit log', () => {
  it('filters by actor, action, account and time in the URL, and exports every filtered row as CSV, escaped', async () => {
    const since = new Date(Date.now() - 1000);
    const session = await sessionOf(server.url, PEOPLE.sam);
    const inAWeek = new Date(Date.now() + 7 * DAY).toISOString();
    const grant = async (accountId: string, feature: string, reason: string) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `tollgate_session=${session}` },
        body: JSON.stringify({
          query: `mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`,
          variables: { input: { accountId, feature, effect: 'GRANT', endsAt: inAWeek, reason } },
        }),
      });
      const body = await response.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    };
    // 30 grants on Globex (more than a page of 25), one on Acme Labs, and a reason a spreadsheet would trip on.
    for (let index = 0; index < 30; index += 1) await grant('globex', index % 2 ? 'sso' : 'export_csv', index === 0 ? '=HYPERLINK("x"), "quoted"\nsecond line' : `Pilot week ${index}`);
    await grant('acme-labs', 'sso', 'Not on Globex');

    const { context, page, problems } = await openConsole(browser, server, { as: PEOPLE.olga });
    try {
      await page.goto(`${server.url}/console/audit`);
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      const form = page.getByRole('form', { name: 'Filter the audit log' });
      await form.getByLabel('Actor').fill(PEOPLE.sam.email);
      await form.getByLabel('Action').fill('override.grant');
      await form.getByLabel('Account').fill('globex');
      const local = await page.evaluate((iso) => {
        const date = new Date(iso);
        return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      }, new Date(since.getTime() - 60_000).toISOString());
      await form.getByLabel('From').fill(local);
      await form.getByRole('button', { name: 'Filter' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('actor')).toBe(PEOPLE.sam.email);
      const url = new URL(page.url());
      expect(url.searchParams.get('action')).toBe('override.grant');
      expect(url.searchParams.get('account')).toBe('globex');
      expect(url.searchParams.get('since')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);

      const entries = page.getByRole('list', { name: 'Audit entries, newest first' });
      await expect.poll(() => entries.getByRole('listitem').count()).toBe(25);
      expect(await entries.innerText()).not.toContain('Not on Globex');
      await page.getByText('25+ matching entries').waitFor();
      // Each entry opens to its before/after.
      await entries.getByRole('listitem').first().getByText('What changed').click();
      await entries.getByRole('listitem').first().getByRole('definition').first().waitFor();

      // The same URL in another tab shows the same filters.
      const again = await context.newPage();
      await again.goto(page.url());
      await expect.poll(() => again.getByLabel('Actor').inputValue()).toBe(PEOPLE.sam.email);
      expect(await again.getByLabel('Account').inputValue()).toBe('globex');
      await again.close();

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^tollgate-audit-.*\.csv$/);
      const csv = await readFile((await download.path())!, 'utf8');
      await page.getByRole('status').filter({ hasText: 'Exported 30 entries.' }).waitFor();
      const rows = readCsv(csv);
      expect(rows[0]).toEqual(['at', 'actor', 'actorKind', 'action', 'accountId', 'entityType', 'entityId', 'reason', 'before', 'after']);
      const body = rows.slice(1);
      // Every filtered row, all pages: what the server answers for the same filters, in its order.
      const { auditLog } = await server.t.admin.request(
        `query ($since: DateTimeISO) { auditLog(actor: "sam@tollgate.test", action: "override.grant", accountId: "globex", since: $since, first: 100) { edges { node { at reason } } } }`,
        { since: url.searchParams.get('since') },
      );
      expect(body.map((row) => row[0])).toEqual(auditLog.edges.map((edge: any) => edge.node.at));
      expect(body).toHaveLength(30);
      for (const row of body) expect(row.slice(1, 5)).toEqual([PEOPLE.sam.email, 'OPERATOR', 'override.grant', 'globex']);
      // The tricky reason comes back whole, guarded against running as a formula.
      expect(body.at(-1)![7]).toBe(`'=HYPERLINK("x"), "quoted"\nsecond line`);
      expect(JSON.parse(body[0]![9]!)).toMatchObject({ effect: 'GRANT', feature: expect.stringMatching(/^(sso|export_csv)$/) });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** RFC 4180 read back by csv-parse, not by the writer's own code. */
const readCsv = (text: string): string[][] => parse(text, { relax_quotes: false });

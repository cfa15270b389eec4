import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budget } from '../support/time-budget.js';
import { launchChromium, openConsole, PEOPLE, screenshotDirectory, seriousViolations, sessionOf, startConsoleServer, type ConsolePerson, type ConsoleServer } from '../support/console.js';
import { deliver, startStripeStandIn, stripeEvent, stripeSubscription, TEST_WEBHOOK_SECRET, type StripeStandIn } from '../support/stripe.js';

/**
 * Every console page, as an owner sees it with real data (an override in force, a request waiting,
 * usage, history), in light and dark at 1280 and 390 px: axe-core finds no serious or critical
 * violation, the page is not wider than the screen, and nothing is logged as an error. Each view
 * is saved as a screenshot (test-results/console, or CONSOLE_SCREENSHOTS: docs/console, which docs/console.md shows).
 * Billing's views read Stripe through the local stand-in of test/support/stripe.ts (Stripe cannot be
 * reached from here), holding a subscription of a customer nobody linked and one Tollgate mirrors
 * with another status.
 */
let server: ConsoleServer;
let standIn: StripeStandIn;
let browser: Browser;
let inviteLink: string;
let migrationId: string;

/** GraphQL as a person, with their session cookie, as their console would send it. */
async function asPerson(person: ConsolePerson, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const session = await sessionOf(server.url, person);
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `tollgate_session=${session}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

beforeAll(async () => {
  standIn = await startStripeStandIn();
  server = await startConsoleServer({ stripe: { webhookSecret: TEST_WEBHOOK_SECRET, apiKey: 'sk_test_tollgate_standin', apiBase: standIn.url } });
  browser = await launchChromium();
  await seedBilling();
  const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000).toISOString();
  await asPerson(PEOPLE.sam, `mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
    input: { accountId: 'acme', feature: 'seats', effect: 'SET_LIMIT', value: 10, endsAt: inTwoWeeks, reason: 'Onboarding workshop with their whole team' },
  });
  await asPerson(PEOPLE.sam, `mutation ($input: GrantOverrideInput!) { requestOverride(input: $input) { id } }`, {
    input: { accountId: 'acme', feature: 'export_csv', effect: 'GRANT', endsAt: inTwoWeeks, reason: 'Evaluating exports before the renewal call' },
  });
  const { inviteOperator } = await server.t.admin.request(`mutation { inviteOperator(input: { email: "new@tollgate.test", name: "Nia New", role: SUPPORT }) { link } }`);
  inviteLink = new URL(inviteOperator.link).pathname;
  await seedPricing();
}, budget(180_000));

/**
 * What the pricing desk's pages show: a draft Pro v2 beside v1, a Team plan whose v2 includes
 * fewer seats with one account already migrated and two to go (one over the new limit), and a
 * week of shadow comparisons with a few disagreements.
 */
async function seedPricing(): Promise<void> {
  const admin = server.t.admin;
  const entitlements = (seats: number) => [
    { feature: 'api_calls', limit: 10_000, period: 'MONTH' },
    { feature: 'seats', limit: seats },
  ];
  await admin.request(`mutation { createPlan(input: { key: "team", name: "Team", rank: 5 }) { key } }`);
  for (const [version, seats, amount] of [[1, 5, 900], [2, 3, 1200]]) {
    await admin.request(`mutation ($input: CreatePlanVersionInput!) { createPlanVersion(input: $input) { version } }`, {
      input: { plan: 'team', price: { amount, currency: 'USD' }, entitlements: entitlements(seats) },
    });
    await admin.request(`mutation ($version: Int!) { publishPlanVersion(plan: "team", version: $version) { version } }`, { version });
  }
  for (const [id, name] of [['initech', 'Initech'], ['umbrella', 'Umbrella'], ['hooli', 'Hooli']]) {
    await admin.request(`mutation ($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }`, { input: { id, name } });
    await admin.request(`mutation ($id: ID!) { changePlan(input: { accountId: $id, plan: "team", version: 1 }) { id } }`, { id });
  }
  await server.t.as(server.serverKey).request(`mutation { consume(input: { accountId: "umbrella", feature: "seats", amount: 4, idempotencyKey: "umbrella-seats" }) { ok } }`);
  const { startPlanMigration } = await asPerson(
    PEOPLE.pia,
    `mutation { startPlanMigration(input: { plan: "team", fromVersions: [1], toVersion: 2, accountIds: ["initech"] }, reason: "Initech asked for the new Team terms") { id } }`,
  );
  migrationId = startPlanMigration.id;
  await asPerson(PEOPLE.pia, `mutation ($input: CreatePlanVersionInput!) { createPlanVersion(input: $input) { version } }`, {
    input: {
      plan: 'pro',
      price: { amount: 3900, currency: 'USD' },
      trialDays: 14,
      entitlements: [{ feature: 'export_csv' }, { feature: 'sso' }, { feature: 'api_calls', limit: 100_000, period: 'MONTH' }, { feature: 'seats', limit: 20 }],
    },
  });
  // Shadow comparisons, then spread over the last week as a week of traffic would have left them.
  const inputs = Array.from({ length: 60 }, (_, index) => ({
    accountId: ['acme', 'globex', 'acme-labs'][index % 3],
    feature: ['export_csv', 'api_calls', 'seats'][index % 3 === 0 ? 0 : index % 2 ? 1 : 2],
    legacyAllowed: index % 11 !== 0 ? index % 3 !== 0 : index % 3 === 0,
    ...(index % 13 === 5 ? { legacyLimit: 40_000 } : {}),
  }));
  await server.t.as(server.serverKey).request(`mutation ($inputs: [CompareEntitlementInput!]!) { compareEntitlements(inputs: $inputs) { __typename } }`, { inputs });
  const db = new pg.Client({ connectionString: server.t.databaseUrl! });
  await db.connect();
  try {
    // Comparisons are written in batches a moment after they are answered: wait for all of them.
    const deadline = Date.now() + budget(20_000);
    while ((await db.query(`select count(*)::int as n from shadow_comparison`)).rows[0].n < inputs.length) {
      if (Date.now() > deadline) throw new Error('the shadow comparisons were not recorded in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await db.query(`update shadow_comparison set compared_at = compared_at - (abs(hashtext(id::text)) % 7) * interval '1 day'`);
  } finally {
    await db.end();
  }
}

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await standIn?.close();
});

/** A Stripe-billed plan, Acme Labs billed on it (Stripe has it past due since), and an event of an unknown customer. */
async function seedBilling(): Promise<void> {
  const admin = server.t.admin;
  const price = 'price_1QBusinessMonthly';
  await admin.request(`mutation { createPlan(input: { key: "business", name: "Business", rank: 15 }) { key } }`);
  const { createPlanVersion } = await admin.request(`mutation ($input: CreatePlanVersionInput!) { createPlanVersion(input: $input) { version } }`, {
    input: { plan: 'business', price: { amount: 9900, currency: 'USD' }, trialDays: 0, billingPriceIds: [price], entitlements: [{ feature: 'export_csv' }, { feature: 'seats', limit: 50 }] },
  });
  await admin.request(`mutation ($version: Int!) { publishPlanVersion(plan: "business", version: $version) { status } }`, { version: createPlanVersion.version });
  const now = Date.now();
  const period = { periodStart: new Date(now - 86_400_000).toISOString(), periodEnd: new Date(now + 29 * 86_400_000).toISOString() };
  const billed = stripeSubscription({ id: 'sub_1QLabsTeam', customer: 'cus_QLabs42', status: 'active', items: [{ price }], account: 'acme-labs', ...period });
  const unknown = stripeSubscription({ id: 'sub_1QNewcoTeam', customer: 'cus_QNewco77', status: 'active', items: [{ price }], ...period });
  standIn.customers.set('cus_QLabs42', { id: 'cus_QLabs42', object: 'customer', metadata: {} });
  standIn.customers.set('cus_QNewco77', { id: 'cus_QNewco77', object: 'customer', metadata: {} });
  standIn.subscriptions.set(billed.id, structuredClone(billed));
  standIn.subscriptions.set(unknown.id, structuredClone(unknown));
  await deliver(server.url, stripeEvent('evt_1QLabsTeam', 'customer.subscription.created', Math.floor(now / 1000), billed));
  await deliver(server.url, stripeEvent('evt_1QNewcoTeam', 'customer.subscription.created', Math.floor(now / 1000), unknown));
  standIn.subscriptions.set(billed.id, { ...structuredClone(billed), status: 'past_due' });
}

/** A console view: where it is, who looks at it, and what shows it is ready. */
interface View {
  name: string;
  path: () => string;
  as: ConsolePerson | null;
  ready: (page: Page) => Promise<unknown>;
  /** Something to do once it is ready (open a dialog). */
  then?: (page: Page) => Promise<unknown>;
}

const views: View[] = [
  { name: 'sign-in', path: () => '/console/sign-in', as: null, ready: (page) => page.getByRole('heading', { name: 'Sign in' }).waitFor() },
  { name: 'invite', path: () => inviteLink, as: null, ready: (page) => page.getByRole('heading', { name: /choose your password/ }).waitFor() },
  { name: 'accounts', path: () => '/console/accounts?q=ac', as: PEOPLE.olga, ready: (page) => page.getByRole('link', { name: 'Acme Labs' }).waitFor() },
  {
    name: 'account-access',
    path: () => '/console/accounts/acme/access?feature=export_csv',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('region', { name: 'Why is CSV export denied?' }).getByText('Free v1 does not include CSV export.').waitFor(),
  },
  { name: 'account-usage', path: () => '/console/accounts/acme/usage?feature=api_calls', as: PEOPLE.olga, ready: (page) => page.locator('.tg-chart__plot canvas').waitFor() },
  {
    name: 'account-overrides',
    path: () => '/console/accounts/acme/overrides',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('region', { name: 'Waiting for approval' }).getByText('Evaluating exports').waitFor(),
  },
  {
    name: 'override-form',
    path: () => '/console/accounts/acme/overrides?grant=export_csv',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('dialog', { name: 'Grant or request an override' }).waitFor(),
  },
  {
    name: 'account-subscription',
    path: () => '/console/accounts/globex/subscription?change=enterprise&at=NOW',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('heading', { name: 'Gains' }).waitFor(),
  },
  { name: 'account-history', path: () => '/console/accounts/acme/history', as: PEOPLE.olga, ready: (page) => page.getByRole('list', { name: 'Changes, newest first' }).waitFor() },
  {
    name: 'approvals',
    path: () => '/console/approvals',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('list', { name: 'Override requests' }).getByText('Evaluating exports').waitFor(),
  },
  { name: 'catalog', path: () => '/console/catalog', as: PEOPLE.pia, ready: (page) => page.getByRole('region', { name: 'Versions of Pro' }).waitFor() },
  { name: 'catalog-features', path: () => '/console/catalog?tab=features', as: PEOPLE.pia, ready: (page) => page.getByText('Single sign-on').waitFor() },
  {
    name: 'catalog-add-on',
    path: () => '/console/catalog?tab=add-ons',
    as: PEOPLE.pia,
    ready: (page) => page.getByRole('region', { name: 'Add-ons' }).waitFor(),
    then: async (page) => {
      await page.getByRole('button', { name: 'New add-on' }).click();
      await page.getByRole('dialog', { name: 'New add-on' }).waitFor();
    },
  },
  { name: 'catalog-draft', path: () => '/console/catalog/pro/2', as: PEOPLE.pia, ready: (page) => page.getByRole('table', { name: 'Changes from v1 to v2' }).waitFor() },
  {
    name: 'catalog-publish',
    path: () => '/console/catalog/pro/2',
    as: PEOPLE.pia,
    ready: (page) => page.getByRole('button', { name: 'Publish v2…' }).waitFor(),
    then: async (page) => {
      await page.getByRole('button', { name: 'Publish v2…' }).click();
      await page.getByRole('dialog', { name: 'Publish Pro v2?' }).waitFor();
    },
  },
  { name: 'migrations', path: () => '/console/migrations', as: PEOPLE.pia, ready: (page) => page.getByRole('region', { name: 'Past migrations' }).waitFor() },
  {
    name: 'migration-preview',
    path: () => '/console/migrations/new?plan=team&to=2',
    as: PEOPLE.pia,
    ready: (page) => page.getByRole('button', { name: 'Preview' }).waitFor(),
    then: async (page) => {
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('table', { name: /Per-account changes/ }).waitFor();
    },
  },
  { name: 'migration', path: () => `/console/migrations/${migrationId}`, as: PEOPLE.pia, ready: (page) => page.getByRole('status').filter({ hasText: 'Completed:' }).waitFor() },
  { name: 'shadow', path: () => '/console/shadow', as: PEOPLE.pia, ready: (page) => page.locator('.tg-chart__plot canvas').waitFor() },
  { name: 'billing', path: () => '/console/billing', as: PEOPLE.olga, ready: (page) => page.getByRole('list', { name: 'Sync issues' }).getByText('evt_1QNewcoTeam').waitFor() },
  {
    name: 'billing-link',
    path: () => '/console/billing',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('button', { name: 'Link to an account: cus_QNewco77' }).waitFor(),
    then: async (page) => {
      await page.getByRole('button', { name: 'Link to an account: cus_QNewco77' }).click();
      const dialog = page.getByRole('dialog', { name: 'Link cus_QNewco77 to an account' });
      await dialog.getByLabel('Find the account').fill('acme');
      await dialog.getByRole('radio', { name: /Acme Corporation/ }).check();
    },
  },
  {
    name: 'billing-reconcile',
    path: () => '/console/billing',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('button', { name: 'Run a dry run' }).waitFor(),
    then: async (page) => {
      await page.getByRole('button', { name: 'Run a dry run' }).click();
      await page.getByRole('table', { name: 'Different status: 1' }).waitFor();
    },
  },
  {
    name: 'billing-apply',
    path: () => '/console/billing',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('button', { name: 'Run a dry run' }).waitFor(),
    then: async (page) => {
      await page.getByRole('button', { name: 'Run a dry run' }).click();
      await page.getByRole('button', { name: 'Apply 1 fix…' }).click();
      await page.getByRole('dialog', { name: 'Apply the reconciliation?' }).waitFor();
    },
  },
  {
    name: 'audit',
    path: () => `/console/audit?actor=${encodeURIComponent(PEOPLE.sam.email)}`,
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('list', { name: 'Audit entries, newest first' }).waitFor(),
    then: (page) => page.getByRole('list', { name: 'Audit entries, newest first' }).getByText('What changed').first().click(),
  },
  { name: 'settings', path: () => '/console/settings', as: PEOPLE.olga, ready: (page) => page.getByRole('table', { name: 'Operators' }).getByText(PEOPLE.sam.email).waitFor() },
  {
    name: 'settings-invite',
    path: () => '/console/settings',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('button', { name: 'Invite an operator' }).waitFor(),
    then: async (page) => {
      await page.getByRole('button', { name: 'Invite an operator' }).click();
      const dialog = page.getByRole('dialog', { name: 'Invite an operator' });
      await dialog.getByLabel('Email').fill('pat@tollgate.test');
      await dialog.getByLabel('Name').fill('Pat Pricing');
      await dialog.getByLabel('Role').selectOption('PRICING');
      await dialog.getByRole('button', { name: 'Invite' }).click();
      await page.getByRole('dialog', { name: 'Invited Pat Pricing' }).getByText('Shown once').waitFor();
    },
  },
  {
    name: 'settings-sessions',
    path: () => '/console/settings',
    as: PEOPLE.olga,
    ready: (page) => page.getByRole('button', { name: 'Sessions of Sam Support' }).waitFor(),
    then: async (page) => {
      await page.getByRole('button', { name: 'Sessions of Sam Support' }).click();
      await page.getByRole('dialog', { name: "Sam Support's sessions" }).getByRole('listitem').first().waitFor();
    },
  },
  { name: 'settings-api-keys', path: () => '/console/settings?section=api-keys', as: PEOPLE.olga, ready: (page) => page.getByRole('table', { name: 'API keys' }).getByText('host backend').waitFor() },
];

describe('every console page', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      it(`passes axe-core with no serious or critical violation, fits the screen and logs no error, ${colorScheme} at ${width} px`, async () => {
        const directory = await screenshotDirectory();
        const failures: string[] = [];
        for (const view of views) {
          const { context, page, problems } = await openConsole(browser, server, { as: view.as, colorScheme, width });
          try {
            await page.goto(`${server.url}${view.path()}`);
            await view.ready(page);
            await view.then?.(page);
            // Fonts and the chart's canvas settle before the picture and the audit.
            await page.evaluate(() => document.fonts.ready);
            for (const violation of await seriousViolations(page)) failures.push(`${view.name}: ${violation}`);
            const overflow = await page.evaluate(() => {
              const over = document.documentElement.scrollWidth - window.innerWidth;
              // Name the outermost elements that stick out, so a failure says where to look.
              const culprits = [...document.querySelectorAll('body *')]
                .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1 && (!element.closest('.tg-table-scroll, .tg-tabs__list') || getComputedStyle(element).position === 'absolute'))
                .filter((element) => !element.parentElement || element.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
                .slice(0, 3)
                .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
              return { over, culprits };
            });
            if (overflow.over > 0) failures.push(`${view.name}: ${overflow.over} px wider than the screen (${overflow.culprits.join(', ')})`);
            await page.screenshot({ path: join(directory, `${view.name}-${colorScheme}-${width}.png`), fullPage: true });
            const logged = problems.filter((problem) => !(view.as === null && problem.includes('status of 401')));
            for (const problem of logged) failures.push(`${view.name}: logged "${problem}"`);
          } finally {
            await context.close();
          }
        }
        expect(failures).toEqual([]);
      }, budget(300_000));
    }
  }
});

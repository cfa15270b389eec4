import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, startStripeStandIn, stripeEvent, TEST_WEBHOOK_SECRET, type StripeStandIn } from '../support/stripe.js';
import { openApp, startExampleApp, type ExampleApp } from './example-app.js';
import { budget } from '../support/time-budget.js';

/**
 * Buying a plan through Stripe Checkout in the example app, built for production, in Debian's
 * Chromium: the real Tollgate (demo catalog: Pro's price is price_demo_pro_monthly) and host API
 * (STRIPE_API_KEY set), and a local stand-in for Stripe's API and its hosted page (Stripe cannot
 * be reached from here). The test plays Stripe's webhook: it posts the signed
 * checkout.session.completed that Stripe would send once the session is paid.
 */
let app: ExampleApp;
let standIn: StripeStandIn;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  app = await startExampleApp({ stripe: { apiBase: standIn.url, webhookSecret: TEST_WEBHOOK_SECRET, apiKey: 'sk_test_tollgate_e2e_standin' } });
}, budget(120_000));

afterAll(async () => {
  await app?.close();
  await standIn?.close();
});

const ACCOUNT = `query ($id: ID!) { account(id: $id) {
  billingCustomerIds subscription { status plan billingProviderIds { stripeCustomerId stripeSubscriptionId } } } }`;
const AUDIT = `query ($id: ID) { auditLog(accountId: $id, first: 10) { edges { node { actor action } } } }`;

describe('Stripe Checkout in the example app', () => {
  it('upgrades from the prompt through Stripe\'s page and the signed webhook, and unlocks the export without a click or a reload', async () => {
    const { page, accountId, problems } = await openApp(app);
    try {
      // Free: the export is locked behind its paywall.
      await page.getByRole('region', { name: 'Upgrade to use CSV export' }).getByRole('button', { name: 'Choose Pro' }).waitFor();
      expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);

      // The free plan's 5 notes are used: the sixth opens the upgrade prompt.
      await app.admin.request(`mutation ($id: ID!) { setUsage(input: { accountId: $id, feature: "notes", value: 5, reason: "e2e" }) { used } }`, { id: accountId });
      await page.reload();
      await page.getByRole('progressbar', { name: 'Notes' }).waitFor();
      await page.getByLabel('Note title').fill('Note 6');
      await page.getByRole('button', { name: 'Add note' }).click();
      const dialog = page.getByRole('dialog', { name: 'Upgrade your plan' });
      await dialog.getByRole('button', { name: 'Choose Pro' }).click();

      // Stripe's hosted page (the stand-in's), for a session the host opened with Tollgate's price.
      await page.waitForURL((url) => url.href.startsWith(`${standIn.url}/checkout/cs_test_`));
      const sessionId = new URL(page.url()).pathname.split('/').pop()!;
      expect(standIn.checkoutSessions.get(sessionId)).toMatchObject({ mode: 'subscription', status: 'open', client_reference_id: accountId });
      expect(standIn.checkoutLineItems.get(sessionId)).toEqual([{ price: 'price_demo_pro_monthly', quantity: 1 }]);
      await page.getByRole('button', { name: 'Pay' }).click();

      // Back in the app, before Stripe's webhook: waiting, still on Free, the export still locked.
      await page.waitForURL((url) => url.href.startsWith(app.baseUrl) && url.searchParams.get('checkout') === 'success');
      await page.getByRole('status').filter({ hasText: 'Finishing your upgrade…' }).waitFor();
      await page.getByText('Plan: Free').waitFor();
      expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
      // A reload would lose this.
      await page.evaluate(() => Object.assign(window, { sameDocument: true }));

      // Stripe's webhook, signed with the endpoint's secret: Tollgate reads the session's
      // subscription from (the stand-in for) Stripe's API and applies it on this one event.
      const session = standIn.checkoutSessions.get(sessionId)!;
      expect(session).toMatchObject({ status: 'complete', client_reference_id: accountId, customer: expect.stringMatching(/^cus_/), subscription: expect.stringMatching(/^sub_/) });
      const tollgateUrl = app.tollgate().graphqlUrl.replace(/\/graphql$/, '');
      const answer = await deliver(tollgateUrl, stripeEvent(`evt_e2e_${sessionId.slice(-16)}`, 'checkout.session.completed', Math.floor(Date.now() / 1000), session));
      expect(answer).toMatchObject({ status: 200, body: { outcome: 'APPLIED' } });

      // The success page's next refresh (every second) finds Pro: the export unlocks by itself.
      await page.getByRole('button', { name: 'Export CSV' }).waitFor({ timeout: budget(10_000) });
      await page.getByRole('status').filter({ hasText: 'Upgrade complete: you are on Pro.' }).waitFor();
      await page.getByText('Plan: Pro').waitFor();
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
      expect(new URL(page.url()).searchParams.get('checkout')).toBeNull();
      await page.getByRole('button', { name: 'Export CSV' }).click();
      await page.getByRole('status').getByText(/^Exported \d+ notes\.$/).waitFor();

      // Tollgate mirrors Stripe's subscription, and says who changed it.
      expect((await app.admin.request(ACCOUNT, { id: accountId })).account).toEqual({
        billingCustomerIds: [session.customer],
        subscription: {
          status: 'ACTIVE',
          plan: 'pro',
          billingProviderIds: { stripeCustomerId: session.customer, stripeSubscriptionId: session.subscription },
        },
      });
      const audit = (await app.admin.request(AUDIT, { id: accountId })).auditLog.edges.map((edge: { node: unknown }) => edge.node);
      expect(audit).toContainEqual({ actor: 'stripe', action: 'subscription.sync_from_billing' });
      // The sixth note's refusal is the only error the page logged.
      expect(problems.filter((problem) => !/LIMIT_EXCEEDED|ENTITLEMENT_DENIED|403|429/.test(problem))).toEqual([]);
    } finally {
      await page.close();
    }
  }, budget(90_000));

  it('comes back from a canceled checkout saying nothing changed, with the export still locked', async () => {
    const { page, accountId } = await openApp(app);
    try {
      const paywall = page.getByRole('region', { name: 'Upgrade to use CSV export' });
      await paywall.getByRole('button', { name: 'Choose Pro' }).click();
      await page.waitForURL((url) => url.href.startsWith(`${standIn.url}/checkout/cs_test_`));
      await page.getByRole('link', { name: 'Cancel' }).click();

      await page.waitForURL((url) => url.href.startsWith(app.baseUrl));
      await page.getByRole('status').filter({ hasText: 'Checkout canceled: nothing was charged and your plan has not changed.' }).waitFor();
      await paywall.getByRole('button', { name: 'Choose Pro' }).waitFor();
      expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
      expect((await app.admin.request(ACCOUNT, { id: accountId })).account.subscription).toBeNull();
    } finally {
      await page.close();
    }
  }, budget(60_000));
});

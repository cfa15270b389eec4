import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createFeature } from '../support/fixtures.js';
import { signedInOperator } from '../support/operators.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * The GraphQL IDE in Chromium with the network off: every request that leaves Tollgate's own
 * origin is refused (Chromium's proxy for everything but loopback is a port nobody listens on,
 * and the test aborts and records any such request), as on an offline or locked-down install.
 * GraphiQL loads whole from the server, asks for a credential before it sends anything, and with
 * one loads the schema, runs a query (sent as `Authorization: Bearer`) and a subscription over
 * the same path's WebSocket that shows a change made elsewhere.
 */
let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  t = await startTestServer();
  await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
  await createAccount(t.admin, 'acme');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // No network: loopback is reached directly; anything else goes to a proxy that is not there.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--proxy-server=http://127.0.0.1:9'],
  });
}, budget(60_000));
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('GraphiQL at /graphql', () => {
  it('loads with the network off and runs a query and a subscription with the credential typed into its field', async () => {
    const origin = new URL(t.url).origin;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const elsewhere: string[] = [];
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin === origin) return route.continue();
      elsewhere.push(url.href);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const sent: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') sent.push(request.headers().authorization);
    });
    try {
      await page.goto(`${t.url}/graphql`);
      expect(await page.title()).toBe('Tollgate GraphQL IDE');
      const execute = page.getByRole('button', { name: /^Execute query/ });
      // Monaco draws the answer with non-breaking spaces and wrapped lines: compare its words.
      const result = async () => (await page.getByLabel('Result Window').innerText()).replace(/\s+/g, ' ');

      // Without a credential nothing is sent: the answer says what to do.
      await execute.click();
      await expect.poll(result, { timeout: 60_000 }).toContain('Tollgate needs a credential for every request');
      expect(sent).toEqual([]);

      await page.getByLabel('Bearer credential').fill(TEST_ADMIN_KEY);
      const schemaLoaded = page.waitForResponse((response) => new URL(response.url()).pathname === '/graphql' && response.status() === 200);
      await page.getByRole('button', { name: 'Use', exact: true }).click();
      await schemaLoaded;
      await page.getByRole('button', { name: /^Execute query/ }).click();
      await expect.poll(result, { timeout: 60_000 }).toMatch(/"entitlement": \{ "allowed": false, "reason": "NO_SUBSCRIPTION"/);

      // A subscription goes over the same path's WebSocket, with the credential in connectionParams.
      await page.locator('.graphiql-query-editor .view-lines').click(); // Monaco's lines: the editor has no accessible name of its own
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('subscription Live { entitlementsChanged(accountId: "acme") { accountId entitlements { feature allowed } } }');
      await page.getByRole('button', { name: /^Execute (query|subscription)/ }).click();
      await expect.poll(result, { timeout: 60_000 }).toMatch(/"entitlementsChanged": \{ "accountId": "acme", "entitlements": \[ \{ "feature": "export_csv", "allowed": false \}/);
      await t.admin.request(`mutation { grantOverride(input: { accountId: "acme", feature: "export_csv", effect: GRANT, permanent: true, reason: "IDE test", approvedBy: "test" }) { id } }`);
      await expect.poll(result, { timeout: 60_000 }).toMatch(/"feature": "export_csv", "allowed": true/);

      expect(sent.length).toBeGreaterThanOrEqual(2); // the schema, then the query
      expect(new Set(sent)).toEqual(new Set([`Bearer ${TEST_ADMIN_KEY}`]));
      // Kept for this tab only: never in the URL or in storage that outlives it.
      expect(page.url()).not.toContain(TEST_ADMIN_KEY);
      expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(TEST_ADMIN_KEY);
      expect(elsewhere).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, budget(180_000));

  it('acts as the operator signed in to the console with "Use console session": no key pasted, no Authorization header sent', async () => {
    const { session } = await signedInOperator(t, 'ide.support@example.com', 'SUPPORT');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'tollgate_session', value: session, domain: new URL(t.url).hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const sent: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') sent.push(request.headers().authorization);
    });
    try {
      await page.goto(`${t.url}/graphql`);
      const schemaLoaded = page.waitForResponse((response) => new URL(response.url()).pathname === '/graphql' && response.status() === 200);
      await page.getByRole('button', { name: 'Use console session' }).click();
      await schemaLoaded;
      await page.getByText('Acting as the operator signed in to the console').waitFor();
      await page.getByRole('button', { name: /^Execute query/ }).click();
      const result = async () => (await page.getByLabel('Result Window').innerText()).replace(/\s+/g, ' ');
      await expect.poll(result, { timeout: 60_000 }).toMatch(/"entitlement": \{ "allowed": (true|false), "reason": "/);
      expect(sent.length).toBeGreaterThanOrEqual(2);
      expect(sent.every((authorization) => authorization === undefined)).toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, budget(180_000));
});

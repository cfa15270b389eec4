import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDirectory, seriousViolations, watchProblems } from '../support/console.js';
import { createAccount } from '../support/fixtures.js';
import { startOidcProvider, type LocalOidcProvider } from '../support/oidc-provider.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * Single sign-on in Debian's Chromium, from the console's sign-in page through a real OpenID
 * provider (`oidc-provider`, on 127.0.0.1) and back, signed in; then sign-out. Password sign-in,
 * invite acceptance and sign-out with a password are in console.test.ts and
 * console-first-start.test.ts.
 */
let provider: LocalOidcProvider;
let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  provider = await startOidcProvider();
  t = await startTestServer({
    env: {
      TOLLGATE_OIDC_ISSUER: provider.issuer,
      TOLLGATE_OIDC_CLIENT_ID: provider.client.clientId,
      TOLLGATE_OIDC_CLIENT_SECRET: provider.client.clientSecret,
      TOLLGATE_OIDC_ALLOWED_DOMAINS: 'tollgate.test',
      TOLLGATE_OIDC_ROLE_MAP: 'support-team=SUPPORT',
    },
  });
  provider.allowRedirect(`${t.url}/auth/oidc/callback`);
  await createAccount(t.admin, 'acme', 'Acme Corporation');
  browser = await launchChromium();
}, budget(180_000));

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await provider?.stop();
});

describe('single sign-on in the console', () => {
  it('signs in with single sign-on from the sign-in page, lands where it was going, and signs out', async () => {
    provider.person({ email: 'sso.sam@tollgate.test', name: 'Sam Single', role: 'support-team' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    const failures: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 500 || (response.status() === 404 && response.url().startsWith(t.url))) failures.push(`${response.status()} ${response.url()}`);
    });
    try {
      await page.goto(`${t.url}/console/accounts`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();

      // The provider's own pages: its sign-in form, then its consent.
      await page.waitForURL((url) => url.origin === provider.issuer);
      await page.locator('input[name="login"]').fill('sso.sam@tollgate.test');
      await page.locator('input[name="password"]').fill('anything the provider takes');
      await page.getByRole('button', { name: 'Sign-in' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.getByRole('heading', { name: 'Accounts' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/console/accounts');
      await page.getByText('Sam Single').waitFor();
      const cookies = await context.cookies(t.url);
      expect(cookies.find((cookie) => cookie.name === 'tollgate_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(cookies.find((cookie) => cookie.name === 'tollgate_oidc')).toBeUndefined();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You are signed out.').waitFor();
      expect((await context.cookies(t.url)).find((cookie) => cookie.name === 'tollgate_session')).toBeUndefined();
      // Signed out for real: the accounts page asks to sign in again.
      await page.goto(`${t.url}/console/accounts`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      // Signed out, the console's `me` is answered 401 (and the provider has no favicon): resource loads are checked by status instead.
      expect(problems.filter((problem) => !problem.startsWith('Failed to load resource'))).toEqual([]);
      expect(failures).toEqual([]);
    } finally {
      await context.close();
    }
  }, budget(120_000));

  it('says in place why single sign-on refused someone, and keeps the password form', async () => {
    provider.person({ email: 'outsider@elsewhere.test' });
    const directory = await screenshotDirectory();
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 390]) {
        const context = await browser.newContext({ viewport: { width, height: 860 }, colorScheme, reducedMotion: 'reduce', bypassCSP: true });
        const page = await context.newPage();
        try {
          await page.goto(`${t.url}/console/sign-in`);
          await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
          await page.waitForURL((url) => url.origin === provider.issuer);
          await page.locator('input[name="login"]').fill('outsider@elsewhere.test');
          await page.locator('input[name="password"]').fill('anything');
          await page.getByRole('button', { name: 'Sign-in' }).click();
          await page.getByRole('button', { name: 'Continue' }).click();

          const alert = page.getByRole('alert');
          await alert.getByText('Your email domain may not sign in to this Tollgate.').waitFor();
          await alert.getByText('SSO_DOMAIN_NOT_ALLOWED').waitFor();
          await page.getByLabel('Email').waitFor();
          expect((await context.cookies(t.url)).find((cookie) => cookie.name === 'tollgate_session')).toBeUndefined();
          expect(await seriousViolations(page)).toEqual([]);
          await page.screenshot({ path: join(directory, `sign-in-sso-refused-${width}-${colorScheme}.png`), fullPage: true });
        } finally {
          await context.close();
        }
      }
    }
  }, budget(180_000));
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, watchProblems } from '../support/console.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * What a person sees first (README, "The two commands"): a new embedded database with demo data
 * prints the demo OWNER's one-time link; opening it in a browser and choosing a password lands on
 * the accounts page, signed in, with the demo accounts, a live socket, and nothing logged as an error.
 */
let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  t = await startTestServer({ database: 'embedded', env: { TOLLGATE_DEMO_DATA: 'auto' } });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('the first start', () => {
  it('lets the demo owner in through the printed link, onto the demo accounts, on the embedded database', async () => {
    const link = t.server.demo!.ownerLink;
    expect(link).toMatch(new RegExp(`^${t.url}/console/invite/`));
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    try {
      await page.goto(link);
      await page.getByLabel('Password').first().fill('a long demo password 2026');
      await page.getByLabel('The same password again').fill('a long demo password 2026');
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.getByRole('heading', { name: 'Accounts' }).waitFor();
      await page.getByRole('table', { name: 'Accounts found' }).getByRole('link', { name: 'Globex Corporation' }).waitFor();
      await page.getByText('Demo Owner').waitFor();
      await page.getByRole('link', { name: 'Globex Corporation' }).click();
      await page.getByRole('heading', { name: 'Globex Corporation', level: 1 }).waitFor();
      await page.getByText('Live', { exact: true }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnHostApi, spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';

/**
 * The example notes app, built for production, in Debian's Chromium, against a real Tollgate
 * (seeded with the demo catalog: free keeps 5 notes and has no CSV export; Pro is $29) and the
 * real host API.
 */
const APP = resolve(process.cwd(), 'examples/react-app');
const SCREENSHOTS = resolve(APP, 'screenshots');
const require = createRequire(import.meta.url);

let database: FreshDatabase;
let tollgate: ServerProcess;
let hostApi: ServerProcess;
let site: PreviewServer;
let baseUrl: string;
let browser: Browser;
let admin: GraphQLTestClient;

beforeAll(async () => {
  database = await freshDatabase();
  tollgate = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'auto' });
  admin = new GraphQLTestClient(tollgate.graphqlUrl, TEST_ADMIN_KEY);
  const serverKey = /server key:\s+(tg_server_\S+)/.exec(tollgate.output())![1]!;
  hostApi = await spawnHostApi({ TOLLGATE_URL: tollgate.graphqlUrl, TOLLGATE_SERVER_KEY: serverKey, PORT: '0' });

  process.env.TOLLGATE_URL = tollgate.graphqlUrl;
  process.env.HOST_API_URL = hostApi.graphqlUrl.replace(/\/graphql$/, '');
  // Vite inside vitest would bundle React's development build without this.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: APP, logLevel: 'error', configFile: resolve(APP, 'vite.config.ts') });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  site = await preview({ root: APP, configFile: resolve(APP, 'vite.config.ts'), logLevel: 'error', preview: { port: 0, strictPort: false } });
  baseUrl = site.resolvedUrls!.local[0]!.replace(/\/$/, '');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (site ? site.httpServer.close(() => done()) : done()));
  await hostApi?.stop();
  await tollgate?.stop();
  await database?.drop();
});

/** Opens the app as a new account on the free plan. */
async function openAsNewAccount(): Promise<{ page: Page; accountId: string }> {
  const accountId = `e2e-${randomBytes(4).toString('hex')}`;
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${baseUrl}/?account=${accountId}`);
  try {
    await page.getByRole('progressbar', { name: 'Notes' }).waitFor({ timeout: 10_000 });
  } catch (error) {
    await page.screenshot({ path: resolve(process.cwd(), 'test-results', 'e2e-failure.png') });
    console.error('The app did not render; browser errors:', problems);
    throw error;
  }
  (page as Page & { problems: string[] }).problems = problems;
  return { page, accountId };
}

async function addNote(page: Page, title: string) {
  await page.getByLabel('Note title').fill(title);
  await page.getByRole('button', { name: 'Add note' }).click();
}

/** Serious and critical axe-core violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const results = await page.evaluate(async () => (window as unknown as { axe: { run(): Promise<any> } }).axe.run());
  return results.violations
    .filter((violation: { impact: string }) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation: { id: string; help: string }) => `${violation.id}: ${violation.help}`);
}

describe('the example notes app', () => {
  it('fills the free quota, shows the upgrade prompt with real offers, upgrades and goes on without a reload', async () => {
    const { page } = await openAsNewAccount();
    try {
      const exportPaywall = page.getByRole('region', { name: 'Upgrade to use CSV export' });
      await exportPaywall.getByRole('button', { name: 'Choose Pro' }).waitFor();
      await expect.poll(() => exportPaywall.textContent()).toContain('Your current plan does not include CSV export.');
      await page.locator('.card', { has: exportPaywall }).screenshot({ path: resolve(SCREENSHOTS, 'paywall.png') });
      expect(await seriousViolations(page)).toEqual([]);

      for (let i = 1; i <= 5; i += 1) {
        await addNote(page, `Note ${i}`);
        await expect.poll(() => page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuenow')).toBe(String(i));
      }
      expect(await page.getByRole('dialog').count()).toBe(0);

      await addNote(page, 'Note 6');
      const dialog = page.getByRole('dialog', { name: 'Upgrade your plan' });
      await dialog.getByRole('button', { name: 'Choose Pro' }).waitFor();
      const offers = dialog.getByRole('listitem');
      await expect.poll(() => offers.count()).toBe(2);
      expect(await offers.nth(0).textContent()).toMatch(/Pro.*Recommended.*\$29\.00 \/ month.*Up to 1,000 notes · also unlocks CSV exportChoose Pro$/);
      expect(await offers.nth(1).textContent()).toMatch(/Enterprise.*\$499\.00 \/ month.*Unlimited notes · also unlocks CSV export, SCIM provisioning, Single sign-on/);
      expect(await dialog.textContent()).toContain('You are using all 5 notes your plan includes.');
      await page.screenshot({ path: resolve(SCREENSHOTS, 'upgrade-prompt.png') });
      expect(await seriousViolations(page)).toEqual([]);

      await offers.nth(0).getByRole('button', { name: 'Choose Pro' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuemax')).toBe('1000');
      await page.getByRole('button', { name: 'Export CSV' }).waitFor();
      expect(await page.getByText('Plan: Pro').count()).toBe(1);

      await page.getByRole('button', { name: 'Add note' }).click();
      await expect.poll(() => page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuenow')).toBe('6');
      expect(await page.getByRole('list', { name: 'Notes' }).getByRole('listitem').count()).toBe(6);

      await page.getByRole('button', { name: 'Export CSV' }).click();
      await page.getByRole('status').getByText('Exported 6 notes.').waitFor();
      expect((page as Page & { problems: string[] }).problems.filter((problem) => !problem.includes('403') && !/LIMIT_EXCEEDED|ENTITLEMENT_DENIED/.test(problem))).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('works with the keyboard alone: Tab, Enter and Escape through the dialog', async () => {
    const { page, accountId } = await openAsNewAccount();
    try {
      await admin.request(`mutation ($id: ID!) { setUsage(input: { accountId: $id, feature: "notes", value: 5, reason: "e2e" }) { used } }`, { id: accountId });
      await page.reload();
      await page.getByRole('progressbar', { name: 'Notes' }).waitFor();

      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('note-title');
      await page.keyboard.type('Typed note');
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Upgrade your plan' });
      await dialog.getByRole('button', { name: 'Choose Pro' }).waitFor();
      const inDialog = () => page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')));
      expect(await inDialog()).toBe(true);
      for (let i = 0; i < 5; i += 1) {
        await page.keyboard.press('Tab');
        expect(await inDialog()).toBe(true);
      }
      await page.keyboard.press('Shift+Tab');
      expect(await inDialog()).toBe(true);

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      // Focus is back where it was when the prompt opened: in the note's title.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('note-title');

      await page.keyboard.press('Enter');
      await dialog.getByRole('button', { name: 'Choose Pro' }).waitFor();
      for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.textContent === 'Choose Pro')); i += 1) {
        await page.keyboard.press('Tab');
      }
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Choose Pro');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuemax')).toBe('1000');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('note-title');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuenow')).toBe('6');
    } finally {
      await page.close();
    }
  }, 60_000);
});

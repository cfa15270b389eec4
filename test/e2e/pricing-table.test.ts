import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, seriousViolations, startExampleApp, type ExampleApp } from './example-app.js';
import { budget } from '../support/time-budget.js';

/**
 * The example app's pricing table in Chromium, with only a client token in the browser, against
 * the demo catalog plus a yearly plan, an unpublished plan and an unpublished new Pro price.
 */
let app: ExampleApp;

beforeAll(async () => {
  app = await startExampleApp();
  const entitlements = [
    { feature: 'notes', limit: 1000 },
    { feature: 'export_csv' },
  ];
  const draft = async (plan: string, price: number, interval: 'MONTH' | 'YEAR') =>
    (await app.admin.request(`mutation ($input: CreatePlanVersionInput!) { createPlanVersion(input: $input) { version } }`, {
      input: { plan, price: { amount: price, currency: 'USD' }, interval, entitlements },
    })).createPlanVersion.version as number;
  await app.admin.request(`mutation { createPlan(input: { key: "pro_yearly", name: "Pro yearly", rank: 11, description: "Pro, paid once a year." }) { key } }`);
  await app.admin.request(`mutation ($version: Int!) { publishPlanVersion(plan: "pro_yearly", version: $version) { status } }`, {
    version: await draft('pro_yearly', 29000, 'YEAR'),
  });
  // Drafts are nobody's business but the admins': neither this plan nor Pro's next price may show.
  await app.admin.request(`mutation { createPlan(input: { key: "secret", name: "Secret", rank: 15 }) { key } }`);
  await draft('secret', 100, 'MONTH');
  await draft('pro', 3900, 'MONTH');
}, budget(120_000));

afterAll(async () => {
  await app?.close();
});

function plans(page: Page) {
  return page.getByRole('list', { name: 'Plans' });
}

async function regionNames(page: Page): Promise<string[]> {
  return plans(page).getByRole('region').evaluateAll((regions) =>
    regions.map((region) => document.getElementById(region.getAttribute('aria-labelledby')!)!.textContent!),
  );
}

describe('the pricing table', () => {
  it('shows every published plan as a region with price and contents, the current plan marked and the next one recommended', async () => {
    const { page, tollgateCredentials } = await openApp(app);
    try {
      const free = plans(page).getByRole('region', { name: 'Free' });
      await free.getByText('Your current plan').waitFor();
      expect(await regionNames(page)).toEqual(['Free', 'Pro', 'Enterprise']);

      expect(await free.getAttribute('aria-current')).toBe('true');
      expect(await free.getByText('Current plan', { exact: true }).count()).toBe(1);
      expect(await free.getByRole('button').count()).toBe(0);
      expect(await free.getByRole('list', { name: 'What Free includes' }).getByRole('listitem').allTextContents()).toEqual([
        'API calls: 1,000 calls a month',
        'No CSV export',
        'Notes: 5 notes',
        'Projects: 3 projects',
        'Seats: 2 seats',
      ]);

      const pro = plans(page).getByRole('region', { name: 'Pro' });
      expect(await pro.getAttribute('aria-current')).toBeNull();
      expect(await pro.textContent()).toMatch(/^ProRecommendedFor growing teams\.\$29\.00 \/ month14-day free trial/);
      expect(await pro.getByRole('listitem').allTextContents()).toContain('Notes: 1,000 notes');
      await pro.getByRole('button', { name: 'Choose Pro' }).waitFor();

      const enterprise = plans(page).getByRole('region', { name: 'Enterprise' });
      expect(await enterprise.textContent()).not.toContain('Recommended');
      expect(await enterprise.getByRole('listitem').allTextContents()).toContain('Notes: unlimited');
      expect(await page.getByText('$39.00').count()).toBe(0);
      expect(await page.getByText('Secret').count()).toBe(0);

      expect(await seriousViolations(page)).toEqual([]);
      // The browser only ever held the account's client token (a JWT), never an API key.
      expect(tollgateCredentials.length).toBeGreaterThan(0);
      expect(tollgateCredentials.filter((credential) => !/^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(credential))).toEqual([]);
    } finally {
      await page.close();
    }
  }, budget(60_000));

  it('switches between monthly and yearly prices, by mouse and by arrow keys', async () => {
    const { page } = await openApp(app);
    try {
      const monthly = page.getByRole('radio', { name: 'Monthly' });
      const yearly = page.getByRole('radio', { name: 'Yearly' });
      await monthly.waitFor();
      expect(await monthly.isChecked()).toBe(true);
      expect(await page.getByRole('group', { name: 'Billing interval' }).count()).toBe(1);

      await yearly.check();
      await expect.poll(() => regionNames(page)).toEqual(['Free', 'Pro yearly']);
      expect(await plans(page).getByRole('region', { name: 'Pro yearly' }).textContent()).toContain('$290.00 / year');
      expect(await plans(page).getByRole('region', { name: 'Free' }).getAttribute('aria-current')).toBe('true');

      await yearly.focus();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => regionNames(page)).toEqual(['Free', 'Pro', 'Enterprise']);
      expect(await monthly.isChecked()).toBe(true);
    } finally {
      await page.close();
    }
  }, budget(60_000));

  it('chooses a plan through onSelect: the app changes it and the table, badge and meter follow without a reload', async () => {
    const { page } = await openApp(app);
    try {
      const enterprise = plans(page).getByRole('region', { name: 'Enterprise' });
      await enterprise.getByRole('button', { name: 'Choose Enterprise' }).click();
      await enterprise.getByText('Your current plan').waitFor();
      expect(await enterprise.getAttribute('aria-current')).toBe('true');
      await page.getByText('Plan: Enterprise').waitFor();
      await page.getByText('0 notes used · unlimited').waitFor();
      expect(await plans(page).getByRole('region', { name: 'Free' }).getAttribute('aria-current')).toBeNull();
      // Nothing gives more notes than unlimited: no recommendation is left.
      expect(await plans(page).getByText('Recommended').count()).toBe(0);
      await page.getByRole('button', { name: 'Export CSV' }).waitFor();

      await plans(page).getByRole('region', { name: 'Free' }).getByRole('button', { name: 'Choose Free' }).click();
      await plans(page).getByRole('region', { name: 'Free' }).getByText('Your current plan').waitFor();
      await page.getByText('Plan: Free').waitFor();
      await expect.poll(() => page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuemax')).toBe('5');
      await page.getByRole('region', { name: 'Upgrade to use CSV export' }).waitFor();
      expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
    } finally {
      await page.close();
    }
  }, budget(60_000));
});

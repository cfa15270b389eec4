import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, openApp, SCREENSHOTS, seriousViolations, startExampleApp, type ExampleApp } from './example-app.js';
import { budget } from '../support/time-budget.js';

/**
 * The example notes app, built for production, in Debian's Chromium, against a real Tollgate
 * (seeded with the demo catalog: free keeps 5 notes and has no CSV export; Pro is $29) and the
 * real host API.
 */
let app: ExampleApp;

beforeAll(async () => {
  app = await startExampleApp();
}, budget(120_000));

afterAll(async () => {
  await app?.close();
});

/** Opens the app as a new account on the free plan. */
async function openAsNewAccount(): Promise<{ page: Page & { problems: string[] }; accountId: string }> {
  const { page, accountId, problems } = await openApp(app);
  return { page: Object.assign(page, { problems }), accountId };
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
  }, budget(60_000));

  it('works with the keyboard alone: Tab, Enter and Escape through the dialog', async () => {
    const { page, accountId } = await openAsNewAccount();
    try {
      await app.admin.request(`mutation ($id: ID!) { setUsage(input: { accountId: $id, feature: "notes", value: 5, reason: "e2e" }) { used } }`, { id: accountId });
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
  }, budget(60_000));
});

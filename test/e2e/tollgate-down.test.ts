import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, openApp, startExampleApp, type ExampleApp } from './example-app.js';
import { budget } from '../support/time-budget.js';

/**
 * The example app while Tollgate itself is stopped (the host API and the page still up). The
 * SDK's documented behaviour: an error is never a paywall. Gated content stays hidden (fail
 * closed) and no upgrade prompt or paywall appears, since nothing was refused.
 */
let app: ExampleApp;

beforeAll(async () => {
  app = await startExampleApp();
}, budget(120_000));

afterAll(async () => {
  await app?.close();
});

describe('with Tollgate down', () => {
  it('hides gated content and shows no paywall when the page loads while Tollgate is stopped', async () => {
    await app.stopTollgate();
    const { page } = await openApp(app, { ready: false });
    try {
      // The pricing table says it cannot load plans once the failure has reached the hooks.
      await page.getByText('Plans cannot be shown right now. Try again in a moment.').waitFor();
      await page.waitForLoadState('networkidle');

      expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
      expect(await page.getByText('Single sign-on is on for your team.').count()).toBe(0);
      expect(await page.getByRole('region', { name: /^Upgrade to use/ }).count()).toBe(0);
      expect(await page.locator('.tollgate-paywall').count()).toBe(0);
      expect(await page.getByRole('dialog').count()).toBe(0);
      expect(await page.getByRole('progressbar').count()).toBe(0);
    } finally {
      await page.close();
    }
  }, budget(60_000));

  it('opens no upgrade prompt when an action fails because Tollgate stopped after the page loaded', async () => {
    await app.startTollgate();
    const { page } = await openApp(app);
    try {
      await page.getByRole('region', { name: 'Upgrade to use CSV export' }).getByRole('button', { name: 'Choose Pro' }).waitFor();
      await app.stopTollgate();

      await addNote(page, 'Written while Tollgate is down');
      // The app gives the title back when the action did not go through: the outcome has arrived.
      await expect.poll(() => page.getByLabel('Note title').inputValue()).toBe('Written while Tollgate is down');
      await page.waitForLoadState('networkidle');

      expect(await page.getByRole('dialog').count()).toBe(0);
      expect(await page.getByRole('list', { name: 'Notes' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
    } finally {
      await page.close();
    }
  }, budget(60_000));
});

import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, coloursOf, luminance, openApp, SCREENSHOTS, seriousViolations, startExampleApp, type ExampleApp } from './example-app.js';
import { budget } from '../support/time-budget.js';

/**
 * The SDK's themes in Chromium: light and dark from the system preference or a data-theme
 * attribute, every text readable (WCAG 2 contrast of at least 4.5, computed here from the
 * colours Chromium paints), the upgrade prompt in a portal that resets what the page would
 * pass on, the meter's states, and two paywalls side by side.
 */
let app: ExampleApp;

beforeAll(async () => {
  app = await startExampleApp();
}, budget(120_000));

afterAll(async () => {
  await app?.close();
});

/** Every text the SDK paints on the page. */
const SDK_TEXT = [
  '.tollgate-paywall__title',
  '.tollgate-paywall__reason',
  '.tollgate-offer__name',
  '.tollgate-offer__price',
  '.tollgate-offer__price span',
  '.tollgate-offer__details',
  '.tollgate-offer__badge',
  '.tollgate-button',
  '.tollgate-meter__label',
  '.tollgate-meter__value',
  '.tollgate-plan__name',
  '.tollgate-plan__badge',
  '.tollgate-plan__description',
  '.tollgate-plan__price',
  '.tollgate-plan__price span',
  '.tollgate-plan__trial',
  '.tollgate-plan__feature',
  '.tollgate-plan__current',
];

/** The SDK texts on the page whose contrast with what is behind them is under 4.5, with their colours. */
async function unreadableTexts(page: Page, within = 'body', atLeast = 20): Promise<string[]> {
  const problems: string[] = [];
  let checked = 0;
  for (const selector of SDK_TEXT) {
    const elements = page.locator(`${within} ${selector}`);
    for (let i = 0; i < (await elements.count()); i += 1) {
      const element = elements.nth(i);
      if (!(await element.isVisible())) continue;
      checked += 1;
      const { text, background, contrast } = await coloursOf(element);
      if (contrast < 4.5) {
        problems.push(`${selector} "${(await element.textContent())?.slice(0, 30)}": rgb(${text.slice(0, 3)}) on rgb(${background.slice(0, 3)}) = ${contrast.toFixed(2)}`);
      }
    }
  }
  expect(checked, 'SDK texts checked').toBeGreaterThanOrEqual(atLeast);
  return problems;
}

async function waitForPaywallAndPlans(page: Page) {
  await page.getByRole('region', { name: 'Upgrade to use CSV export' }).getByRole('button', { name: 'Choose Pro' }).waitFor();
  await page.getByRole('region', { name: 'Upgrade to use Single sign-on' }).getByRole('button', { name: 'Choose Enterprise' }).waitFor();
  await page.getByRole('list', { name: 'Plans' }).getByRole('region', { name: 'Free' }).getByText('Your current plan').waitFor();
}

/** The luminance of what an element paints behind its text. */
async function surfaceLuminance(page: Page, selector: string): Promise<number> {
  return luminance((await coloursOf(page.locator(selector).first())).background);
}

describe('themes', () => {
  it('paints the paywalls, the meter and the pricing table dark on a dark system, every text at contrast 4.5 or more', async () => {
    const { page } = await openApp(app, { context: { colorScheme: 'dark' } });
    try {
      await waitForPaywallAndPlans(page);
      expect(await surfaceLuminance(page, '.tollgate-paywall__title')).toBeLessThan(0.05);
      expect(await surfaceLuminance(page, '.tollgate-meter__label')).toBeLessThan(0.05);
      expect(await surfaceLuminance(page, '.tollgate-plan__name')).toBeLessThan(0.05);
      const heading = await coloursOf(page.getByRole('heading', { name: 'Upgrade to use CSV export' }));
      expect(heading.contrast).toBeGreaterThanOrEqual(4.5);
      const meterLabel = await coloursOf(page.locator('.tollgate-meter__label'));
      expect(meterLabel.contrast).toBeGreaterThanOrEqual(4.5);
      expect(await unreadableTexts(page)).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: resolve(SCREENSHOTS, 'app-dark.png'), fullPage: true });
      await page.locator('.card', { has: page.getByRole('list', { name: 'Plans' }) }).screenshot({ path: resolve(SCREENSHOTS, 'pricing-table-dark.png') });
    } finally {
      await page.close();
    }
  }, budget(60_000));

  it('paints them light on a light system, with the same contrast', async () => {
    const { page } = await openApp(app, { context: { colorScheme: 'light' } });
    try {
      await waitForPaywallAndPlans(page);
      expect(await surfaceLuminance(page, '.tollgate-paywall__title')).toBeGreaterThan(0.9);
      expect(await unreadableTexts(page)).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: resolve(SCREENSHOTS, 'app-light.png'), fullPage: true });
      await page.locator('.card', { has: page.getByRole('list', { name: 'Plans' }) }).screenshot({ path: resolve(SCREENSHOTS, 'pricing-table-light.png') });
    } finally {
      await page.close();
    }
  }, budget(60_000));

  it('lets data-theme overrule the system both ways, the upgrade prompt in its portal included', async () => {
    const forcedLight = await openApp(app, { context: { colorScheme: 'dark' }, query: 'theme=light' });
    try {
      await waitForPaywallAndPlans(forcedLight.page);
      expect(await surfaceLuminance(forcedLight.page, '.tollgate-paywall__title')).toBeGreaterThan(0.9);
      expect(await unreadableTexts(forcedLight.page)).toEqual([]);
    } finally {
      await forcedLight.page.close();
    }

    const { page, accountId } = await openApp(app, { context: { colorScheme: 'light' } });
    try {
      await waitForPaywallAndPlans(page);
      await page.getByLabel('Theme').selectOption('dark');
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      expect(await surfaceLuminance(page, '.tollgate-paywall__title')).toBeLessThan(0.05);
      expect(await unreadableTexts(page)).toEqual([]);

      await app.admin.request(`mutation ($id: ID!) { setUsage(input: { accountId: $id, feature: "notes", value: 5, reason: "e2e" }) { used } }`, { id: accountId });
      await addNote(page, 'One too many');
      const dialog = page.getByRole('dialog', { name: 'Upgrade your plan' });
      await dialog.getByRole('button', { name: 'Choose Pro' }).waitFor();
      expect(await surfaceLuminance(page, '[role="dialog"] .tollgate-paywall__title')).toBeLessThan(0.05);
      expect(await unreadableTexts(page, '[role="dialog"]', 10)).toEqual([]);
      await page.screenshot({ path: resolve(SCREENSHOTS, 'upgrade-prompt-dark.png') });
    } finally {
      await page.close();
    }
  }, budget(60_000));

  it('opens the upgrade prompt in a portal on body that resets the alignment and spacing the page would pass on', async () => {
    const { page, accountId } = await openApp(app);
    try {
      await page.addStyleTag({
        content: 'body { text-align: center; text-transform: uppercase; letter-spacing: 0.3em; word-spacing: 1em; font-style: italic; }',
      });
      await app.admin.request(`mutation ($id: ID!) { setUsage(input: { accountId: $id, feature: "notes", value: 5, reason: "e2e" }) { used } }`, { id: accountId });
      await addNote(page, 'One too many');
      const dialog = page.getByRole('dialog', { name: 'Upgrade your plan' });
      await dialog.getByRole('button', { name: 'Choose Pro' }).waitFor();

      expect(await dialog.evaluate((element) => element.closest('.tollgate-backdrop')?.parentElement === document.body)).toBe(true);
      expect(await dialog.evaluate((element) => Boolean(element.closest('#root')))).toBe(false);
      const title = dialog.getByRole('heading', { name: 'Upgrade for more notes' });
      const style = await title.evaluate((element) => {
        const computed = getComputedStyle(element);
        return { textAlign: computed.textAlign, textTransform: computed.textTransform, letterSpacing: computed.letterSpacing, wordSpacing: computed.wordSpacing, fontStyle: computed.fontStyle };
      });
      expect(style).toEqual({ textAlign: 'start', textTransform: 'none', letterSpacing: 'normal', wordSpacing: '0px', fontStyle: 'normal' });
      // Left-aligned in fact, not only in name: the heading starts at the paywall's padding.
      const titleBox = (await title.boundingBox())!;
      const paywallBox = (await dialog.locator('.tollgate-paywall').boundingBox())!;
      expect(titleBox.x - paywallBox.x).toBeLessThan(40);
    } finally {
      await page.close();
    }
  }, budget(60_000));

  it('shows a full meter as at limit, in its own colour and words, and a nearly full one as a warning', async () => {
    const { page, accountId } = await openApp(app);
    const setNotes = (value: number) =>
      app.admin.request(`mutation ($id: ID!, $value: Quantity!) { setUsage(input: { accountId: $id, feature: "notes", value: $value, reason: "e2e" }) { used } }`, { id: accountId, value });
    const meter = page.locator('.tollgate-meter');
    const barColour = () => meter.locator('.tollgate-meter__bar').evaluate((element) => getComputedStyle(element).backgroundColor);
    try {
      const okColour = await barColour();
      expect(await meter.getAttribute('data-state')).toBe('ok');

      await setNotes(4);
      await page.reload();
      await expect.poll(() => page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuenow')).toBe('4');
      expect(await meter.getAttribute('data-state')).toBe('warning');
      expect(await meter.getAttribute('class')).toContain('tollgate-meter--warning');
      const warningColour = await barColour();

      await setNotes(5);
      await page.reload();
      await expect.poll(() => page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuenow')).toBe('5');
      expect(await meter.getAttribute('data-state')).toBe('at-limit');
      expect(await meter.getAttribute('class')).toContain('tollgate-meter--at-limit');
      expect(await meter.getAttribute('class')).not.toContain('tollgate-meter--warning');
      const atLimitColour = await barColour();
      expect(new Set([okColour, warningColour, atLimitColour]).size).toBe(3);
      expect(await page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuetext')).toBe('5 of 5 notes used · limit reached');
      expect((await coloursOf(meter.locator('.tollgate-meter__value'))).contrast).toBeGreaterThanOrEqual(4.5);
    } finally {
      await page.close();
    }
  }, budget(60_000));

  it('keeps two paywalls side by side apart and inside their cards, wide and narrow', async () => {
    for (const width of [1000, 480]) {
      const { page } = await openApp(app, { context: { viewport: { width, height: 900 } } });
      try {
        await waitForPaywallAndPlans(page);
        const exportPaywall = page.getByRole('region', { name: 'Upgrade to use CSV export' });
        const ssoPaywall = page.getByRole('region', { name: 'Upgrade to use Single sign-on' });
        const left = (await exportPaywall.boundingBox())!;
        const right = (await ssoPaywall.boundingBox())!;
        expect(Math.abs(left.y - right.y), `side by side at ${width}px`).toBeLessThan(1);
        expect(right.x - (left.x + left.width), `gap at ${width}px`).toBeGreaterThanOrEqual(16);
        for (const paywall of [exportPaywall, ssoPaywall]) {
          const overflow = await paywall.evaluate((element) => {
            const box = element.getBoundingClientRect();
            const card = element.closest('.card')!.getBoundingClientRect();
            const offers = [...element.querySelectorAll('.tollgate-offer')].map((offer) => offer.getBoundingClientRect());
            return {
              scrolls: element.scrollWidth > element.clientWidth,
              outsideCard: box.left < card.left || box.right > card.right,
              offersOutside: offers.filter((offer) => offer.left < box.left || offer.right > box.right).length,
            };
          });
          expect(overflow, `paywall at ${width}px`).toEqual({ scrolls: false, outsideCard: false, offersOutside: 0 });
        }
      } finally {
        await page.close();
      }
    }
  }, budget(60_000));
});

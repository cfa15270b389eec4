import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, launchChromium, openConsole, PEOPLE, startConsoleServer, type ConsolePerson, type ConsoleServer } from '../support/console.js';

/**
 * Issue 22's proof, in Debian's Chromium against the real server on PostgreSQL, as the people
 * would use the console: support finds an account and asks for an override, billing approves it
 * from a second browser, and the first browser's page changes by itself; a viewer sees no write
 * control and the server refuses one forced through; billing extends a trial and schedules a
 * downgrade after reading what the account loses.
 */
let server: ConsoleServer;
let browser: Browser;

beforeAll(async () => {
  server = await startConsoleServer();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A marker set on the page's window: still there later means the page never reloaded. */
async function markPage(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => ((window as unknown as { consoleTestMarker: number }).consoleTestMarker = 42));
  return () => page.evaluate(() => (window as unknown as { consoleTestMarker?: number }).consoleTestMarker === 42);
}

describe('the account desk', () => {
  it('support finds Acme, sees why export_csv is denied and requests 14 days; billing approves live in a second browser; the access panel turns to allowed with no reload', async () => {
    const support = await openConsole(browser, server, { as: null });
    const billing = await openConsole(browser, server, { as: PEOPLE.bea });
    try {
      const page = support.page;
      // Sam signs in through the sign-in page, arriving from a link to the accounts page.
      await page.goto(`${server.url}/console/accounts`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill(PEOPLE.sam.email);
      await page.getByLabel('Password').fill(PEOPLE.sam.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Accounts' }).waitFor();

      // Part of the name, results as you type.
      await page.getByLabel('Search', { exact: true }).fill('acm');
      await expect.poll(() => page.url()).toContain('q=acm');
      const results = page.getByRole('table', { name: 'Accounts found' });
      await results.getByRole('link', { name: 'Acme Labs' }).waitFor();
      await expect.poll(() => results.getByRole('link', { name: 'Globex' }).count()).toBe(0);
      await results.getByRole('link', { name: 'Acme Corporation' }).click();
      await page.getByRole('heading', { name: 'Acme Corporation', level: 1 }).waitFor();

      // Why is CSV export denied?
      await page.getByRole('link', { name: 'Why is CSV export denied?' }).click();
      const why = page.getByRole('region', { name: 'Why is CSV export denied?' });
      await why.getByText('Free v1 does not include CSV export.').waitFor();
      await why.getByText('Not included in the plan').waitFor();

      // Request a 14-day override from the panel.
      await why.getByRole('link', { name: 'Give CSV export with an override' }).click();
      const form = page.getByRole('dialog', { name: 'Grant or request an override' });
      await expect.poll(() => form.getByLabel('Feature').inputValue()).toBe('export_csv');
      await form.getByRole('radio', { name: 'in 14 days' }).check();
      // Checked before anything is sent: the reason is required.
      await form.getByRole('button', { name: 'Request approval' }).click();
      await form.getByText('Say why: the reason is kept in the audit log.').waitFor();
      await form.getByLabel('Reason').fill('Evaluating exports before the renewal call');
      await form.getByRole('button', { name: 'Request approval' }).click();
      await form.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'Requested' }).waitFor();
      await page.getByRole('region', { name: 'Waiting for approval' }).getByText('Evaluating exports before the renewal call').waitFor();

      // Back to access with the panel open: still denied, and the page is marked to catch a reload.
      await page.getByRole('tab', { name: 'Access' }).click();
      await page.getByRole('link', { name: 'Why is CSV export denied?' }).click();
      await page.getByRole('region', { name: 'Why is CSV export denied?' }).waitFor();
      const sameDocument = await markPage(page);

      // Bea, in another browser, sees the request arrive in her inbox live, and approves it.
      await billing.page.goto(`${server.url}/console/approvals`);
      await billing.page.getByRole('heading', { name: 'Approvals' }).waitFor();
      const inbox = billing.page.getByRole('list', { name: 'Override requests' });
      await inbox.getByText('Evaluating exports before the renewal call').waitFor({ timeout: 10_000 });
      await inbox.getByRole('button', { name: 'Approve the request for export_csv for acme' }).click();
      await billing.page.getByRole('status').filter({ hasText: 'Approved' }).waitFor();

      // Sam's panel turns to allowed by itself.
      const allowed = page.getByRole('region', { name: 'Why is CSV export allowed?' });
      await allowed.waitFor({ timeout: 10_000 });
      await allowed.getByText('Granted by an override').waitFor();
      expect(await sameDocument()).toBe(true);

      // The history names both people and the reason.
      await page.getByRole('tab', { name: 'History' }).click();
      const history = page.getByRole('list', { name: 'Changes, newest first' });
      await history.getByText(`${PEOPLE.sam.email}`).first().waitFor();
      await expect.poll(() => history.innerText()).toContain(`${PEOPLE.sam.email} requested an override`);
      await expect.poll(() => history.innerText()).toContain(`${PEOPLE.bea.email} approved an override request`);
      expect(await history.innerText()).toContain('Evaluating exports before the renewal call');
      // Arriving signed out, the gate's first `me` is answered 401, which Chromium logs: expected, nothing else.
      expect(support.problems.filter((problem) => !problem.includes('status of 401'))).toEqual([]);
      expect(support.problems.length).toBeLessThanOrEqual(1);
      expect(billing.problems).toEqual([]);
    } finally {
      await support.context.close();
      await billing.context.close();
    }
  });

  it('narrows the accounts to those at a limit, and to those with an override in force too, from checkboxes kept in the URL, and sorts them by name either way', async () => {
    await server.t.admin.request(`mutation { upsertAccount(input: { id: "initrode", name: "Initrode" }) { id } }`);
    await server.t.as(server.serverKey).request(`mutation { consume(input: { accountId: "initrode", feature: "seats", amount: 3, idempotencyKey: "initrode-seats" }) { ok } }`);
    const viewer = await openConsole(browser, server, { as: PEOPLE.vic });
    try {
      const page = viewer.page;
      await page.goto(`${server.url}/console/accounts`);
      const results = page.getByRole('table', { name: 'Accounts found' });
      await results.getByRole('link', { name: 'Globex' }).waitFor();
      await page.getByRole('checkbox', { name: 'at or over a limit' }).check();
      await expect.poll(() => page.url()).toContain('overLimit=1');
      await expect.poll(() => results.getByRole('link').allInnerTexts()).toEqual(['Initrode']);
      // Reloaded from the URL, the filter is still on; with a second one nothing matches.
      await page.reload();
      await expect.poll(() => page.getByRole('checkbox', { name: 'at or over a limit' }).isChecked()).toBe(true);
      await page.getByRole('checkbox', { name: 'with an override in force' }).check();
      await page.getByText('No account matches').waitFor();

      // Sorted by the server over every page: by name, then the other way.
      await page.goto(`${server.url}/console/accounts`);
      await results.getByRole('link', { name: 'Initrode' }).waitFor();
      const names = () => results.locator('tbody tr a.strong').allInnerTexts();
      const all = await names();
      await results.getByRole('button', { name: /^Account/ }).click();
      await expect.poll(() => page.url()).toMatch(/sort=name(&|$)/);
      await expect.poll(names).toEqual(all.slice().sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      await results.getByRole('button', { name: /^Account/ }).click();
      await expect.poll(() => page.url()).toContain('sort=-name');
      await expect.poll(names).toEqual(all.slice().sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())));
      expect(viewer.problems).toEqual([]);
    } finally {
      await viewer.context.close();
    }
  });

  it('shows a viewer no write control, and the server refuses a mutation forced through', async () => {
    const viewer = await openConsole(browser, server, { as: PEOPLE.vic });
    try {
      const page = viewer.page;
      await page.goto(`${server.url}/console/accounts/globex/access`);
      await page.getByRole('heading', { name: 'Globex', level: 1 }).waitFor();
      await page.getByRole('table').first().waitFor();
      expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Approvals' }).count()).toBe(0);
      for (const tab of ['access', 'usage', 'overrides', 'subscription', 'history']) {
        await page.goto(`${server.url}/console/accounts/globex/${tab}?feature=export_csv`);
        await page.getByRole('tab', { name: new RegExp(tab, 'i'), selected: true }).waitFor();
        await page.getByRole('tabpanel').locator('> *').first().waitFor();
        // Every button left is a read control (the why panel's Close, sorting, disclosure).
        const buttons = await page.getByRole('main').getByRole('button').allInnerTexts();
        expect(buttons.filter((text) => /grant|request|revoke|extend|cancel|change|save|approve|reject/i.test(text)), `${tab}: ${buttons.join(', ')}`).toEqual([]);
        expect(await page.getByRole('link', { name: /override/i }).count()).toBe(0);
      }
      // Forced through with the viewer's own session, as a crafted request would be.
      const forced = await page.evaluate(async () => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: 'mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }',
            variables: { input: { accountId: 'globex', feature: 'sso', effect: 'GRANT', endsAt: new Date(Date.now() + 86_400_000).toISOString(), reason: 'forced' } },
          }),
        });
        return response.json();
      });
      expect(forced.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const { account } = await server.t.admin.request(`{ account(id: "globex") { overrides { id } } }`);
      expect(account.overrides).toEqual([]);
      expect(viewer.problems).toEqual([]);
    } finally {
      await viewer.context.close();
    }
  });

  it('billing extends a trial, and changes a plan at period end after reading what the account gains and loses', async () => {
    const billing = await openConsole(browser, server, { as: PEOPLE.bea });
    try {
      const page = billing.page;
      const before = (await server.t.admin.request(`{ account(id: "acme-labs") { subscription { trialEndsAt } } }`)).account.subscription.trialEndsAt;
      await page.goto(`${server.url}/console/accounts/acme-labs/subscription`);
      await page.getByRole('button', { name: 'Extend the trial' }).click();
      const extend = page.getByRole('dialog', { name: 'Extend the trial' });
      await extend.getByRole('radio', { name: '7 days more' }).check();
      await extend.getByLabel('Reason').fill('Their security review needs another week');
      await extend.getByRole('button', { name: 'Extend the trial' }).click();
      await extend.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'The trial now ends' }).waitFor();
      const after = (await server.t.admin.request(`{ account(id: "acme-labs") { subscription { trialEndsAt } } }`)).account.subscription.trialEndsAt;
      expect(Date.parse(after) - Date.parse(before)).toBe(7 * 86_400_000);

      // Globex moves from Pro down to Free at the end of its period; the summary comes first.
      await page.goto(`${server.url}/console/accounts/globex/subscription`);
      await page.getByLabel('New plan').selectOption('free');
      // The choice lives in the URL (a link to this view reopens it), so the radio follows the URL.
      await page.getByRole('radio', { name: /at the end of the period/ }).click();
      await expect.poll(() => page.getByRole('radio', { name: /at the end of the period/ }).isChecked()).toBe(true);
      expect(page.url()).toContain('change=free');
      expect(page.url()).toContain('at=PERIOD_END');
      const summary = page.getByRole('region', { name: 'Change plan' });
      await summary.getByRole('heading', { name: 'Loses' }).waitFor();
      await summary.getByText('CSV export').waitFor();
      // 20 seats of Pro plus 2 × 10 of the Extra seats add-on, which stays: 3 + 20 on Free.
      await expect.poll(() => summary.innerText()).toMatch(/Seats: 40 → 23/);
      await expect.poll(() => summary.innerText()).toMatch(/Price: -\$29\.00 a month/);
      const confirm = summary.getByRole('button', { name: 'Change to Free at period end' });
      // Nothing is scheduled until the confirming click, which needs a reason.
      expect((await server.t.admin.request(`{ account(id: "globex") { subscription { scheduledChange { plan } } } }`)).account.subscription.scheduledChange).toBeNull();
      await confirm.click();
      await summary.getByText('Say why: the audit log keeps it.').waitFor();
      await summary.getByLabel('Reason').fill('Downgrading at renewal, as asked by their CFO');
      await confirm.click();
      await page.getByRole('status').filter({ hasText: 'scheduled for the end of the period' }).waitFor();
      await page.getByText('To Free v1').first().waitFor();
      const { account } = await server.t.admin.request(`{ account(id: "globex") { subscription { plan scheduledChange { plan version at } currentPeriodEnd } } }`);
      expect(account.subscription.plan).toBe('pro');
      expect(account.subscription.scheduledChange).toMatchObject({ plan: 'free', version: 1, at: account.subscription.currentPeriodEnd });
      expect(billing.problems).toEqual([]);
    } finally {
      await billing.context.close();
    }
  });
  it('lets support ask for an override with the keyboard alone, every focused control visibly outlined', async () => {
    const support = await openConsole(browser, server, { as: PEOPLE.sam });
    try {
      const page = support.page;
      /** The focused element's accessible name and whether a focus ring is drawn (outline or box-shadow). */
      const focused = () =>
        page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          if (!element || element === document.body) return { name: '', visible: false };
          const style = getComputedStyle(element);
          const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
          const label = (element as HTMLInputElement).labels?.[0]?.textContent;
          return { name: (element.getAttribute('aria-label') ?? label ?? element.textContent ?? '').trim(), visible: ring };
        });
      /** Presses Tab until the focused control's name matches, checking each stop shows its focus. */
      const tabTo = async (name: RegExp) => {
        for (let presses = 0; presses < 60; presses += 1) {
          await page.keyboard.press('Tab');
          const now = await focused();
          expect(now.visible, `focus ring on "${now.name}"`).toBe(true);
          if (name.test(now.name)) return;
        }
        throw new Error(`Tab never reached ${name}`);
      };
      await page.goto(`${server.url}/console/accounts/acme-labs/access`);
      await page.getByRole('table').first().waitFor();
      await tabTo(/^Why is Single sign-on denied\?$/);
      await page.keyboard.press('Enter');
      const why = page.getByRole('region', { name: 'Why is Single sign-on denied?' });
      await why.waitFor();
      await tabTo(/^Give Single sign-on with an override$/);
      await page.keyboard.press('Enter');
      const form = page.getByRole('dialog', { name: 'Grant or request an override' });
      await form.waitFor();
      // The dialog opens on its first field, the feature, already chosen from the panel.
      await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.value)).toBe('sso');
      await tabTo(/^What it does/);
      // The radio group is one tab stop, on its checked choice; the arrow keys move within it.
      await tabTo(/in 14 days/);
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => form.getByRole('radio', { name: 'in 7 days' }).isChecked()).toBe(true);
      await page.keyboard.press('ArrowRight');
      await tabTo(/^Reason/);
      await page.keyboard.type('Pilot of single sign-on for their IT team');
      await tabTo(/Request approval/);
      await page.keyboard.press('Enter');
      await form.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'Requested' }).waitFor();
      const { overrideRequests } = await server.t.admin.request(`{ overrideRequests(accountId: "acme-labs", status: PENDING) { edges { node { requestedBy input { feature reason endsAt } } } } }`);
      const request = overrideRequests.edges.map((edge: any) => edge.node).find((node: any) => node.input.feature === 'sso');
      expect(request).toMatchObject({ requestedBy: PEOPLE.sam.email, input: { reason: 'Pilot of single sign-on for their IT team' } });
      expect(Math.round((Date.parse(request.input.endsAt) - Date.now()) / 86_400_000)).toBe(14);
      expect(support.problems).toEqual([]);
    } finally {
      await support.context.close();
    }
  });
  it('signs an open console out at once when its operator is deactivated elsewhere', async () => {
    const dora: ConsolePerson = { email: 'dora@tollgate.test', name: 'Dora Departing', role: 'SUPPORT', password: 'correct horse battery staple 5' };
    await addPerson(server.t, dora);
    const open = await openConsole(browser, server, { as: dora });
    try {
      const page = open.page;
      await page.goto(`${server.url}/console/accounts/globex/access`);
      await page.getByText('Live', { exact: true }).waitFor();
      const { operators } = await server.t.admin.request(`{ operators(first: 100) { edges { node { id email } } } }`);
      const id = operators.edges.find((edge: any) => edge.node.email === dora.email).node.id;
      await server.t.admin.request(`mutation ($id: ID!) { deactivateOperator(id: $id) { state } }`, { id });
      // The server closes her socket (4401); the page goes to sign-in, keeping where she was.
      await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 10_000 });
      expect(decodeURIComponent(page.url())).toContain('next=/accounts/globex/access');
    } finally {
      await open.context.close();
    }
  });
});

import type { Page, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, startExampleApp, type ExampleApp } from './example-app.js';
import { budget } from '../support/time-budget.js';

/**
 * The example notes app (production build, Debian's Chromium) follows changes made elsewhere by
 * itself: the provider's WebSocket (through the app's own origin, as the Vite proxy forwards it)
 * receives Tollgate's push, and the page changes with no click, no reload and no request.
 */
let app: ExampleApp;

beforeAll(async () => {
  app = await startExampleApp();
}, budget(120_000));

afterAll(async () => {
  await app?.close();
});

/** The page's Tollgate socket and the pushes it received (graphql-ws `next` messages). */
function watchSocket(page: Page) {
  const pushes: number[] = [];
  const sockets: WebSocket[] = [];
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).pathname !== '/graphql') return;
    sockets.push(socket);
    socket.on('framereceived', ({ payload }) => {
      if (String(payload).includes('"type":"next"')) pushes.push(Date.now());
    });
  });
  return { pushes, sockets };
}

/** POST /graphql requests the page sends from now on, by operation name. */
function watchRequests(page: Page) {
  const operations: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') {
      operations.push((request.postDataJSON() as { operationName?: string }).operationName ?? '?');
    }
  });
  return operations;
}

describe('the example app, live', () => {
  it('unlocks the export within a second of an override granted through the API, with no click and no reload', async () => {
    let live!: ReturnType<typeof watchSocket>;
    let requests!: string[];
    const { page, accountId, problems } = await openApp(app, {
      onPage: (opened) => {
        live = watchSocket(opened);
        requests = watchRequests(opened);
      },
    });
    try {
      const paywall = page.getByRole('region', { name: 'Upgrade to use CSV export' });
      await paywall.getByRole('button', { name: 'Choose Pro' }).waitFor();
      // Live: the subscription's first push (the current state) has arrived.
      await expect.poll(() => live.pushes.length, { timeout: 5000 }).toBeGreaterThan(0);

      await page.evaluate(() => {
        (window as unknown as { tollgateMarker: string }).tollgateMarker = 'same document';
      });
      const asked = requests.length;
      const pushesBefore = live.pushes.length;
      const granted = Date.now();
      await app.admin.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
        input: { accountId, feature: 'export_csv', effect: 'GRANT', permanent: true, reason: 'Customer success: trial of exports', approvedBy: 'e2e' },
      });
      await page.getByRole('button', { name: 'Export CSV' }).waitFor({ timeout: 1000 });
      const unlockedAfter = Date.now() - granted;
      console.log(`export unlocked ${unlockedAfter} ms after grantOverride answered`);
      expect(unlockedAfter).toBeLessThan(1000);

      // The same document (no reload), no click, and the decision came in a push, not a request.
      expect(await page.evaluate(() => (window as unknown as { tollgateMarker?: string }).tollgateMarker)).toBe('same document');
      expect(await paywall.count()).toBe(0);
      expect(live.pushes.length).toBeGreaterThan(pushesBefore);
      expect(requests.slice(asked).filter((operation) => operation === 'TollgateEntitlements')).toEqual([]);
      expect(live.sockets).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, budget(60_000));

  it('moves the notes meter when usage is set through the API', async () => {
    let live!: ReturnType<typeof watchSocket>;
    const { page, accountId } = await openApp(app, { onPage: (opened) => (live = watchSocket(opened)) });
    try {
      await expect.poll(() => live.pushes.length, { timeout: 5000 }).toBeGreaterThan(0);
      await page.evaluate(() => {
        (window as unknown as { tollgateMarker: string }).tollgateMarker = 'same document';
      });
      await app.admin.request(`mutation ($id: ID!) { setUsage(input: { accountId: $id, feature: "notes", value: 4, reason: "e2e" }) { used } }`, { id: accountId });
      await expect.poll(() => page.getByRole('progressbar', { name: 'Notes' }).getAttribute('aria-valuenow'), { timeout: 1000 }).toBe('4');
      expect(await page.evaluate(() => (window as unknown as { tollgateMarker?: string }).tollgateMarker)).toBe('same document');
    } finally {
      await page.close();
    }
  }, budget(60_000));
});

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { spawnHostApi, spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * What the example notes app costs in round trips to Tollgate: its production build in Chromium,
 * served by `vite preview` against a real Tollgate (demo catalog) and the real host API. The
 * count is of POST /graphql requests from the page's first byte until its widgets have all
 * rendered and the network is idle.
 *
 * Run alone: `npx vitest run test/react/example-app-requests.test.ts`.
 */
const APP = resolve(process.cwd(), 'examples/react-app');

let database: FreshDatabase;
let tollgate: ServerProcess;
let hostApi: ServerProcess;
let site: PreviewServer;
let outDir: string;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  database = await freshDatabase();
  tollgate = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'auto' });
  const serverKey = /server key:\s+(tg_server_\S+)/.exec(tollgate.output())![1]!;
  hostApi = await spawnHostApi({ TOLLGATE_URL: tollgate.graphqlUrl, TOLLGATE_SERVER_KEY: serverKey, PORT: '0' });
  process.env.TOLLGATE_URL = tollgate.graphqlUrl;
  process.env.HOST_API_URL = hostApi.graphqlUrl.replace(/\/graphql$/, '');
  // A build directory of its own, so the end-to-end test's build is never overwritten mid-run.
  outDir = await mkdtemp(join(tmpdir(), 'tollgate-example-app-'));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: APP, logLevel: 'error', configFile: resolve(APP, 'vite.config.ts'), build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  site = await preview({
    root: APP,
    configFile: resolve(APP, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir },
    preview: { port: 0, strictPort: false },
  });
  baseUrl = site.resolvedUrls!.local[0]!.replace(/\/$/, '');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, budget(120_000));

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (site ? site.httpServer.close(() => done()) : done()));
  await hostApi?.stop();
  await tollgate?.stop();
  await database?.drop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the example app\'s round trips to Tollgate', () => {
  // The page: a plan badge, a usage meter, two gated features (CSV export and SSO, each denied on
  // the free plan, so each shows a paywall with its own offers) and a pricing table. Every gate and
  // the meter read the one shared entitlements query; each other request asks something distinct.
  it('asks Tollgate each distinct question once: one entitlements request for every gate and meter', async () => {
    const page = await browser.newPage();
    const operations: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') {
        operations.push((request.postDataJSON() as { operationName?: string }).operationName ?? '?');
      }
    });
    try {
      await page.goto(`${baseUrl}/?account=count-${randomBytes(4).toString('hex')}`);
      await page.getByRole('progressbar', { name: 'Notes' }).waitFor();
      await page.getByText('Plan: Free').waitFor();
      await page.getByRole('region', { name: 'Upgrade to use CSV export' }).getByRole('button', { name: 'Choose Pro' }).waitFor();
      await page.waitForLoadState('networkidle');
      console.log(`example app, first load: ${operations.length} POST /graphql (${operations.join(', ')})`);
      expect(operations.sort()).toEqual([
        'TollgateCurrentPlan', // the plan badge
        'TollgateEntitlements', // both gates and the meter
        'TollgatePublishedPlans', // the pricing table
        'TollgateUpgradeOffers', // the CSV export paywall's offers
        'TollgateUpgradeOffers', // the SSO paywall's offers
      ]);
    } finally {
      await page.close();
    }
  }, budget(60_000));
});

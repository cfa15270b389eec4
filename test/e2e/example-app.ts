import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnHostApi, spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * The example notes app (examples/react-app), built for production into a folder of its own
 * (so end-to-end files can run side by side), served by `vite preview`, against a real Tollgate
 * seeded with the demo catalog (free keeps 5 notes and has no CSV export; Pro is $29, Enterprise
 * $499) and the real host API, in Debian's Chromium.
 */
export const APP = resolve(process.cwd(), 'examples/react-app');
export const SCREENSHOTS = resolve(APP, 'screenshots');
const require = createRequire(import.meta.url);

/** Everything one end-to-end file runs against. */
export interface ExampleApp {
  baseUrl: string;
  admin: GraphQLTestClient;
  browser: Browser;
  tollgate(): ServerProcess;
  /** Stops Tollgate (SIGTERM); the app and the host API stay up. */
  stopTollgate(): Promise<void>;
  /** Starts Tollgate again on the same port and database, if it is stopped. */
  startTollgate(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startExampleApp}. */
export interface ExampleAppOptions {
  /**
   * Stripe (a local stand-in for its API, see test/support/stripe.ts): Tollgate gets the webhook
   * secret, an API key and STRIPE_API_BASE; the host API sells plans through Stripe Checkout with
   * the same API base, sending the browser back to the app.
   */
  stripe?: { apiBase: string; webhookSecret: string; apiKey: string };
}

/** Starts Tollgate, the host API, the built app and Chromium. */
export async function startExampleApp(options: ExampleAppOptions = {}): Promise<ExampleApp> {
  const database: FreshDatabase = await freshDatabase();
  const stripe = options.stripe;
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY,
    TOLLGATE_DEMO_DATA: 'auto',
    ...(stripe ? { STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_API_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.apiBase } : {}),
  };
  let tollgate: ServerProcess | null = await spawnServer(env);
  const graphqlUrl = tollgate.graphqlUrl;
  const port = new URL(graphqlUrl).port;
  const admin = new GraphQLTestClient(graphqlUrl, TEST_ADMIN_KEY);
  const serverKey = /server key:\s+(tg_server_\S+)/.exec(tollgate.output())![1]!;
  // Stripe sends the browser back to the app, so the host API must know the app's address
  // before the app is served: its port is chosen here.
  const previewPort = stripe ? await freePort() : 0;
  const hostApi = await spawnHostApi({
    TOLLGATE_URL: graphqlUrl,
    TOLLGATE_SERVER_KEY: serverKey,
    PORT: '0',
    ...(stripe ? { STRIPE_API_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.apiBase, APP_URL: `http://127.0.0.1:${previewPort}/` } : {}),
  });

  const outDir = await mkdtemp(join(tmpdir(), 'tollgate-example-app-'));
  process.env.TOLLGATE_URL = graphqlUrl;
  process.env.HOST_API_URL = hostApi.graphqlUrl.replace(/\/graphql$/, '');
  // Vite inside vitest would bundle React's development build without this.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  let site: PreviewServer;
  try {
    await build({ root: APP, logLevel: 'error', configFile: resolve(APP, 'vite.config.ts'), build: { outDir, emptyOutDir: true } });
    site = await preview({
      root: APP,
      configFile: resolve(APP, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir },
      preview: { port: previewPort, strictPort: previewPort !== 0 },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

  return {
    baseUrl: site.resolvedUrls!.local[0]!.replace(/\/$/, ''),
    admin,
    browser,
    tollgate: () => tollgate!,
    async stopTollgate() {
      await tollgate?.stop();
      tollgate = null;
    },
    async startTollgate() {
      tollgate ??= await spawnServer({ ...env, PORT: port });
    },
    async close() {
      await browser.close();
      await new Promise<void>((done) => site.httpServer.close(() => done()));
      await hostApi.stop();
      await tollgate?.stop();
      await database.drop();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on now, for a server that must be started on a known one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A page of the app and the browser errors it logged. */
export interface AppPage {
  page: Page;
  accountId: string;
  problems: string[];
  /** The Authorization headers the page sent to Tollgate's /graphql. */
  tollgateCredentials: string[];
}

let accountSequence = 0;

/**
 * Opens the app for a new account (on the free plan) in a new browser context, and waits for
 * its usage meter unless `ready` is false (Tollgate down). `onPage` gets the page before it loads.
 */
export async function openApp(
  app: ExampleApp,
  options: { context?: BrowserContextOptions; query?: string; ready?: boolean; onPage?: (page: Page) => void } = {},
): Promise<AppPage> {
  const accountId = `e2e-${process.pid}-${++accountSequence}-${Date.now().toString(36)}`;
  const context = await app.browser.newContext({ viewport: { width: 1000, height: 900 }, ...options.context });
  const page = await context.newPage();
  const problems: string[] = [];
  const tollgateCredentials: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql') tollgateCredentials.push(request.headers().authorization ?? '');
  });
  // One context per page: closing the page closes it (the browser may already be closing it).
  page.on('close', () => context.close().catch(() => {}));
  // The caller's own listeners, before the page loads (its WebSocket opens as it loads).
  options.onPage?.(page);
  await page.goto(`${app.baseUrl}/?account=${accountId}${options.query ? `&${options.query}` : ''}`);
  if (options.ready !== false) {
    try {
      await page.getByRole('progressbar', { name: 'Notes' }).waitFor({ timeout: budget(10_000) });
    } catch (error) {
      await page.screenshot({ path: resolve(process.cwd(), 'test-results', 'e2e-failure.png') });
      console.error('The app did not render; browser errors:', problems);
      throw error;
    }
  }
  return { page, accountId, problems, tollgateCredentials };
}

export async function addNote(page: Page, title: string): Promise<void> {
  await page.getByLabel('Note title').fill(title);
  await page.getByRole('button', { name: 'Add note' }).click();
}

/** Serious and critical axe-core violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const results = await page.evaluate(async () => (window as unknown as { axe: { run(): Promise<any> } }).axe.run());
  return results.violations
    .filter((violation: { impact: string }) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation: { id: string; help: string; nodes: { target: string[] }[] }) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

/** An sRGB colour as Chromium computes it: "rgb(r, g, b)" or "rgba(r, g, b, a)". */
type Rgba = [number, number, number, number];

function parseColour(css: string): Rgba {
  const match = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css);
  if (!match) throw new Error(`Cannot read the colour "${css}"`);
  return [Number(match[1]), Number(match[2]), Number(match[3]), match[4] === undefined ? 1 : Number(match[4])];
}

/** WCAG 2's relative luminance. */
export function luminance([r, g, b]: Rgba): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG 2's contrast ratio, 1 to 21. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** An element's text colour and the colour behind it: the nearest opaque background up the tree. */
export async function coloursOf(locator: Locator): Promise<{ text: Rgba; background: Rgba; contrast: number }> {
  const { text, background } = await locator.evaluate((element) => {
    const text = getComputedStyle(element).color;
    for (let node: Element | null = element; node; node = node.parentElement) {
      const background = getComputedStyle(node).backgroundColor;
      const alpha = /rgba\(.*,\s*([\d.]+)\)$/.exec(background);
      if (!alpha || Number(alpha[1]) === 1) return { text, background };
    }
    // Nothing painted: the canvas, which follows the root's color-scheme.
    const dark = getComputedStyle(document.documentElement).colorScheme.includes('dark');
    return { text, background: dark ? 'rgb(18, 18, 18)' : 'rgb(255, 255, 255)' };
  });
  const textColour = parseColour(text);
  const backgroundColour = parseColour(background);
  return { text: textColour, background: backgroundColour, contrast: contrastRatio(textColour, backgroundColour) };
}

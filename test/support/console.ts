import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { changePlan, createAccount, createFeature, publishVersion } from './fixtures.js';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';

const require = createRequire(import.meta.url);

/** The operator roles of the console (DESIGN.md's permission table). */
export type Role = 'VIEWER' | 'SUPPORT' | 'BILLING' | 'PRICING' | 'OWNER';

/** A person with a console account: their email, name, role and password. */
export interface ConsolePerson {
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** The people of the console tests, one per role they play. */
export const PEOPLE = {
  sam: { email: 'sam@tollgate.test', name: 'Sam Support', role: 'SUPPORT', password: 'correct horse battery staple 1' },
  bea: { email: 'bea@tollgate.test', name: 'Bea Billing', role: 'BILLING', password: 'correct horse battery staple 2' },
  vic: { email: 'vic@tollgate.test', name: 'Vic Viewer', role: 'VIEWER', password: 'correct horse battery staple 3' },
  olga: { email: 'olga@tollgate.test', name: 'Olga Owner', role: 'OWNER', password: 'correct horse battery staple 4' },
  pia: { email: 'pia@tollgate.test', name: 'Pia Pricing', role: 'PRICING', password: 'correct horse battery staple 5' },
} satisfies Record<string, ConsolePerson>;

/** A server for console tests, with its catalog, accounts and people. */
export interface ConsoleServer {
  t: TestServer;
  url: string;
  serverKey: string;
  stop(): Promise<void>;
}

const DAY = 86_400_000;

/**
 * Starts the real server (PostgreSQL) with what a support desk sees on a normal day: a free,
 * pro and enterprise catalog, "Acme Corporation" on the free plan (no CSV export), "Acme Labs" in
 * a Pro trial, "Globex" on Pro with an add-on, a month of usage, and one person per role (each
 * invited by the admin key and accepting their link, as people do). `stripe` connects webhooks
 * and a Stripe API stand-in (test/support/stripe.ts), as startTestServer's option does.
 */
export async function startConsoleServer(options: { stripe?: TestServerOptions['stripe'] } = {}): Promise<ConsoleServer> {
  const t = await startTestServer({ stripe: options.stripe });
  const admin = t.admin;
  await createFeature(admin, { key: 'export_csv', name: 'CSV export', kind: 'SWITCH' });
  await createFeature(admin, { key: 'sso', name: 'Single sign-on', kind: 'SWITCH' });
  await createFeature(admin, { key: 'api_calls', name: 'API calls', kind: 'METERED', unit: 'calls' });
  await createFeature(admin, { key: 'seats', name: 'Seats', kind: 'QUANTITY', unit: 'seats' });
  const plan = async (key: string, name: string, rank: number, isDefault = false) =>
    admin.request(`mutation ($input: CreatePlanInput!) { createPlan(input: $input) { key } }`, { input: { key, name, rank, isDefault } });
  await plan('free', 'Free', 0, true);
  await plan('pro', 'Pro', 10);
  await plan('enterprise', 'Enterprise', 20);
  await publishVersion(admin, 'free', [
    { feature: 'api_calls', limit: 1000, period: 'MONTH' },
    { feature: 'seats', limit: 3 },
  ]);
  await publishVersion(admin, 'pro', [
    { feature: 'export_csv' },
    { feature: 'api_calls', limit: 50_000, period: 'MONTH' },
    { feature: 'seats', limit: 20 },
  ], { price: 2900, trialDays: 14 });
  await publishVersion(admin, 'enterprise', [
    { feature: 'export_csv' },
    { feature: 'sso' },
    { feature: 'api_calls', limit: null, period: 'MONTH' },
    { feature: 'seats', limit: 500 },
  ], { price: 49900 });
  await admin.request(`mutation ($input: CreateAddOnInput!) { createAddOn(input: $input) { key } }`, {
    input: { key: 'extra_seats', name: 'Extra seats', price: { amount: 500, currency: 'USD' }, grants: [{ feature: 'seats', limitIncrement: 10 }] },
  });
  await createAccount(admin, 'acme', 'Acme Corporation');
  await createAccount(admin, 'acme-labs', 'Acme Labs');
  await createAccount(admin, 'globex', 'Globex');
  await changePlan(admin, { accountId: 'acme-labs', plan: 'pro', trial: true });
  await changePlan(admin, { accountId: 'globex', plan: 'pro' });
  await admin.request(`mutation { setAddOn(accountId: "globex", addOn: "extra_seats", quantity: 2) { id } }`);
  const { createApiKey } = await admin.request(`mutation { createApiKey(input: { name: "host backend", role: SERVER }) { secret } }`);
  const serverKey: string = createApiKey.secret;
  // A month of API calls and a few seats, reported by the host backend with their own timestamps.
  const now = Date.now();
  const events = Array.from({ length: 30 }, (_, day) => ({
    accountId: 'acme',
    feature: 'api_calls',
    amount: 5 + ((day * 7) % 23),
    idempotencyKey: `seed-${day}`,
    timestamp: new Date(now - (29 - day) * DAY - 3_600_000).toISOString(),
  })).filter((event) => Date.parse(event.timestamp) < now);
  await t.as(serverKey).request(`mutation ($events: [UsageEventInput!]!) { reportUsage(events: $events) { accepted } }`, { events });
  await t.as(serverKey).request(`mutation { consume(input: { accountId: "acme", feature: "seats", amount: 2, idempotencyKey: "seed-seats" }) { ok } }`);
  for (const person of Object.values(PEOPLE)) await addPerson(t, person);
  return { t, url: t.url, serverKey, stop: () => t.stop() };
}

/** Invites a person with the admin key and accepts their one-time link with their password. */
export async function addPerson(t: TestServer, person: ConsolePerson): Promise<void> {
  const { inviteOperator } = await t.admin.request(
    `mutation ($input: InviteOperatorInput!) { inviteOperator(input: $input) { link } }`,
    { input: { email: person.email, name: person.name, role: person.role } },
  );
  const token = new URL(inviteOperator.link).pathname.split('/').pop();
  const response = await fetch(`${t.url}/auth/invite`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: person.password }) });
  if (!response.ok) throw new Error(`Accepting ${person.email}'s invite failed: ${response.status} ${await response.text()}`);
}

/** Signs a person in through /auth/login (as the sign-in page does) and returns their session cookie's value. */
export async function sessionOf(url: string, person: ConsolePerson): Promise<string> {
  const response = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: person.email, password: person.password }) });
  const cookie = response.headers.get('set-cookie') ?? '';
  const match = /tollgate_session=([^;]+)/.exec(cookie);
  if (!response.ok || !match) throw new Error(`Signing in ${person.email} failed: ${response.status} ${await response.text()}`);
  return match[1];
}

/** Debian's Chromium, headless, through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page's console problems (errors logged, uncaught exceptions), for tests to assert none. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** Options of {@link openConsole}. */
export interface OpenConsoleOptions {
  colorScheme?: 'light' | 'dark';
  width?: number;
  /** Signed in already (a session cookie), or null to arrive signed out. */
  as?: ConsolePerson | null;
}

/** A browser context on the console, signed in as a person (or not). */
export async function openConsole(browser: Browser, server: ConsoleServer, options: OpenConsoleOptions = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    // axe-core is injected as an inline script, which the console's Content-Security-Policy (rightly) refuses.
    bypassCSP: true,
  });
  if (options.as) {
    const session = await sessionOf(server.url, options.as);
    const { hostname } = new URL(server.url);
    await context.addCookies([{ name: 'tollgate_session', value: session, domain: hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
  }
  const page = await context.newPage();
  return { context, page, problems: watchProblems(page) };
}

/** axe-core's serious and critical violations on the page as it is now, by rule and target. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context?: unknown, options?: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${node.failureSummary}`));
}

/** Where screenshots go: CONSOLE_SCREENSHOTS (docs/console, which docs/console.md shows, when refreshed by hand), else test-results/console. */
export async function screenshotDirectory(): Promise<string> {
  const directory = process.env.CONSOLE_SCREENSHOTS ?? join('test-results', 'console');
  await mkdir(directory, { recursive: true });
  return directory;
}

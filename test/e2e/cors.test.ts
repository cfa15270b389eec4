import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossOrigin } from '../../server/dist/http/index.js';
import { createAccount } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * CORS in Chromium, from pages on other origins than Tollgate's. A page on an origin listed in
 * TOLLGATE_CORS_ORIGINS calls /graphql with a client token (its preflight answered, the answer
 * readable); a page on any other origin is refused by the browser. The operators' session cookie
 * (SameSite=Lax) never acts for another origin: a cross-site page's request does not carry it
 * (the browser's rule), and a same-site page on another origin, listed or not, has it removed
 * by the server before anything reads it (Tollgate's rule), while Tollgate's own pages keep it.
 */
let browser: Browser;
let t: TestServer;
let listed: PageServer;
let unlisted: PageServer;
let echo: FastifyInstance;
let echoOrigin: string;
/** The Cookie header of each request as the browser sent it to the echo server, before any hook. */
const sentCookies: (string | null)[] = [];

/** A server of one blank page: the "other origin" a browser runs a script from. */
interface PageServer {
  server: Server;
  port: number;
  origin: string;
}

async function startPageServer(): Promise<PageServer> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html lang="en"><head><title>Another origin</title><link rel="icon" href="data:,"></head><body></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port, origin: `http://127.0.0.1:${port}` };
}

beforeAll(async () => {
  listed = await startPageServer();
  unlisted = await startPageServer();
  t = await startTestServer({ env: { TOLLGATE_CORS_ORIGINS: listed.origin } });
  await createAccount(t.admin, 'acme');
  // The same plugin Tollgate mounts, in front of a route that answers the Cookie header it got.
  echo = Fastify();
  echo.addHook('onRequest', async (request) => {
    if (request.url === '/echo') sentCookies.push(request.headers.cookie ?? null);
  });
  await echo.register(crossOrigin, { origins: [listed.origin] });
  echo.get('/', async (_request, reply) => reply.type('text/html').send('<!doctype html><title>Tollgate\'s own page</title>'));
  echo.get('/echo', async (request) => ({ cookie: request.headers.cookie ?? null }));
  echoOrigin = (await echo.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await echo?.close();
  await t?.stop();
  for (const pages of [listed, unlisted]) await new Promise((resolve) => pages?.server.close(resolve));
});

/** Runs `fetch(url, init)` in the page, as its own script would: the JSON answer, or the error the browser gave. */
function fetchFrom(page: Page, url: string, init: RequestInit): Promise<{ status: number; body: any } | { error: string }> {
  return page.evaluate(async ([target, options]) => {
    try {
      const response = await fetch(target, options);
      return { status: response.status, body: await response.json() };
    } catch (error) {
      return { error: String(error) };
    }
  }, [url, init] as const);
}

describe('a browser on another origin', () => {
  it('calls Tollgate with a client token from a listed origin, and is refused from any other', async () => {
    const { createClientToken } = await t.admin.request(`mutation { createClientToken(accountId: "acme") { token } }`);
    const init: RequestInit = {
      method: 'POST',
      // application/json and Authorization make this a preflighted request.
      headers: { 'content-type': 'application/json', authorization: `Bearer ${createClientToken.token}` },
      body: JSON.stringify({ query: '{ entitlements(accountId: "acme") { feature } }' }),
    };
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(listed.origin);
      expect(await fetchFrom(page, t.server.graphqlUrl, init)).toEqual({ status: 200, body: { data: { entitlements: [] } } });
      expect(await fetchFrom(page, t.server.graphqlUrl, { ...init, credentials: 'include' })).toEqual({ status: 200, body: { data: { entitlements: [] } } });
      await page.goto(unlisted.origin);
      expect(await fetchFrom(page, t.server.graphqlUrl, init)).toEqual({ error: 'TypeError: Failed to fetch' });
    } finally {
      await context.close();
    }
  });

  it('never lets the session cookie act for another origin, and keeps it on Tollgate\'s own', async () => {
    const context = await browser.newContext();
    await context.addCookies([
      { name: 'tollgate_session', value: 'operator-session', url: echoOrigin, httpOnly: true, sameSite: 'Lax' },
      { name: 'theme', value: 'dark', url: echoOrigin, sameSite: 'Lax' },
    ]);
    try {
      const page = await context.newPage();
      const both = 'tollgate_session=operator-session; theme=dark';

      // Same site (127.0.0.1), another origin, listed: the browser sends the cookie; the server removes it.
      sentCookies.length = 0;
      await page.goto(listed.origin);
      expect(await fetchFrom(page, `${echoOrigin}/echo`, { credentials: 'include' })).toEqual({ status: 200, body: { cookie: 'theme=dark' } });
      expect(sentCookies).toEqual([both]);

      // Cross-site (localhost is another site than 127.0.0.1): the browser keeps a Lax cookie to itself.
      sentCookies.length = 0;
      await page.goto(`http://localhost:${unlisted.port}/`);
      await fetchFrom(page, `${echoOrigin}/echo`, { credentials: 'include', mode: 'no-cors' });
      expect(sentCookies).toEqual([null]);

      // Tollgate's own page: the session is there.
      sentCookies.length = 0;
      await page.goto(echoOrigin);
      expect(await fetchFrom(page, `${echoOrigin}/echo`, { method: 'GET' })).toEqual({ status: 200, body: { cookie: both } });
      expect(sentCookies).toEqual([both]);
    } finally {
      await context.close();
    }
  });
});

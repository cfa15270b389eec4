import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInOperator } from '../support/operators.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Who gets the GraphQL IDE at GET /graphql: browsers in development; in production operators
 * signed in to the console (a valid session cookie), and everyone when TOLLGATE_GRAPHQL_IDE is
 * set. The page and its files come from Tollgate itself (no CDN); everything else about /graphql
 * is unchanged.
 */
const servers: TestServer[] = [];
let development: TestServer;
let production: TestServer;
let productionWithIde: TestServer;

beforeAll(async () => {
  development = await startTestServer();
  production = await startTestServer({ env: { NODE_ENV: 'production' } });
  productionWithIde = await startTestServer({ env: { NODE_ENV: 'production', TOLLGATE_GRAPHQL_IDE: 'true' } });
  servers.push(development, production, productionWithIde);
}, 60_000);
afterAll(async () => {
  for (const server of servers) await server.stop();
});

const openInBrowser = (server: TestServer, session?: string) =>
  fetch(`${server.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml', ...(session ? { cookie: `tollgate_session=${session}` } : {}) } });

describe('GET /graphql from a browser', () => {
  it('answers GraphiQL built with the project, whose every file Tollgate serves', async () => {
    for (const server of [development, productionWithIde]) {
      const response = await openInBrowser(server);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('<title>Tollgate GraphQL IDE</title>');
      expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
      const files = [...html.matchAll(/(?:src|href)="(\/graphiql\/assets\/[^"]+)"/g)].map((match) => match[1]);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const asset = await fetch(`${server.url}${file}`, { headers: { 'accept-encoding': 'gzip' } });
        expect(asset.status, file).toBe(200);
        expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      }
    }
  });

  it('is off in production unless TOLLGATE_GRAPHQL_IDE is set: no page and no files', async () => {
    const page = await openInBrowser(production);
    expect(page.status).toBe(400);
    expect(await page.text()).not.toContain('<html');
    const html = await (await openInBrowser(productionWithIde)).text();
    const file = /src="(\/graphiql\/assets\/[^"]+)"/.exec(html)![1];
    expect((await fetch(`${production.url}${file}`)).status).toBe(404);
    // A made-up session cookie is no one's.
    expect((await openInBrowser(production, 'A'.repeat(43))).status).toBe(400);
    expect((await fetch(`${production.url}${file}`, { headers: { cookie: `tollgate_session=${'A'.repeat(43)}` } })).status).toBe(404);
  });

  it('is served in production to an operator signed in to the console, page and files, and to nobody after they sign out', async () => {
    const { session } = await signedInOperator(production, 'ide.viewer@example.com', 'VIEWER');
    const page = await openInBrowser(production, session);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Tollgate GraphQL IDE</title>');
    const files = [...html.matchAll(/(?:src|href)="(\/graphiql\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect((await fetch(`${production.url}${file}`, { headers: { cookie: `tollgate_session=${session}` } })).status, file).toBe(200);
    // GraphQL itself is as before: a JSON POST with the cookie acts as the operator.
    const me = await fetch(`${production.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: `tollgate_session=${session}` }, body: JSON.stringify({ query: '{ me { operator { email } } }' }),
    });
    expect((await me.json()).data.me.operator.email).toBe('ide.viewer@example.com');

    await fetch(`${production.url}/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `tollgate_session=${session}` }, body: '{}' });
    expect((await openInBrowser(production, session)).status).toBe(400);
    expect((await fetch(`${production.url}${files[0]}`, { headers: { cookie: `tollgate_session=${session}` } })).status).toBe(404);
  });
});

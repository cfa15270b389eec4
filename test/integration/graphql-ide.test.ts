import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Who gets the GraphQL IDE at GET /graphql: browsers in development; in production nobody unless
 * TOLLGATE_GRAPHQL_IDE is set (until operators' sign-in can guard it). The page and its files
 * come from Tollgate itself (no CDN); everything else about /graphql is unchanged.
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

const openInBrowser = (server: TestServer) => fetch(`${server.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });

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
  });
});

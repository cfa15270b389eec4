import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from '../../server/dist/http/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The console is served by the server itself at /console (built by `npm test` before the tests):
 * a deep link opens the app, files are cached by kind, only this origin may be loaded from, and a
 * server whose console was never built says how to build it. Its typed documents match the schema.
 */
describe('the console at /console', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  }, 60_000);
  afterAll(() => t?.stop());

  it('opens any console path as the app, with a policy that allows only this origin', async () => {
    const response = await fetch(`${t.url}/console/accounts/acme/overrides?show=past`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('<div id="root"></div>');
    // Nothing from another origin: every script and stylesheet is under /console/.
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url === 'data:,' || url.startsWith('/console/'), url).toBe(true);
  });

  it('caches hashed files for a year, redirects /console, and answers a missing file 404, not the app', async () => {
    const html = await (await fetch(`${t.url}/console/`)).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${t.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const bare = await fetch(`${t.url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/console/');
    const missing = await fetch(`${t.url}/console/assets/index-gone.js`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('NOT_FOUND');
    // Paths outside /console keep their own answers.
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.url}/not-the-console`)).status).toBe(404);
  });

  it('answers 503 saying how to build it when the console was never built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tollgate-no-console-'));
    const app = Fastify();
    try {
      await app.register(consoleRoutes, { directory: empty });
      const response = await app.inject({ url: '/console/accounts' });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toMatchObject({ code: 'CONSOLE_NOT_BUILT' });
      expect(response.json().error.message).toContain('npm run build');
    } finally {
      await app.close();
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('has typed documents that match schema.graphql and its .graphql files (run `npm run codegen -w server` after changing either)', () => {
    const bin = realpathSync(resolve(process.cwd(), 'node_modules/.bin/graphql-codegen'));
    const result = spawnSync(process.execPath, [bin, '--config', 'codegen.yml', '--check'], { cwd: resolve(process.cwd(), 'server/console'), encoding: 'utf8' });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/dist/config/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * What Tollgate answers cross-origin requests, header by header: every preflight is answered;
 * only an origin listed in TOLLGATE_CORS_ORIGINS (exactly: scheme, host and port) gets
 * Access-Control-Allow-Origin and Access-Control-Allow-Credentials; with no list (the default)
 * no origin does. The browser side is test/e2e/cors.test.ts.
 */
const APP = 'https://app.example.com';
let open: TestServer;
let closed: TestServer;

beforeAll(async () => {
  open = await startTestServer({ env: { TOLLGATE_CORS_ORIGINS: `${APP}, http://localhost:5173` } });
  closed = await startTestServer();
}, 60_000);
afterAll(async () => {
  await open?.stop();
  await closed?.stop();
});

const preflight = (server: TestServer, origin: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type', ...headers },
  });

describe('CORS', () => {
  it('answers a listed origin\'s preflight with that origin, credentials and the headers a client sends', async () => {
    for (const origin of [APP, 'http://localhost:5173']) {
      const response = await preflight(open, origin);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(response.headers.get('access-control-allow-headers')).toMatch(/^authorization, content-type/);
      expect(response.headers.get('vary')).toMatch(/Origin/);
    }
  });

  it('answers every other origin\'s preflight without allowing it, whatever resembles a listed one', async () => {
    for (const origin of ['https://evil.example', 'http://app.example.com', 'https://app.example.com.evil.example', 'https://app.example.com:8443', 'null']) {
      const response = await preflight(open, origin);
      expect(response.status, origin).toBe(204);
      expect(response.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(response.headers.get('access-control-allow-credentials'), origin).toBeNull();
    }
    for (const origin of [APP, 'https://evil.example']) {
      expect((await preflight(closed, origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('allows the answer itself only to a listed origin, and adds nothing to a same-origin request', async () => {
    const ask = (origin?: string) =>
      fetch(`${open.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer test-admin-key-0123456789abcdef', ...(origin ? { origin } : {}) },
        body: JSON.stringify({ query: '{ features { key } }' }),
      });
    const fromApp = await ask(APP);
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers.get('access-control-allow-origin')).toBe(APP);
    const fromElsewhere = await ask('https://evil.example');
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const sameOrigin = await ask();
    expect(sameOrigin.headers.get('access-control-allow-origin')).toBeNull();
    expect(sameOrigin.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a preflight that is not one (no Access-Control-Request-Method) with 400', async () => {
    const response = await fetch(`${open.url}/graphql`, { method: 'OPTIONS', headers: { origin: APP } });
    expect(response.status).toBe(400);
  });

  it('refuses, at start, a list entry that is not an exact origin, saying how to write one', async () => {
    for (const value of ['https://app.example.com/', '*', 'https://*.example.com', 'app.example.com', 'https://app.example.com/path', 'ftp://files.example.com']) {
      expect(() => loadConfig({ TOLLGATE_CORS_ORIGINS: value }), value).toThrow(/TOLLGATE_CORS_ORIGINS: .* is not an origin/);
    }
    expect(loadConfig({ TOLLGATE_CORS_ORIGINS: ' https://App.Example.com ,http://[::1]:5173' }).corsOrigins).toEqual(['https://app.example.com', 'http://[::1]:5173']);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });
});

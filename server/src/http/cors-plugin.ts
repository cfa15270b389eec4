import type { IncomingHttpHeaders } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from './session-cookie.js';

/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** The request headers a browser on a listed origin may send: the credential, JSON, and Apollo's CSRF and operation headers. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'];

/** The options of {@link crossOrigin}. */
export interface CrossOriginOptions {
  /** TOLLGATE_CORS_ORIGINS: exact origins (`https://app.example.com`) whose pages may call Tollgate; none by default. */
  origins: string[];
}

/**
 * Cross-origin requests, as a Fastify plugin mounted before every route:
 *
 * - CORS through @fastify/cors for exactly the listed origins (scheme, host and port compared
 *   as written; no patterns, no `*`). Every preflight is answered (204); only a listed origin
 *   gets `Access-Control-Allow-Origin` (its own, with `Vary: Origin`) and
 *   `Access-Control-Allow-Credentials`, so a browser refuses to hand any other page the answer.
 *   A listed origin calls Tollgate with a bearer credential (a client token in the
 *   `Authorization` header), which CORS lets through its preflight.
 * - The operators' session cookie never acts for another origin: on a request whose `Origin`
 *   is not Tollgate's own (its `Host`), the `tollgate_session` cookie is removed before any
 *   route or authentication reads it. Browsers already keep a SameSite=Lax cookie off
 *   cross-site requests; this also covers other origins of the same site (another port or
 *   subdomain), listed ones included: CORS opens Tollgate to bearer credentials, never to an
 *   operator's session. The WebSocket upgrade applies the same rule (graphql-ws-plugin.ts).
 */
export async function crossOrigin(app: FastifyInstance, options: CrossOriginOptions): Promise<void> {
  app.addHook('onRequest', async (request) => {
    withoutCrossOriginSession(request.headers);
  });
  const listed = new Set(options.origins);
  const common = { methods: ['GET', 'POST'], allowedHeaders: ALLOWED_HEADERS, maxAge: PREFLIGHT_MAX_AGE_SECONDS };
  await app.register(cors, {
    // A preflight without Origin or Access-Control-Request-Method is not one: 400, as the standard says.
    strictPreflight: true,
    // Decided per request: a listed origin gets itself back and credentials; any other request
    // (another origin, or none) gets neither, and its preflight is answered all the same.
    delegator: (request, answer) => {
      const origin = request.headers.origin;
      if (origin !== undefined && listed.has(origin)) answer(null, { ...common, origin, credentials: true });
      else answer(null, { ...common, origin: [], credentials: false });
    },
  });
}
// Its hooks apply to the routes of every other plugin, not only its own.
(crossOrigin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/**
 * Removes the session cookie from a request that comes from another origin than Tollgate's own:
 * an `Origin` header (browsers send it on every cross-origin request, every POST and every
 * WebSocket handshake) whose host differs from the `Host` the request was sent to. Behind a
 * reverse proxy, pass `Host` through (nginx: `proxy_set_header Host $host;`).
 *
 * @example
 * withoutCrossOriginSession(request.headers); // before anything reads request.headers.cookie
 */
export function withoutCrossOriginSession(headers: IncomingHttpHeaders): void {
  const origin = headers.origin;
  if (origin === undefined || !headers.cookie?.includes(SESSION_COOKIE)) return;
  if (originHost(origin) === headers.host?.toLowerCase()) return;
  const kept = headers.cookie
    .split(';')
    .filter((pair) => pair.split('=', 1)[0].trim() !== SESSION_COOKIE)
    .join(';')
    .trim();
  if (kept) headers.cookie = kept;
  else delete headers.cookie;
}

/** `host[:port]` of an Origin header as the Host header spells it, or null for `null` and other non-URLs. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { SignInRefusal, SSO_STATE_COOKIE, type OperatorsService, type SingleSignOn } from '../operators/index.js';
import { sessionCookie, sessionIdFrom } from './session-cookie.js';

/** The options of {@link ssoRoutes}. */
export interface SsoRoutesOptions {
  operators: OperatorsService;
  /** null: single sign-on is not set up; its routes answer 404 SSO_NOT_CONFIGURED. */
  singleSignOn: SingleSignOn | null;
  publicUrl: string | null;
  clock: Clock;
  secure: (request: FastifyRequest) => boolean;
  origin: (request: FastifyRequest) => { address: string; userAgent: string | null };
}

/** The longest callback query string taken: a code and a state fit in far less. */
const MAX_QUERY_LENGTH = 8192;

/**
 * Single sign-on's routes, inside the /auth scope (JSON refusals, no caching):
 *
 * - `GET /auth/methods` → `{ password: true, singleSignOn: boolean }`, unauthenticated, so the
 *   sign-in page shows "Sign in with single sign-on" only when it is set up.
 * - `GET /auth/oidc/start?next=/accounts` → 303 to the provider, with the attempt (state, nonce,
 *   PKCE verifier) sealed in the `tollgate_oidc` cookie (httpOnly, SameSite=Lax, 10 minutes).
 * - `GET /auth/oidc/callback` → 303 to the console with a new `tollgate_session` cookie, or 303 to
 *   `/console/sign-in?error=CODE`, which the sign-in page explains. The attempt cookie is cleared
 *   either way, so it serves once.
 */
export function ssoRoutes(scope: FastifyInstance, options: SsoRoutesOptions): void {
  const { operators, singleSignOn, publicUrl, clock, secure, origin } = options;
  const base = (request: FastifyRequest) => publicUrl ?? `${request.protocol}://${request.host}`;
  const redirectUri = (request: FastifyRequest) => `${base(request)}/auth/oidc/callback`;
  const attemptCookie = (request: FastifyRequest, value: string, maxAge: number) =>
    stringifySetCookie({ name: SSO_STATE_COOKIE, value, httpOnly: true, sameSite: 'lax', secure: secure(request), path: '/auth/oidc', maxAge });
  const refuse = (request: FastifyRequest, reply: FastifyReply, code: string) => {
    reply.header('set-cookie', attemptCookie(request, '', 0));
    return reply.redirect(`/console/sign-in?error=${encodeURIComponent(code)}`, 303);
  };

  scope.get('/auth/methods', async (_request, reply) => reply.send({ password: true, singleSignOn: singleSignOn !== null }));

  scope.get('/auth/oidc/start', async (request, reply) => {
    if (!singleSignOn) throw notConfigured();
    const next = consolePath((request.query as Record<string, unknown>).next);
    try {
      const started = await singleSignOn.start(redirectUri(request), next);
      reply.header('set-cookie', attemptCookie(request, started.stateCookie, 600));
      return reply.redirect(started.authorizationUrl, 303);
    } catch (error) {
      if (error instanceof SignInRefusal) return refuse(request, reply, error.code);
      throw error;
    }
  });

  scope.get('/auth/oidc/callback', async (request, reply) => {
    if (!singleSignOn) throw notConfigured();
    const at = request.url.indexOf('?');
    const query = at >= 0 ? request.url.slice(at + 1) : '';
    if (query.length > MAX_QUERY_LENGTH || query.includes('%00')) return refuse(request, reply, 'SSO_STATE_INVALID');
    try {
      const callbackUrl = new URL(`${redirectUri(request)}${query ? `?${query}` : ''}`);
      const { identity, next } = await singleSignOn.finish(callbackUrl, attemptFrom(request.headers.cookie));
      const { session } = await operators.signInWithSso(identity, origin(request), sessionIdFrom(request.headers.cookie));
      reply.header('set-cookie', [sessionCookie(session.id, session.expiresAt, secure(request), clock()), attemptCookie(request, '', 0)]);
      return reply.redirect(`/console${next}`, 303);
    } catch (error) {
      if (error instanceof SignInRefusal) {
        request.log.info({ code: error.code, reason: error.message }, 'single sign-on refused');
        return refuse(request, reply, error.code);
      }
      throw error;
    }
  });
}

/** A console path from `?next=`: one of ours (starting with one slash), printable, bounded; else the accounts page. */
function consolePath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 512 || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next)) return '/accounts';
  return next;
}

function attemptFrom(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  try {
    return parseCookie(cookieHeader)[SSO_STATE_COOKIE] ?? null;
  } catch {
    return null;
  }
}

function notConfigured(): SignInRefusal {
  return new SignInRefusal(404, 'SSO_NOT_CONFIGURED', 'Single sign-on is not set up on this Tollgate (TOLLGATE_OIDC_ISSUER and friends, docs/operators.md). Sign in with your email and password.');
}

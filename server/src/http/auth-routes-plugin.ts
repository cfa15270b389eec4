import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { Clock } from '../clock.js';
import { isConnectionFault } from '../db/index.js';
import { SignInRefusal, type OperatorsService, type SignedIn, type SingleSignOn } from '../operators/index.js';
import { clearedSessionCookie, fromOwnOrigin, sessionCookie, sessionIdFrom } from './session-cookie.js';
import { ssoRoutes } from './sso-routes.js';

/** The most an `/auth/*` body may weigh: an email and a password fit in far less. */
export const AUTH_BODY_LIMIT = 16 * 1024;

/** The options of {@link authRoutes}. */
export interface AuthRoutesOptions {
  operators: OperatorsService;
  /** Single sign-on (sso-routes.ts); null when TOLLGATE_OIDC_* is not set. */
  singleSignOn: SingleSignOn | null;
  /** TOLLGATE_PUBLIC_URL: an https one makes the cookie Secure, and its origin is Tollgate's own. */
  publicUrl: string | null;
  clock: Clock;
}

/**
 * Operators' sign-in, outside GraphQL, as a Fastify plugin in its own encapsulated context:
 *
 * - `POST /auth/login` `{ email, password }` → 200 `{ operator, expiresAt }` and the
 *   `tollgate_session` cookie; 401 INVALID_CREDENTIALS; 429 TOO_MANY_ATTEMPTS with Retry-After.
 * - `POST /auth/logout` → 204, the session ended in every process and the cookie cleared.
 * - `POST /auth/invite` `{ token, password }` accepts an invite link (`/console/invite/<token>`)
 *   and signs in; `POST /auth/reset` `{ token, password }` does the same with a reset link.
 *   400 LINK_INVALID or WEAK_PASSWORD, 410 LINK_USED or LINK_EXPIRED.
 * - `GET /auth/methods`, `GET /auth/oidc/start` and `GET /auth/oidc/callback`: single sign-on
 *   (sso-routes.ts).
 *
 * Every refusal is `{ "error": { "code", "message" } }`. Bodies are JSON only (a form post or
 * `text/plain`, which another site's page can send without asking, is 415 and does nothing),
 * at most 16 kB, and a browser request from another origin is 403 CROSS_ORIGIN. Answers are
 * never cached. Each sign-in makes a new session id, whatever cookie the browser brought.
 */
export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const { operators, singleSignOn, publicUrl, clock } = options;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: AUTH_BODY_LIMIT }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(authError(400, 'BAD_REQUEST', 'The body is not JSON. Send a JSON object with Content-Type: application/json.'), undefined);
      }
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => failed(reply, error, request.log));
    scope.setNotFoundHandler((_request, reply) => answer(reply, 404, 'NOT_FOUND', 'No such route. Sign-in routes: POST /auth/login, /auth/logout, /auth/invite, /auth/reset; GET /auth/methods, /auth/oidc/start.'));
    scope.addHook('onRequest', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (!fromOwnOrigin(request.headers.origin, request.headers.host, publicUrl)) {
        return answer(reply, 403, 'CROSS_ORIGIN', 'Sign-in is accepted only from Tollgate\'s own pages (the Origin header names another site).');
      }
      return undefined;
    });

    const secure = (request: FastifyRequest) => publicUrl?.startsWith('https:') === true || request.protocol === 'https';
    const origin = (request: FastifyRequest) => ({ address: request.ip, userAgent: sanitize(request.headers['user-agent']) });
    const signedIn = (request: FastifyRequest, reply: FastifyReply, result: SignedIn) => {
      const { operator, session } = result;
      reply.header('set-cookie', sessionCookie(session.id, session.expiresAt, secure(request), clock()));
      return reply.code(200).send({
        operator: { id: operator.id, email: operator.email, name: operator.name, role: operator.role },
        expiresAt: session.expiresAt.toISOString(),
      });
    };

    ssoRoutes(scope, { operators, singleSignOn, publicUrl, clock, secure, origin });

    scope.post('/auth/login', { bodyLimit: AUTH_BODY_LIMIT }, async (request, reply) =>
      signedIn(request, reply, await operators.signIn(request.body, origin(request), sessionIdFrom(request.headers.cookie))));

    scope.post('/auth/logout', { bodyLimit: AUTH_BODY_LIMIT }, async (request, reply) => {
      await operators.signOut(sessionIdFrom(request.headers.cookie));
      reply.header('set-cookie', clearedSessionCookie(secure(request)));
      return reply.code(204).send();
    });

    scope.post('/auth/invite', { bodyLimit: AUTH_BODY_LIMIT }, async (request, reply) =>
      signedIn(request, reply, await operators.acceptInvite(request.body, origin(request))));

    scope.post('/auth/reset', { bodyLimit: AUTH_BODY_LIMIT }, async (request, reply) =>
      signedIn(request, reply, await operators.resetPassword(request.body, origin(request))));
  });
}

/** A header's printable part, for the session's record: at most 512 characters, no control characters. */
function sanitize(value: string | undefined): string | null {
  if (!value) return null;
  return value.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 512) || null;
}

function failed(reply: FastifyReply, error: unknown, log: FastifyInstance['log']): FastifyReply {
  if (error instanceof SignInRefusal) {
    if (error.retryAfterSeconds !== null) reply.header('retry-after', String(error.retryAfterSeconds));
    return answer(reply, error.status, error.code, error.message);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return answer(reply, 413, 'PAYLOAD_TOO_LARGE', `A sign-in body is at most ${AUTH_BODY_LIMIT} bytes.`);
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fastifyError.statusCode === 415) {
    return answer(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send a JSON object with Content-Type: application/json.');
  }
  if (fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return answer(reply, 400, 'BAD_REQUEST', 'The body is empty. Send a JSON object.');
  if (fastifyError.statusCode && fastifyError.statusCode < 500) return answer(reply, fastifyError.statusCode, fastifyError.code ?? 'BAD_REQUEST', fastifyError.message);
  if ((error instanceof GraphQLError && error.extensions.code === 'DATABASE_UNAVAILABLE') || isConnectionFault(error)) {
    log.warn({ err: error }, 'database unavailable during sign-in');
    reply.header('retry-after', '5');
    return answer(reply, 503, 'DATABASE_UNAVAILABLE', 'The database is unavailable; nothing was changed. Try again in a few seconds.');
  }
  log.error({ err: error }, 'sign-in route failed');
  return answer(reply, 500, 'INTERNAL_SERVER_ERROR', 'Sign-in failed on the server. It has been logged; try again.');
}

/** Every refusal in one shape, as the webhooks answer: `{ error: { code, message } }`. */
function answer(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

function authError(statusCode: number, code: string, message: string): FastifyError {
  return Object.assign(new Error(message), { statusCode, code }) as FastifyError;
}

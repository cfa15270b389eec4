import { HeaderMap } from '@apollo/server';
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { unauthenticated, type CredentialProblem, type Principal } from '../access/index.js';
import { sessionIdFrom } from './session-cookie.js';
import type { TransportContext, TransportServices } from './transport-context.js';

/**
 * Who a request is from: its `Authorization: Bearer` credential when it sends one (an API key or
 * client token), else its `tollgate_session` cookie (an operator signed in to the console), else
 * nobody. A bearer credential wins over a cookie, so a script's key is never mistaken for a
 * person.
 */
export function authenticateRequest(services: TransportServices, authorization: string | undefined, cookieHeader: string | undefined): Promise<Principal> {
  if (authorization !== undefined) return services.auth.authenticate(authorization);
  const sessionId = sessionIdFrom(cookieHeader);
  if (sessionId !== null) return services.operators.authenticateSession(sessionId);
  return Promise.resolve({ kind: 'anonymous', problem: 'missing' });
}

/**
 * Builds each request's context, and refuses a request without a usable credential right here.
 * Apollo Server builds the context before it parses, validates or compiles the document (the
 * sandbox landing page is answered even earlier), so an anonymous caller never reaches the
 * document caches and cannot grow them with query texts of its own. The refusal is the usual
 * UNAUTHENTICATED error, answered as a GraphQL response with no `data` and an HTTP status of
 * RFC 6750: 400 for a malformed Authorization header, 401 otherwise, with `WWW-Authenticate`.
 *
 * A session cookie is believed here with Apollo's CSRF prevention in front (on by default): a
 * request a page on another site can make without a preflight (a form post, `text/plain`, a
 * GET without `apollo-require-preflight`) is refused before this runs, and one it cannot is
 * left to the browser's CORS check.
 *
 * @example
 * await app.register(fastifyApollo(apollo), { context: requestContext(services) });
 */
export function requestContext(services: TransportServices): (request: FastifyRequest) => Promise<TransportContext> {
  return async (request) => {
    const principal = await authenticateRequest(services, request.headers.authorization, request.headers.cookie);
    if (principal.kind === 'anonymous') throw refusedCredential(principal.problem);
    return { principal, services };
  };
}

function refusedCredential(problem: CredentialProblem): GraphQLError {
  const error = unauthenticated(problem);
  // RFC 6750 §3: no error attribute when no credential was sent at all.
  const challenge =
    problem === 'missing' || problem === 'session' ? 'Bearer realm="tollgate"'
    : problem === 'malformed' ? 'Bearer realm="tollgate", error="invalid_request"'
    : 'Bearer realm="tollgate", error="invalid_token"';
  return new GraphQLError(error.message, {
    extensions: {
      ...error.extensions,
      // Read (and removed from the body) by Apollo Server when it answers the failed context.
      http: { status: problem === 'malformed' ? 400 : 401, headers: new HeaderMap([['www-authenticate', challenge]]) },
    },
  });
}

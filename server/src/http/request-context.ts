import { HeaderMap } from '@apollo/server';
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { unauthenticated, type CredentialProblem } from '../access/index.js';
import type { TransportContext, TransportServices } from './transport-context.js';

/**
 * Builds each request's context, and refuses a request without a usable credential right here.
 * Apollo Server builds the context before it parses, validates or compiles the document (the
 * sandbox landing page is answered even earlier), so an anonymous caller never reaches the
 * document caches and cannot grow them with query texts of its own. The refusal is the usual
 * UNAUTHENTICATED error, answered as a GraphQL response with no `data` and an HTTP status of
 * RFC 6750: 400 for a malformed Authorization header, 401 otherwise, with `WWW-Authenticate`.
 *
 * @example
 * await app.register(fastifyApollo(apollo), { context: requestContext(services) });
 */
export function requestContext(services: TransportServices): (request: FastifyRequest) => Promise<TransportContext> {
  return async (request) => {
    const principal = await services.auth.authenticate(request.headers.authorization);
    if (principal.kind === 'anonymous') throw refusedCredential(principal.problem);
    return { principal, services };
  };
}

function refusedCredential(problem: CredentialProblem): GraphQLError {
  const error = unauthenticated(problem);
  // RFC 6750 §3: no error attribute when no credential was sent at all.
  const challenge =
    problem === 'missing' ? 'Bearer realm="tollgate"'
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

import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { TollgateConfig } from '../config/index.js';
import type { TransportServices } from './transport-context.js';
import { graphqlIdeAssets } from './graphiql-plugin.js';
import { createGraphQLServer } from './graphql-server.js';
import { knownQueryFastPath } from './known-query-fast-path.js';
import { KnownQueries } from './known-queries.js';
import { CompiledQueryCache } from './query-caches.js';
import { requestContext } from './request-context.js';
import { sessionIdFrom } from './session-cookie.js';

/**
 * GraphQL over HTTP (`POST /graphql`, and GraphiQL for browsers where the IDE is on) as a Fastify plugin:
 * one transport among those the server mounts, each handed the same services.
 */
export async function graphqlOverHttp(app: FastifyInstance, options: { schema: GraphQLSchema; services: TransportServices; config: TollgateConfig }): Promise<void> {
  const compiled = new CompiledQueryCache();
  const known = new KnownQueries();
  const apollo = createGraphQLServer(options.schema, app, options.config, { compiled, known });
  await apollo.start();
  // Queries Apollo has already accepted and compiled skip its per-request pipeline (known-query-fast-path.ts).
  app.addHook('preHandler', knownQueryFastPath(options.services, known, compiled));
  await app.register(fastifyApollo(apollo), { context: requestContext(options.services) });
  if (!options.config.graphqlIde) app.addHook('onRequest', signedInOperatorsOnly(options.services));
  await app.register(graphqlIdeAssets);
}

/**
 * Where the GraphQL IDE is not on for everyone (production without TOLLGATE_GRAPHQL_IDE), its
 * page and files go to a signed-in operator only (a valid `tollgate_session` cookie, as the
 * console has): anyone else gets what they got before it existed, 400 for the page and 404 for
 * its files. GraphQL itself is untouched.
 */
function signedInOperatorsOnly(services: TransportServices) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const path = request.url.split('?')[0]!;
    const page = path === '/graphql' && wantsHtml(request.headers.accept);
    if (!page && !path.startsWith('/graphiql/')) return undefined;
    const sessionId = sessionIdFrom(request.headers.cookie);
    const principal = sessionId ? await services.operators.authenticateSession(sessionId) : null;
    if (principal?.kind === 'operator') return undefined;
    if (page) {
      return reply.code(400).send({ errors: [{ message: 'GET /graphql needs a query. The GraphQL IDE here is for operators signed in to the console (/console).', extensions: { code: 'BAD_REQUEST' } }] });
    }
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'Not found.' } });
  };
}

/** Whether a browser asks for a page (Accept names text/html), as Apollo decides to answer its landing page. */
function wantsHtml(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.includes('text/html');
}

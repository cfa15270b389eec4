import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { TollgateConfig } from '../config/index.js';
import type { TransportServices } from './transport-context.js';
import { graphqlIdeAssets } from './graphiql-plugin.js';
import { createGraphQLServer } from './graphql-server.js';
import { knownQueryFastPath } from './known-query-fast-path.js';
import { KnownQueries } from './known-queries.js';
import { CompiledQueryCache } from './query-caches.js';
import { requestContext } from './request-context.js';

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
  if (options.config.graphqlIde) await app.register(graphqlIdeAssets);
}

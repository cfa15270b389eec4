import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { TollgateConfig } from '../config/index.js';
import type { Services } from '../services.js';
import { createGraphQLServer } from './graphql-server.js';
import { requestContext } from './request-context.js';

/**
 * GraphQL over HTTP (`POST /graphql`, and the sandbox page in development) as a Fastify plugin:
 * one transport among those the server mounts, each handed the same services.
 */
export async function graphqlOverHttp(app: FastifyInstance, options: { schema: GraphQLSchema; services: Services; config: TollgateConfig }): Promise<void> {
  const apollo = createGraphQLServer(options.schema, app, options.config);
  await apollo.start();
  await app.register(fastifyApollo(apollo), { context: requestContext(options.services) });
}

/** The transports, each a Fastify plugin the server mounts: GraphQL over HTTP, health routes. Other domains import from here, never from the files. */
export { graphqlOverHttp } from './graphql-plugin.js';
export { healthRoutes } from './health-plugin.js';

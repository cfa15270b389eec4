/** The server assembly. Other domains import from here, never from the files. */
export { type GraphQLContext, type Services } from './graphql-context.js';
export { type StartOptions, type TollgateServer, startServer } from './server.js';

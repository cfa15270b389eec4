/** The GraphQL schema, built from every domain's resolvers. Other domains import from here, never from the files. */
export { buildTollgateSchema, printTollgateSchema, resolvers } from './build-schema.js';

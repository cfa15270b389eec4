// The ceiling of the HTTP read path: a bare Apollo Server 5 on Fastify (the same integration and
// versions Tollgate uses), with no auth, no database and no plugins, answering `{ __typename }`.
// Started as its own process by entitlement-read.bench.mjs; prints its URL on stdout.
import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: {}, plugins: [fastifyApolloDrainPlugin(app)] });
await apollo.start();
await app.register(fastifyApollo(apollo));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`GraphQL: ${address}/graphql`);
const stop = async () => { await app.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

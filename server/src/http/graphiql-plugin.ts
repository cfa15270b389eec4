import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApolloServerPlugin } from '@apollo/server';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Where `npm run build` puts the GraphQL IDE (server/graphiql, built with Vite): beside the
 * compiled server, from both src/http and dist/http. (A path, not `new URL(…, import.meta.url)`,
 * which Vite rewrites into a web asset's URL when a test loads this file in a browser-like environment.)
 */
export const GRAPHQL_IDE_DIR = `${join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'graphiql', 'dist')}/`;

/** The URL path its files are served under (Vite's `base`). */
const ASSETS_PREFIX = '/graphiql/assets/';

/**
 * The GraphQL IDE's files under `/graphiql/assets/`, as a Fastify plugin: content-hashed names,
 * so a browser keeps them for a year; gzipped copies (built beside them) where the browser takes
 * them. Nothing else is served from there.
 */
export async function graphqlIdeAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: `${GRAPHQL_IDE_DIR}assets`,
    prefix: ASSETS_PREFIX,
    // Another static root (the console's) may decorate the reply; this one needs no decorator.
    decorateReply: false,
    immutable: true,
    maxAge: '365d',
    preCompressed: true,
    index: false,
    list: false,
  });
}

/**
 * Answers `GET /graphql` from a browser (Accept: text/html) with GraphiQL, built with the project
 * and served by this process (no CDN: it works offline), instead of Apollo's sandbox, which is
 * loaded from Apollo's CDN. Every other request to /graphql is Apollo's as before. When the IDE
 * was not built, the page says how to build it.
 */
export function graphqlIdeLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          // Read on each visit: a rebuild (new hashed file names) takes effect without a restart.
          return { html: async () => (existsSync(INDEX) ? readFile(INDEX, 'utf8') : NOT_BUILT) };
        },
      };
    },
  };
}

const INDEX = `${GRAPHQL_IDE_DIR}index.html`;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tollgate GraphQL IDE</title><link rel="icon" href="data:,"></head>
<body><main><h1>The GraphQL IDE is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds it) in the Tollgate checkout,
then reload. GraphQL itself answers here as usual: <code>POST /graphql</code> with <code>Authorization: Bearer &lt;API key or client token&gt;</code>.</p></main></body></html>`;

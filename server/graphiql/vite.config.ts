import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The GraphQL IDE (GraphiQL) Tollgate serves at GET /graphql to browsers: built here, with the
 * project, into graphiql/dist, and served from there under /graphiql/ by the server
 * (server/src/http/graphiql-plugin.ts). Everything it loads is in that folder: no CDN, so it
 * works offline and behind a locked-down network.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/graphiql/',
  plugins: [react()],
  // graphql 16 has no exports map: one copy for GraphiQL, monaco-graphql and graphql-ws.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco, the editor GraphiQL 5 is built on, is one large chunk by nature; it is loaded once
    // and cached (the file names carry their content hash).
    chunkSizeWarningLimit: 6000,
    reportCompressedSize: false,
    rollupOptions: {
      // GraphiQL's React-compiler directives ("use no memo") mean nothing once bundled.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // An IDE for operators: no source maps to ship.
  logLevel: 'warn',
});

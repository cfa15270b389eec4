import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console's build: a single-page app served by the server at /console (server/src/http/console-plugin.ts),
 * written into the server's static files (server/dist/console). Nothing is loaded from another origin.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // .vite/manifest.json: which files a first visit loads, for the size benchmark (test/bench/console-size.bench.mjs).
    manifest: true,
    // The entry chunk holds React, Apollo, the router and the shell; the benchmark holds it to 200 kB gzipped.
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npx vite --config server/console/vite.config.ts` beside a running server: same-origin /graphql and /auth.
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/auth': 'http://127.0.0.1:4000',
    },
  },
});

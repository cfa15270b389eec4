import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The browser only ever talks to its own origin: /graphql goes to Tollgate (with a client token),
 * over HTTP and over WebSocket (live updates), /api to the product's own backend
 * (examples/host-api), in dev and in preview alike.
 */
const tollgate = new URL(process.env.TOLLGATE_URL ?? 'http://127.0.0.1:4000/graphql');
const hostApi = new URL(process.env.HOST_API_URL ?? 'http://127.0.0.1:4001');
const proxy = {
  '/graphql': { target: tollgate.origin, changeOrigin: true, ws: true },
  '/api': { target: hostApi.origin, changeOrigin: true, rewrite: (path: string) => path.replace(/^\/api/, '') },
};

export default defineConfig({
  plugins: [react()],
  build: { chunkSizeWarningLimit: 1000 },
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
});

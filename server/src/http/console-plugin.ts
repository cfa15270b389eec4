import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the console is served. */
export const CONSOLE_PATH = '/console';

/** The options of {@link consoleRoutes}. */
export interface ConsoleRouteOptions {
  /** The built console (server/dist/console, written by `npm run build`). */
  directory: string;
}

/**
 * What the console's pages may load: only this origin (no CDN; it works offline). Styles allow
 * inline attributes and elements, which the dialog primitive's scroll lock writes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY');
}

/**
 * The console as a Fastify plugin: its built files under /console/ (hashed assets cached for a
 * year, everything else revalidated), and index.html for every other /console path, so a deep
 * link (/console/accounts/acme/overrides?show=past) opens that view. Not built: 503 saying how.
 * The console is static; it reads data only through /graphql and /auth/*, like any client.
 */
export async function consoleRoutes(app: FastifyInstance, options: ConsoleRouteOptions): Promise<void> {
  const index = join(options.directory, 'index.html');
  if (!existsSync(index)) {
    const notBuilt = async (_request: unknown, reply: FastifyReply) =>
      reply.code(503).send({ error: { code: 'CONSOLE_NOT_BUILT', message: 'The console is not built. Run `npm run build` (npm start and npm test build it too), then restart.' } });
    app.get(CONSOLE_PATH, notBuilt);
    app.get(`${CONSOLE_PATH}/*`, notBuilt);
    return;
  }
  app.get(CONSOLE_PATH, async (_request, reply) => secure(reply).redirect(`${CONSOLE_PATH}/`, 302));
  // Prefixed, so the not-found handler below answers only paths under /console.
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      secure(reply);
    });
    await scope.register(fastifyStatic, {
      root: options.directory,
      prefix: '/',
      // Files are looked up per request (a rebuild needs no restart); a path that is no file falls to the handler below.
      wildcard: true,
      index: 'index.html',
      serveDotFiles: false,
      setHeaders(reply, path) {
        reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    scope.setNotFoundHandler(async (request, reply) => {
      // A missing hashed file is a stale page asking for an old build: 404, not the app.
      if (request.method !== 'GET' && request.method !== 'HEAD') return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No ${request.method} ${request.url}.` } });
      if (request.url.startsWith(`${CONSOLE_PATH}/assets/`)) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such console file; reload the page.' } });
      return reply.code(200).header('cache-control', 'no-cache').sendFile('index.html');
    });
  }, { prefix: CONSOLE_PATH });
}

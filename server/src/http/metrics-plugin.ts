import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { OperationLabels, type TollgateMetrics } from '../metrics/index.js';

/** The route Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** The options of {@link metricsRoute}. */
export interface MetricsRouteOptions {
  metrics: TollgateMetrics;
  /** TOLLGATE_METRICS_TOKEN: the bearer token a scrape must send. */
  token: string;
}

/**
 * `GET /metrics` in Prometheus's text format, for a scraper that sends `Authorization: Bearer
 * <TOLLGATE_METRICS_TOKEN>` (anything else: 401), and the timing of every HTTP request by route,
 * GraphQL operation and status. Mounted only when the token is set: without it there is no
 * route and no per-request hook. Registered before the other transports, so its hook sees
 * every route (the plugin skips Fastify's encapsulation for that).
 */
export async function metricsRoute(app: FastifyInstance, options: MetricsRouteOptions): Promise<void> {
  const { metrics } = options;
  const operations = new OperationLabels();
  const expected = digest(`Bearer ${options.token}`);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === METRICS_PATH) return;
    // A GraphQL request's operation; preflights and other routes have none.
    const graphql = route === '/graphql' && (request.method === 'POST' || request.method === 'GET');
    const operation = graphql ? operations.of(request.method === 'GET' ? request.query : request.body) : '';
    metrics.answered(route, operation, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get(METRICS_PATH, async (request, reply) => {
    // Compared as digests of equal length, in constant time: the token is a secret.
    if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="tollgate-metrics"')
        .send({ error: { code: 'UNAUTHENTICATED', message: 'Send "Authorization: Bearer <TOLLGATE_METRICS_TOKEN>" to read the metrics (Prometheus: authorization.credentials in the scrape config).' } });
    }
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(await metrics.scrape());
  });
}
// Its hook must see the routes of every other plugin, not only its own.
(metricsRoute as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

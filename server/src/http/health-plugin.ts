import type { FastifyInstance } from 'fastify';
import type { FeedHealth } from '../db/index.js';

/** What `/readyz` reads: the database's answer and the change feed's health. */
export interface HealthOptions {
  database: 'embedded' | 'postgresql';
  ping: () => Promise<unknown>;
  feed: { health(): FeedHealth };
}

/**
 * `GET /healthz` (the process runs) and `GET /readyz` (ready to answer exactly: the database
 * answers and the change feed is up), for load balancers and orchestrators. While the feed is
 * down the process still answers, from the database, but its live subscribers miss other
 * processes' changes until it is back: a load balancer should send new clients elsewhere, so
 * `/readyz` is 503 and says why. A Fastify plugin like every transport.
 */
export async function healthRoutes(app: FastifyInstance, options: HealthOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await options.ping();
    } catch {
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
    const feed = options.feed.health();
    if (!feed.up) {
      return reply.code(503).send({
        status: 'unavailable',
        reason: `change feed down since ${new Date(feed.downSince ?? Date.now()).toISOString()}: ${feed.reason}; answering from the database, live updates from other processes paused`,
        database: options.database,
      });
    }
    return { status: 'ready', database: options.database };
  });
}

import type { FastifyInstance } from 'fastify';

/**
 * `GET /healthz` (the process runs) and `GET /readyz` (the database answers; 503 when it does
 * not), for load balancers and orchestrators. A Fastify plugin like every transport.
 */
export async function healthRoutes(app: FastifyInstance, options: { database: 'embedded' | 'postgresql'; ping: () => Promise<unknown> }): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await options.ping();
      return { status: 'ready', database: options.database };
    } catch {
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
}

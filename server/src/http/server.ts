import 'reflect-metadata';
import fastifyApollo from '@as-integrations/fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { AccountsService, loadAccountState } from '../accounts/index.js';
import { AuditService } from '../audit/index.js';
import { AuthService } from '../auth/index.js';
import { CatalogService, loadCatalogSnapshot } from '../catalog/index.js';
import { systemClock, type Clock } from '../clock.js';
import type { TollgateConfig } from '../config/index.js';
import { ChangeFeed } from '../db/index.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/index.js';
import { initORM } from '../db/index.js';
import { seedDemoIfEmpty, type DemoCredentials } from '../demo/index.js';
import { EntitlementReadModel } from '../entitlements/index.js';
import { EntitlementsService } from '../entitlements/index.js';
import { MeteringService } from '../metering/index.js';
import { UsageReader } from '../metering/index.js';
import { OffersService } from '../offers/index.js';
import { OverridesService } from '../overrides/index.js';
import { buildTollgateSchema } from '../schema/index.js';
import { entities } from '../entities.js';
import type { Services } from './graphql-context.js';
import { createGraphQLServer } from './graphql-server.js';
import { requestContext } from './request-context.js';

/** A running Tollgate service. */
export interface TollgateServer {
  /** Base URL, such as http://127.0.0.1:4000. */
  url: string;
  /** `${url}/graphql`. */
  graphqlUrl: string;
  /** Which database it uses: the embedded one or the PostgreSQL of DATABASE_URL. */
  database: 'embedded' | 'postgresql';
  /** Set when this start seeded the demo data into an empty database. */
  demo: DemoCredentials | null;
  services: Services;
  orm: MikroORM;
  /** Stops taking requests, finishes the ones in flight, closes the database. */
  close(): Promise<void>;
}

/** Options tests and embedders use; production reads everything from the config. */
export interface StartOptions {
  clock?: Clock;
}

/**
 * Assembles and starts the service: database (embedded or PostgreSQL) with migrations, change
 * feed, domain services, demo data for an empty database, GraphQL on Fastify, health routes.
 */
export async function startServer(config: TollgateConfig, options: StartOptions = {}): Promise<TollgateServer> {
  const clock = options.clock ?? systemClock;
  let embedded: EmbeddedDatabase | null = null;
  let orm: MikroORM | null = null;
  let feed: ChangeFeed | null = null;
  const app: FastifyInstance = Fastify({
    logger: { level: config.logLevel },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 2 * 1024 * 1024,
  });

  try {
    if (!config.databaseUrl) embedded = await startEmbeddedDatabase(config.dataDir);
    const databaseUrl = config.databaseUrl ?? embedded!.url;
    // PGlite runs one query at a time; a bigger pool only queues inside the socket server.
    orm = await initORM({ clientUrl: databaseUrl, poolMax: embedded ? 4 : config.poolMax, shared: !embedded, entities });
    feed = new ChangeFeed(embedded ? null : databaseUrl, (error) =>
      app.log.warn({ err: error }, 'change feed connection lost; caching is off until it is back'),
    );
    await feed.start();

    const auth = new AuthService(orm, feed, clock, config.bootstrapAdminKey, config.tokenSecret);
    await auth.start();
    const readModel = new EntitlementReadModel(orm, feed, clock, { catalogSnapshot: loadCatalogSnapshot, accountState: loadAccountState });
    const usage = new UsageReader(orm);
    const entitlements = new EntitlementsService(readModel, clock, usage);
    const services: Services = {
      auth,
      catalog: new CatalogService(orm, feed, clock),
      accounts: new AccountsService(orm, feed, clock),
      overrides: new OverridesService(orm, feed, clock),
      entitlements,
      metering: new MeteringService(orm, entitlements, usage, clock),
      offers: new OffersService(entitlements, clock),
      audit: new AuditService(orm),
      clock,
    };
    const demo = config.demoData === 'auto' ? await seedDemoIfEmpty(orm, services) : null;

    const apollo = createGraphQLServer(await buildTollgateSchema(), app, config);
    await apollo.start();
    await app.register(fastifyApollo(apollo), { context: requestContext(services) });

    const readyOrm = orm;
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_request, reply) => {
      try {
        await readyOrm.em.fork().execute('select 1');
        return { status: 'ready', database: embedded ? 'embedded' : 'postgresql' };
      } catch {
        return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
      }
    });

    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace('[::1]', 'localhost');
    const closeOrm = orm;
    const closeFeed = feed;
    let closing: Promise<void> | null = null;
    return {
      url,
      graphqlUrl: `${url}/graphql`,
      database: embedded ? 'embedded' : 'postgresql',
      demo,
      services,
      orm,
      close() {
        closing ??= (async () => {
          await app.close();
          await closeFeed.stop();
          await closeOrm.close(true);
          await embedded?.stop();
        })();
        return closing;
      },
    };
  } catch (error) {
    await app.close().catch(() => {});
    await feed?.stop().catch(() => {});
    await orm?.close(true).catch(() => {});
    await embedded?.stop().catch(() => {});
    throw error;
  }
}

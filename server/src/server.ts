import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from './clock.js';
import type { TollgateConfig } from './config/index.js';
import { ChangeFeed, initORM, startEmbeddedDatabase, type EmbeddedDatabase } from './db/index.js';
import { seedDemoIfEmpty, type DemoCredentials } from './demo/index.js';
import { entities } from './entities.js';
import { authRoutes, consoleRoutes, crossOrigin, graphqlOverHttp, graphqlOverWebSocket, healthRoutes, metricsRoute, stripeWebhooks } from './http/index.js';
import { instrument } from './instrumentation.js';
import { REPORT_USAGE_BODY_BYTES } from './metering/index.js';
import { buildTollgateSchema } from './schema/index.js';
import { createServices, type Services } from './services.js';

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
 * feed, the domain services (services.ts), demo data for an empty database, and the transports
 * of http/ as Fastify plugins. A composition root beside main.ts: no domain imports it.
 */
export async function startServer(config: TollgateConfig, options: StartOptions = {}): Promise<TollgateServer> {
  const clock = options.clock ?? systemClock;
  let embedded: EmbeddedDatabase | null = null;
  let orm: MikroORM | null = null;
  let feed: ChangeFeed | null = null;
  const app: FastifyInstance = Fastify({
    logger: { level: config.logLevel },
    logController: new LogController({ disableRequestLogging: true }),
    // A full reportUsage batch (10,000 events) is the largest request Tollgate takes.
    bodyLimit: Math.max(2 * 1024 * 1024, REPORT_USAGE_BODY_BYTES),
    // Whose X-Forwarded-For and X-Forwarded-Proto to believe: sign-in limits count request.ip, and https makes the session cookie Secure.
    trustProxy: config.trustProxy,
  });

  try {
    if (!config.databaseUrl) embedded = await startEmbeddedDatabase(config.dataDir);
    const databaseUrl = config.databaseUrl ?? embedded!.url;
    // PGlite runs one query at a time; a bigger pool only queues inside the socket server.
    orm = await initORM({ clientUrl: databaseUrl, poolMax: embedded ? 4 : config.poolMax, shared: !embedded, entities });
    feed = new ChangeFeed(embedded ? null : config.listenUrl, {
      heartbeatMs: config.feed.heartbeatMs,
      events: {
        lost: (reason) => app.log.error({ reason }, 'change feed lost: answering from the database (no cache) and /readyz is 503 until it is back'),
        recovered: (downForMs) => app.log.warn({ downForMs }, 'change feed recovered: caches and live subscribers refreshed'),
        error: (error) => app.log.warn({ err: error }, 'change feed could not send usage to other processes yet; retrying'),
      },
    });
    await feed.start();

    const log = app.log;
    const services = await createServices(orm, feed, clock, config, {
      logLiveError: (error, accountId) => log.warn({ err: error, accountId }, 'live update failed; retrying in a second'),
      logLedgerError: (error) => log.error({ err: error }, 'usage ledger maintenance failed; trying again in an hour'),
    });
    // The ledger's partitions for this month and the next exist before the first request needs them.
    await services.ledgerHorizon.start();
    services.shadow.onFlushError((error, waiting) =>
      app.log.warn({ err: error, waiting }, 'shadow comparisons could not be written yet; retrying'),
    );
    const demo = config.demoData === 'auto' ? await seedDemoIfEmpty(orm, services) : null;

    const readyOrm = orm;
    const schema = await buildTollgateSchema();
    // Metrics and CORS first: their hooks see every route mounted after them.
    const metrics = config.metricsToken ? await instrument(services, orm, feed) : null;
    if (metrics) await app.register(metricsRoute, { metrics, token: config.metricsToken! });
    await app.register(crossOrigin, { origins: config.corsOrigins });
    await app.register(graphqlOverHttp, { schema, services, config });
    await app.register(graphqlOverWebSocket, { schema, services, config, feed, onSocket: metrics ? (socket) => metrics.socketOpened(socket) : undefined });
    await app.register(healthRoutes, {
      database: embedded ? 'embedded' : 'postgresql',
      ping: () => readyOrm.em.fork().execute('select 1'),
      feed,
    });
    await app.register(stripeWebhooks, {
      billing: services.billing,
      webhookSecret: config.stripe.webhookSecret,
      clock,
      onOutcome: metrics ? (outcome) => metrics.webhookAnswered(outcome) : undefined,
    });
    await app.register(authRoutes, { operators: services.operators, singleSignOn: services.singleSignOn, publicUrl: config.publicUrl, clock });
    // The console's built files sit beside the compiled server (server/dist/console).
    await app.register(consoleRoutes, { directory: fileURLToPath(new URL('./console/', import.meta.url)) });

    // Migrations a crash (or a stop) left RUNNING continue in the background, from their first unsettled account.
    await services.planMigrations.resumeRunning((error, migrationId) => app.log.error({ err: error, migrationId }, 'plan migration stopped'));

    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace('[::1]', 'localhost');
    // Invite and reset links start with TOLLGATE_PUBLIC_URL, or else with this address.
    services.operators.useAddressForLinks(url);
    if (demo?.ownerLink.startsWith('/')) demo.ownerLink = `${url}${demo.ownerLink}`;
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
          await services.planMigrations.stop();
          services.ledgerHorizon.stop();
          services.live.close();
          // After the transports: no comparison can arrive any more, and every one answered is written.
          await services.shadow.close().catch((error: unknown) =>
            app.log.error({ err: error, waiting: services.shadow.waiting }, 'shadow comparisons lost at shutdown: the database did not take them'),
          );
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

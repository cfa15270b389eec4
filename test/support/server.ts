import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/dist/config/index.js';
import { startServer, type TollgateServer } from '../../server/dist/server.js';
import type { Clock } from '../../server/dist/clock.js';
import { freshDatabase } from './database.js';
import { TEST_ADMIN_KEY } from './admin-key.js';
import { GraphQLTestClient } from './graphql-client.js';

export { TEST_ADMIN_KEY } from './admin-key.js';

/** A real server on a database of its own, with clients for each kind of caller. */
export interface TestServer {
  server: TollgateServer;
  url: string;
  /** Authenticated with TEST_ADMIN_KEY. */
  admin: GraphQLTestClient;
  /** A client with any bearer credential (or none). */
  as(credential: string | null): GraphQLTestClient;
  /** The server's PostgreSQL database (null when embedded), for seeding in bulk as an import would. */
  databaseUrl: string | null;
  stop(): Promise<void>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** 'postgresql' (default): a fresh database on the test PostgreSQL; 'embedded': PGlite in a temp dir. */
  database?: 'postgresql' | 'embedded';
  /** Reuse a database URL (several servers on one database). */
  databaseUrl?: string;
  clock?: Clock;
  env?: Record<string, string>;
  /**
   * Stripe settings: the webhook secret (STRIPE_WEBHOOK_SECRET), an API key and the URL of a
   * local stand-in for Stripe's API (STRIPE_API_KEY, STRIPE_API_BASE). Unset: webhooks are off.
   */
  stripe?: { webhookSecret?: string; apiKey?: string; apiBase?: string };
}

/**
 * Starts the real service (the built server, over HTTP on a free port) on a database of its
 * own. No demo data unless `env` asks for it.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const cleanups: (() => Promise<void>)[] = [];
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    TOLLGATE_DEMO_DATA: 'off',
    TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY,
    ...(options.stripe?.webhookSecret ? { STRIPE_WEBHOOK_SECRET: options.stripe.webhookSecret } : {}),
    ...(options.stripe?.apiKey ? { STRIPE_API_KEY: options.stripe.apiKey } : {}),
    ...(options.stripe?.apiBase ? { STRIPE_API_BASE: options.stripe.apiBase } : {}),
    ...options.env,
  };
  if (options.databaseUrl) {
    env.DATABASE_URL = options.databaseUrl;
  } else if (options.database === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-test-'));
    env.TOLLGATE_DATA_DIR = dir;
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
  } else {
    const database = await freshDatabase();
    env.DATABASE_URL = database.url;
    cleanups.push(database.drop);
  }
  const server = await startServer(loadConfig(env), { clock: options.clock });
  const graphqlUrl = server.graphqlUrl;
  return {
    server,
    url: server.url,
    admin: new GraphQLTestClient(graphqlUrl, TEST_ADMIN_KEY),
    as: (credential) => new GraphQLTestClient(graphqlUrl, credential),
    databaseUrl: env.DATABASE_URL ?? null,
    async stop() {
      await server.close();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

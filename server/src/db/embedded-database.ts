import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded PostgreSQL (PGlite) reachable over loopback by any PostgreSQL client. */
export interface EmbeddedDatabase {
  /** A postgres:// URL for the same driver production uses. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite persisted in `dataDir` and serves it on a free loopback port, so the service
 * talks to it through `@mikro-orm/postgresql` exactly as it talks to a real PostgreSQL.
 */
export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  // PGlite is one connection inside; the socket server multiplexes a small pool onto it.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 10 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    url: `postgresql://postgres@${host}:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

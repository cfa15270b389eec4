import { chmod, mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataDirectory } from './data-directory-lock.js';
import { createSocketDirectory, SOCKET_PORT, type SocketDirectory } from './socket-directory.js';

/** A running embedded PostgreSQL (PGlite), reachable only by this OS user through a Unix socket. */
export interface EmbeddedDatabase {
  /**
   * A postgres:// URL for the same driver production uses. Its host is the socket's directory,
   * percent-encoded as libpq and node-postgres expect:
   * `postgresql://postgres@%2Fdata%2Fsocket:5432/postgres`.
   */
  url: string;
  /** Where the Unix socket listens (`<dir>/.s.PGSQL.5432`). */
  socketPath: string;
  /** Closes the database, removes the socket and releases the data directory. */
  stop(): Promise<void>;
}

/**
 * Starts PGlite persisted in `dataDir` and serves it on a Unix socket, so the service talks to it
 * through `@mikro-orm/postgresql` exactly as it talks to a real PostgreSQL.
 *
 * The directory gets one owner: a second process on it fails here with
 * `DataDirectoryInUseError` instead of working on a copy whose writes would be lost. The socket
 * sits in an owner-only directory and nothing listens on TCP, so other local users cannot connect
 * (the server accepts any password); the data directory itself is made owner-only (0700), as
 * PostgreSQL requires of its own, because its files hold the token signing secret.
 */
export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock = await lockDataDirectory(dataDir);
  let db: PGlite | null = null;
  let server: PGLiteSocketServer | null = null;
  let sockets: SocketDirectory | null = null;
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await server?.stop();
      await db?.close();
      await sockets?.remove();
      await lock.release();
    })());
  try {
    await chmod(dataDir, 0o700).catch((error: Error) => {
      throw new Error(`Cannot make the data directory ${dataDir} owner-only (chmod 700): ${error.message}. Use a directory this user owns as TOLLGATE_DATA_DIR.`);
    });
    sockets = await createSocketDirectory(dataDir);
    // pg_trgm: trigram indexes for finding accounts by any part of their id, name or metadata.
    db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
    // PGlite is one connection inside; the socket server multiplexes a small pool onto it.
    server = new PGLiteSocketServer({ db, path: sockets.socketPath, maxConnections: 10 });
    await server.start();
    return {
      url: `postgresql://postgres@${encodeURIComponent(sockets.path)}:${SOCKET_PORT}/postgres`,
      socketPath: sockets.socketPath,
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

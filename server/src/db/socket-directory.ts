import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The port in the socket file's name. node-postgres (like libpq) reaches a Unix socket when the
 * host is a directory, at `<host>/.s.PGSQL.<port>`; nothing listens on this port over TCP.
 */
export const SOCKET_PORT = 5432;

/** The socket file's name, as node-postgres derives it from {@link SOCKET_PORT}. */
export const SOCKET_FILE = `.s.PGSQL.${SOCKET_PORT}`;

/**
 * The longest socket path every platform accepts: sockaddr_un.sun_path holds 108 bytes on Linux
 * and 104 on macOS, both counting the terminating NUL.
 */
const MAX_SOCKET_PATH_BYTES = 103;

/** A private directory holding the embedded database's Unix socket. */
export interface SocketDirectory {
  /** The directory: the `host` node-postgres is given. */
  path: string;
  /** `<path>/.s.PGSQL.5432`, where the socket server listens. */
  socketPath: string;
  /** Deletes the directory and the socket in it. */
  remove(): Promise<void>;
}

/**
 * Creates the owner-only (0700) directory the embedded database listens in, so no other local
 * user can connect: a Unix socket is reachable only through its directory. It is
 * `<dataDir>/socket`, made anew each start (removing a socket left by a killed process; call this
 * only while holding the data directory's lock). When that path is too long for a socket, it is a
 * directory with a random name under the OS temp directory instead, also 0700; the data directory
 * is preferred because tools that clean old temp files (systemd-tmpfiles) may delete a socket a
 * long-running server still needs.
 *
 * @example
 * const sockets = await createSocketDirectory('/var/lib/tollgate');
 * new PGLiteSocketServer({ db, path: sockets.socketPath });
 */
export async function createSocketDirectory(dataDir: string): Promise<SocketDirectory> {
  const inDataDir = join(dataDir, 'socket');
  if (fitsSocketPath(inDataDir)) {
    await rm(inDataDir, { recursive: true, force: true });
    await mkdir(inDataDir, { mode: 0o700 });
    return privateDirectory(inDataDir);
  }
  const temporary = await mkdtemp(join(tmpdir(), 'tollgate-'));
  if (!fitsSocketPath(temporary)) {
    await rm(temporary, { recursive: true, force: true });
    throw new Error(
      `The embedded database needs a Unix socket path of at most ${MAX_SOCKET_PATH_BYTES} bytes, but both ` +
        `${join(inDataDir, SOCKET_FILE)} and ${join(temporary, SOCKET_FILE)} are longer. ` +
        `Set TOLLGATE_DATA_DIR or TMPDIR to a shorter path.`,
    );
  }
  return privateDirectory(temporary);
}

function fitsSocketPath(directory: string): boolean {
  return Buffer.byteLength(join(directory, SOCKET_FILE)) <= MAX_SOCKET_PATH_BYTES;
}

async function privateDirectory(path: string): Promise<SocketDirectory> {
  await chmod(path, 0o700); // mkdir's mode passes through the umask; make it exactly owner-only
  return {
    path,
    socketPath: join(path, SOCKET_FILE),
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

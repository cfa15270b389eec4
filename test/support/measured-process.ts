import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { TEST_ADMIN_KEY } from './admin-key.js';
import { freshDatabase } from './database.js';
import { createAccount, seedBasicCatalog } from './fixtures.js';
import { GraphQLTestClient } from './graphql-client.js';
import { spawnServer } from './process.js';

// Resolved from the repository root (vitest's root), as in process.ts.
const PROBE = resolve(process.cwd(), 'test/support/heap-probe.mjs');

/** A server process whose heap the test can read, so that its memory is its own. */
export interface MeasuredServer {
  graphqlUrl: string;
  /** `heapUsed` of the server process after full garbage collections, in bytes. */
  heapUsedAfterGC(): Promise<number>;
  /** The resident set size of the server process after full garbage collections, in bytes: what the OS gives it. */
  rssAfterGC(): Promise<number>;
  /** Node's process.memoryUsage() of the server after full garbage collections, to say where memory went. */
  memoryAfterGC(): Promise<NodeJS.MemoryUsage>;
  /** Everything it printed so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `node server/dist/main.js` as `spawnServer` does, with `--expose-gc`, an IPC channel and
 * test/support/heap-probe.mjs preloaded: the test asks the process for its heap over IPC, with no
 * route added to the server.
 */
export async function spawnMeasuredServer(env: Record<string, string>): Promise<MeasuredServer> {
  const server = await spawnServer(env, { nodeArgs: ['--expose-gc', '--import', pathToFileURL(PROBE).href], ipc: true });
  const { child } = server;
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  const probe = () =>
    new Promise<NodeJS.MemoryUsage>((resolve, reject) => {
      const onMessage = (message: { type?: string } & NodeJS.MemoryUsage) => {
        if (message?.type !== 'heap') return;
        child.off('message', onMessage);
        const { type: _type, ...usage } = message;
        resolve(usage);
      };
      child.on('message', onMessage);
      exited.then((code) => reject(new Error(`server exited with ${code}:\n${server.output()}`)));
      child.send({ type: 'heap' });
    });
  return {
    graphqlUrl: server.graphqlUrl,
    output: server.output,
    heapUsedAfterGC: async () => (await probe()).heapUsed,
    rssAfterGC: async () => (await probe()).rss,
    memoryAfterGC: probe,
    stop: server.stop,
  };
}

/**
 * A measured server on a fresh database of its own, with the basic catalog and the account
 * "acme": what the memory tests of live updates start from. `stop` stops it and drops the database.
 */
export async function measuredServerWithCatalog(): Promise<{ server: MeasuredServer; admin: GraphQLTestClient; stop(): Promise<void> }> {
  const database = await freshDatabase();
  const server = await spawnMeasuredServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' });
  const admin = new GraphQLTestClient(server.graphqlUrl, TEST_ADMIN_KEY);
  const stop = async () => {
    await server.stop();
    await database.drop();
  };
  try {
    await seedBasicCatalog(admin);
    await createAccount(admin, 'acme');
  } catch (error) {
    await stop();
    throw error;
  }
  return { server, admin, stop };
}

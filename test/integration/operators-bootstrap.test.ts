import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { asSession, GOOD_PASSWORD, postAuth, tokenOf } from '../support/operators.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

const CLI = resolve(process.cwd(), 'server/dist/operator-cli.js');
/** Each CLI run starts Node, connects and checks every migration: seconds, or a minute on a busy machine. */
const PER_RUN_MS = 60_000;
const run = promisify(execFile);

/** Runs `npm run operator -- …`'s script with this environment; resolves with its exit code and output. */
async function operatorCli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (error: any) {
    return { code: error.code, out: `${error.stdout}${error.stderr}` };
  }
}

describe('npm run operator -- create', () => {
  let database: FreshDatabase;
  let t: TestServer | null = null;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await t?.stop();
    await database?.drop();
  });

  it('invites the first OWNER straight into a new database and prints a link that signs them in once', async () => {
    const created = await operatorCli(['create', '--email', 'First@Example.com', '--name', 'First Owner', '--role', 'owner'], {
      DATABASE_URL: database.url, TOLLGATE_PUBLIC_URL: 'https://tollgate.example.com',
    });
    expect(created.code, created.out).toBe(0);
    const link = /(https:\/\/tollgate\.example\.com\/console\/invite\/[A-Za-z0-9_-]{43})/.exec(created.out)?.[1];
    expect(link, created.out).toBeDefined();
    expect(created.out).toMatch(/first@example\.com as OWNER/);

    t = await startTestServer({ databaseUrl: database.url });
    const accepted = await postAuth(t.url, '/auth/invite', { token: tokenOf(link!), password: GOOD_PASSWORD });
    expect(accepted.status).toBe(200);
    expect((await asSession(t.server.graphqlUrl, accepted.sessionCookie, `{ me { operator { role } permissions } }`)).data.me.permissions).toContain('MANAGE_ACCESS');
    const { auditLog } = await t.admin.request(`{ auditLog(action: "operator.invite", first: 1) { edges { node { actor actorKind } } } }`);
    expect(auditLog.edges[0].node).toEqual({ actor: 'command line (npm run operator)', actorKind: 'API_KEY' });
  }, 2 * PER_RUN_MS);

  it('refuses bad arguments and an email already in use, exiting 1', async () => {
    expect((await operatorCli(['create', '--email', 'x@example.com'], { DATABASE_URL: database.url })).code).toBe(1);
    const badRole = await operatorCli(['create', '--email', 'x@example.com', '--name', 'X', '--role', 'EMPEROR'], { DATABASE_URL: database.url });
    expect(badRole).toMatchObject({ code: 1, out: expect.stringMatching(/BAD_USER_INPUT/) });
    const taken = await operatorCli(['create', '--email', 'first@example.com', '--name', 'Again', '--role', 'VIEWER'], { DATABASE_URL: database.url });
    expect(taken).toMatchObject({ code: 1, out: expect.stringMatching(/OPERATOR_EXISTS/) });
  }, 3 * PER_RUN_MS);
});

describe('the demo OWNER of a new embedded database', () => {
  let dir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tollgate-demo-owner-'));
    server = await spawnServer({ TOLLGATE_DATA_DIR: dir, TOLLGATE_DEMO_DATA: 'auto', TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a one-time sign-in link beside the demo keys, and the console has accounts in every phase to show', async () => {
    const base = server.graphqlUrl.replace(/\/graphql$/, '');
    const link = new RegExp(`(${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/console/invite/[A-Za-z0-9_-]{43})`).exec(server.output())?.[1];
    expect(link, server.output()).toBeDefined();
    expect(server.output()).toMatch(/admin key: +tg_admin_/);
    expect(server.output()).toMatch(/owner@example\.com/);

    const accepted = await postAuth(base, '/auth/invite', { token: tokenOf(link!), password: GOOD_PASSWORD });
    expect(accepted.status).toBe(200);
    const session = accepted.sessionCookie;
    const phases = await asSession(server.graphqlUrl, session, `{ accounts(first: 20) { edges { node { id name subscription { phase } } } } }`);
    expect(Object.fromEntries(phases.data.accounts.edges.map((edge: any) => [edge.node.id, edge.node.subscription?.phase ?? null]))).toEqual({
      acme: null, globex: 'ACTIVE', hooli: 'CANCELING', initech: 'TRIAL', umbrella: 'PAST_DUE',
    });
    const acme = await asSession(server.graphqlUrl, session, `{ accounts(search: "Acme") { edges { node { id name } } } }`);
    expect(acme.data.accounts.edges).toEqual([{ node: { id: 'acme', name: 'Acme Inc.' } }]);
    expect((await asSession(server.graphqlUrl, session, `{ accounts(search: "pharma") { edges { node { id } } } }`)).data.accounts.edges).toEqual([{ node: { id: 'umbrella' } }]);

    // The seed's pending request is the owner's to approve (the seed asked, not them).
    const pending = await asSession(server.graphqlUrl, session, `{ overrideRequests(status: PENDING) { edges { node { id input { accountId feature } } } } }`);
    expect(pending.data.overrideRequests.edges).toHaveLength(1);
    const approved = await asSession(server.graphqlUrl, session, `mutation ($id: ID!) { approveOverrideRequest(id: $id) { status override { approvedBy } } }`,
      { id: pending.data.overrideRequests.edges[0].node.id });
    expect(approved.data.approveOverrideRequest).toEqual({ status: 'APPROVED', override: { approvedBy: 'owner@example.com' } });
  });

  it('invites through the running server when it holds the embedded database', async () => {
    const created = await operatorCli(['create', '--email', 'second@example.com', '--name', 'Second', '--role', 'VIEWER'], {
      TOLLGATE_DATA_DIR: dir, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_URL: server.graphqlUrl,
    });
    expect(created.code, created.out).toBe(0);
    expect(created.out).toMatch(/second@example\.com as VIEWER/);
    expect(created.out).toMatch(/\/console\/invite\/[A-Za-z0-9_-]{43}/);
  }, 1 * PER_RUN_MS);
});

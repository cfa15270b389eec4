import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { liveClient } from '../support/live-client.js';
import { asSession, GOOD_PASSWORD, invite, postAuth, signedInOperator, tokenOf } from '../support/operators.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ME = `{ me { operator { email role } } }`;
const NEW_PASSWORD = 'a completely different passphrase 42';

describe.each(['postgresql', 'embedded'] as const)('managing operators on the %s database', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ database });
  });
  afterAll(() => t?.stop());

  it('resets a forgotten password with a one-time link, ending the operator\'s other sessions', async () => {
    const { id, session } = await signedInOperator(t, 'forgetful@example.com', 'BILLING');
    const { createPasswordResetLink } = await t.admin.request(`mutation ($id: ID!) { createPasswordResetLink(id: $id) { link expiresAt operator { email } } }`, { id });
    expect(createPasswordResetLink.link).toMatch(/\/console\/reset\/[A-Za-z0-9_-]{43}$/);
    // An invite link's route does not take a reset token.
    expect((await postAuth(t.url, '/auth/invite', { token: tokenOf(createPasswordResetLink.link), password: NEW_PASSWORD })).body.error.code).toBe('LINK_INVALID');

    const reset = await postAuth(t.url, '/auth/reset', { token: tokenOf(createPasswordResetLink.link), password: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await asSession(t.server.graphqlUrl, session, ME)).status).toBe(401);
    expect((await asSession(t.server.graphqlUrl, reset.sessionCookie, ME)).data.me.operator.email).toBe('forgetful@example.com');
    expect((await postAuth(t.url, '/auth/login', { email: 'forgetful@example.com', password: GOOD_PASSWORD })).status).toBe(401);
    expect((await postAuth(t.url, '/auth/login', { email: 'forgetful@example.com', password: NEW_PASSWORD })).status).toBe(200);
    expect((await postAuth(t.url, '/auth/reset', { token: tokenOf(createPasswordResetLink.link), password: NEW_PASSWORD })).body.error.code).toBe('LINK_USED');

    const { auditLog } = await t.admin.request(`{ auditLog(actorKind: OPERATOR, action: "operator.reset_password", first: 1) { edges { node { actor actorId after } } } }`);
    expect(auditLog.edges[0].node).toMatchObject({ actor: 'forgetful@example.com', actorId: id, after: { sessionsEnded: 1 } });
    expect(JSON.stringify(auditLog)).not.toMatch(/argon2|password_hash|passwordHash/);
  });

  it('keeps one active OWNER at least, and says so', async () => {
    const owner = await signedInOperator(t, 'only-owner@example.com', 'OWNER');
    const code = async (query: string) => (await asSession(t.server.graphqlUrl, owner.session, query)).errors[0]?.extensions?.code;
    expect(await code(`mutation { setOperatorRole(id: "${owner.id}", role: VIEWER) { role } }`)).toBe('LAST_OWNER');
    expect(await code(`mutation { deactivateOperator(id: "${owner.id}") { state } }`)).toBe('LAST_OWNER');
    const second = await signedInOperator(t, 'second-owner@example.com', 'OWNER');
    expect(await code(`mutation { setOperatorRole(id: "${second.id}", role: VIEWER) { role } }`)).toBeUndefined();
    expect(await code(`mutation { deactivateOperator(id: "${owner.id}") { state } }`)).toBe('LAST_OWNER');
  });

  it('refuses to invite an active operator again, and lets a deactivated one back in through a new invite', async () => {
    const { id } = await signedInOperator(t, 'returning@example.com', 'SUPPORT');
    const again = await t.admin.raw(`mutation { inviteOperator(input: { email: "RETURNING@example.com", name: "R", role: VIEWER }) { link } }`);
    expect(again.errors[0]?.extensions).toMatchObject({ code: 'OPERATOR_EXISTS', email: 'returning@example.com' });
    await t.admin.request(`mutation ($id: ID!) { deactivateOperator(id: $id) { state } }`, { id });
    const back = await invite(t, 'returning@example.com', 'VIEWER');
    expect(back.id).toBe(id);
    const { operators } = await t.admin.request(`{ operators(first: 100) { edges { node { email state role } } } }`);
    expect(operators.edges.map((edge: any) => edge.node).find((node: any) => node.email === 'returning@example.com')).toEqual({
      email: 'returning@example.com', state: 'DEACTIVATED', role: 'VIEWER',
    });
    expect((await postAuth(t.url, '/auth/invite', { token: tokenOf(back.link), password: GOOD_PASSWORD })).body.operator.role).toBe('VIEWER');
  });

  it('pages through operators by email', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await invite(t, `${name}@example.com`, 'VIEWER');
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const { operators }: any = await t.admin.request(`query ($after: String) { operators(first: 2, after: $after) { edges { node { email } } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...operators.edges.map((edge: any) => edge.node.email));
      after = operators.pageInfo.hasNextPage ? operators.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['page-a@example.com', 'page-b@example.com', 'page-c@example.com']));
  });

  it('lets no role raise itself or anyone else through any operator field', async () => {
    const { id, session } = await signedInOperator(t, 'climber@example.com', 'SUPPORT');
    const attempts = [
      `mutation { setOperatorRole(id: "${id}", role: OWNER) { role } }`,
      `mutation { inviteOperator(input: { email: "friend@example.com", name: "F", role: OWNER }) { link } }`,
      `mutation { createPasswordResetLink(id: "${id}") { link } }`,
      `mutation { createApiKey(input: { name: "mine", role: ADMIN }) { secret } }`,
      `mutation { deactivateOperator(id: "${id}") { state } }`,
    ];
    for (const attempt of attempts) {
      const answer = await asSession(t.server.graphqlUrl, session, attempt);
      expect(answer.errors[0]?.extensions?.code, attempt).toBe('FORBIDDEN');
      expect(answer.data).toBeNull();
    }
    expect((await asSession(t.server.graphqlUrl, session, ME)).data.me.operator.role).toBe('SUPPORT');
    const { operators } = await t.admin.request(`{ operators(first: 100) { edges { node { email } } } }`);
    expect(operators.edges.map((edge: any) => edge.node.email)).not.toContain('friend@example.com');
  });

  it('answers NUL and oversized strings in every operator input with its code, writing nothing, never a 500', async () => {
    const count = async () => (await t.server.orm.em.fork().execute(`select count(*)::int as n from operator`))[0].n;
    const before = await count();
    for (const value of ['nul\u0000here@example.com', `${'x'.repeat(400)}@example.com`, 'x'.repeat(100_000)]) {
      for (const input of [{ email: value, name: 'N', role: 'VIEWER' }, { email: 'ok@example.com', name: value, role: 'VIEWER' }]) {
        const answer = await t.admin.raw(`mutation ($input: InviteOperatorInput!) { inviteOperator(input: $input) { link } }`, { input });
        expect(answer.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
      for (const field of ['setOperatorRole(id: $v, role: VIEWER) { id }', 'deactivateOperator(id: $v) { id }', 'createPasswordResetLink(id: $v) { link }']) {
        const answer = await t.admin.raw(`mutation ($v: ID!) { ${field} }`, { v: value });
        expect(answer.errors[0]?.extensions?.code, field).toMatch(/^(BAD_USER_INPUT|OPERATOR_NOT_FOUND)$/);
      }
      expect((await t.admin.raw(`query ($v: String) { operators(after: $v) { edges { cursor } } }`, { v: value })).errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await count()).toBe(before);
  });
});

describe('sessions across processes', () => {
  let database: FreshDatabase;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    database = await freshDatabase();
    a = await startTestServer({ databaseUrl: database.url });
    b = await startTestServer({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  /** Polls `check` until it is true or `ms` pass: a deadline on a condition, never a fixed sleep. */
  async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
    const started = performance.now();
    while (!(await check())) {
      if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return performance.now() - started;
  }

  it('refuses a deactivated operator\'s session on another process at once, and closes their socket there', async () => {
    const { id, session } = await signedInOperator(a, 'mid-session@example.com', 'SUPPORT');
    // Process B knows (and caches) the session.
    expect((await asSession(b.server.graphqlUrl, session, ME)).status).toBe(200);
    await b.admin.request(`mutation { upsertAccount(input: { id: "watched", name: "W" }) { id } }`);
    const socket = liveClient(b.server.graphqlUrl, null, { cookie: `tollgate_session=${session}`, origin: b.url });
    try {
      await socket.subscribe('watched').until(() => true, 5000, 'the first push');
      await a.admin.request(`mutation ($id: ID!) { deactivateOperator(id: $id) { state } }`, { id });
      // The feed carries the change to B: the cached session must not outlive it (30 s is the cache's age limit).
      await within(5000, async () => (await asSession(b.server.graphqlUrl, session, ME)).status === 401);
      expect((await socket.closed(5000)).code).toBe(4401);
    } finally {
      await socket.dispose();
    }
  });

  it('refuses a signed-out session on the other process at once', async () => {
    const { session } = await signedInOperator(a, 'two-tabs@example.com', 'VIEWER');
    expect((await asSession(b.server.graphqlUrl, session, ME)).status).toBe(200);
    expect((await postAuth(a.url, '/auth/logout', {}, { cookie: session })).status).toBe(204);
    await within(5000, async () => (await asSession(b.server.graphqlUrl, session, ME)).status === 401);
  });
});

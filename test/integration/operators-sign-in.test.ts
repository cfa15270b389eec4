import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveClient } from '../support/live-client.js';
import { asSession, GOOD_PASSWORD, invite, postAuth, signedInOperator, tokenOf } from '../support/operators.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ME = `{ me { operator { id email name role state } permissions sessionExpiresAt overridePolicyDays } }`;

/** A client address of its own for each test (the server trusts X-Forwarded-For here), so address limits never meet. */
let lastAddress = 0;
const address = () => ({ 'x-forwarded-for': `198.51.100.${++lastAddress}` });

describe.each(['postgresql', 'embedded'] as const)('operators sign in on the %s database', (database) => {
  let now = new Date('2026-06-01T12:00:00.000Z');
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({
      database,
      clock: () => new Date(now),
      env: {
        TOLLGATE_TRUST_PROXY: 'true',
        TOLLGATE_SIGN_IN_MAX_FAILURES_PER_EMAIL: '5',
        TOLLGATE_SIGN_IN_MAX_FAILURES_PER_EMAIL_ALL_ADDRESSES: '20',
        TOLLGATE_SIGN_IN_MAX_FAILURES_PER_ADDRESS: '12',
        TOLLGATE_SIGN_IN_LOCKOUT_MINUTES: '15',
        TOLLGATE_SESSION_IDLE_MINUTES: '60',
        TOLLGATE_SESSION_MAX_HOURS: '12',
      },
    });
  });
  afterAll(() => t?.stop());

  it('accepts an invite link once, with a strong password, and signs in with an httpOnly, SameSite=Lax cookie', async () => {
    const { link, id } = await invite(t, 'Ada@Example.com', 'SUPPORT', 'Ada');
    expect(link).toMatch(new RegExp(`^${t.url}/console/invite/[A-Za-z0-9_-]{43}$`));

    const weak = await postAuth(t.url, '/auth/invite', { token: tokenOf(link), password: 'password1234' });
    expect(weak).toMatchObject({ status: 400, body: { error: { code: 'WEAK_PASSWORD' } }, sessionCookie: null });
    const short = await postAuth(t.url, '/auth/invite', { token: tokenOf(link), password: 'Xy7!' });
    expect(short.body.error).toMatchObject({ code: 'WEAK_PASSWORD', message: expect.stringContaining('at least 12') });

    // The weak attempts did not use the link up.
    const accepted = await postAuth(t.url, '/auth/invite', { token: tokenOf(link), password: GOOD_PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ operator: { id, email: 'ada@example.com', role: 'SUPPORT' } });
    expect(accepted.setCookie).toMatch(/^tollgate_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(accepted.headers.get('cache-control')).toBe('no-store');

    const { data } = await asSession(t.server.graphqlUrl, accepted.sessionCookie, ME);
    expect(data.me).toMatchObject({
      operator: { email: 'ada@example.com', name: 'Ada', role: 'SUPPORT', state: 'ACTIVE' },
      permissions: ['READ', 'READ_OPERATIONS', 'REQUEST_OVERRIDE', 'GRANT_OVERRIDE'],
      overridePolicyDays: 30,
      sessionExpiresAt: new Date(now.getTime() + 12 * 3600_000).toISOString(),
    });

    const again = await postAuth(t.url, '/auth/invite', { token: tokenOf(link), password: GOOD_PASSWORD });
    expect(again).toMatchObject({ status: 410, body: { error: { code: 'LINK_USED' } }, sessionCookie: null });
  });

  it('refuses an expired invite link, a made-up one, and an invite superseded by a newer one', async () => {
    const first = await invite(t, 'late@example.com', 'VIEWER');
    const second = await invite(t, 'late@example.com', 'VIEWER');
    expect((await postAuth(t.url, '/auth/invite', { token: tokenOf(first.link), password: GOOD_PASSWORD })).body.error.code).toBe('LINK_USED');
    const made = await postAuth(t.url, '/auth/invite', { token: randomBytes(32).toString('base64url'), password: GOOD_PASSWORD });
    expect(made).toMatchObject({ status: 400, body: { error: { code: 'LINK_INVALID' } } });

    const saved = now;
    now = new Date(saved.getTime() + 72 * 3600_000);
    const expired = await postAuth(t.url, '/auth/invite', { token: tokenOf(second.link), password: GOOD_PASSWORD });
    expect(expired).toMatchObject({ status: 410, body: { error: { code: 'LINK_EXPIRED' } } });
    now = new Date(saved.getTime() + 72 * 3600_000 - 1);
    expect((await postAuth(t.url, '/auth/invite', { token: tokenOf(second.link), password: GOOD_PASSWORD })).status).toBe(200);
    now = saved;
  });

  it('lets only one of two simultaneous acceptances of one invite through', async () => {
    const { link } = await invite(t, 'twice@example.com', 'VIEWER');
    const answers = await Promise.all(Array.from({ length: 4 }, () => postAuth(t.url, '/auth/invite', { token: tokenOf(link), password: GOOD_PASSWORD })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410, 410, 410]);
    const sessions = await t.server.orm.em.fork().execute(
      `select count(*)::int as n from operator_session s join operator o on o.id = s.operator_id where o.email = 'twice@example.com'`,
    );
    expect(sessions[0].n).toBe(1);
  });

  it('answers a wrong password, an unknown email, a pending invite and a deactivated operator alike: 401 INVALID_CREDENTIALS', async () => {
    const active = await signedInOperator(t, 'known@example.com', 'VIEWER');
    await invite(t, 'pending@example.com', 'VIEWER');
    const gone = await signedInOperator(t, 'gone@example.com', 'VIEWER');
    await t.admin.request(`mutation ($id: ID!) { deactivateOperator(id: $id) { state } }`, { id: gone.id });
    void active;

    const tries = [
      { email: 'known@example.com', password: 'not the password at all' },
      { email: 'nobody@example.com', password: GOOD_PASSWORD },
      { email: 'pending@example.com', password: GOOD_PASSWORD },
      { email: 'gone@example.com', password: GOOD_PASSWORD },
    ];
    const answers = [];
    for (const body of tries) answers.push(await postAuth(t.url, '/auth/login', body, { headers: address() }));
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.sessionCookie).toBeNull();
      expect(answer.body).toEqual(answers[0]!.body);
    }
    expect(answers[0]!.body.error.code).toBe('INVALID_CREDENTIALS');

    const right = await postAuth(t.url, '/auth/login', { email: 'KNOWN@example.com ', password: GOOD_PASSWORD }, { headers: address() });
    expect(right.status).toBe(200);
  });

  it('locks one address out of an email after 5 attempts with 429 and Retry-After, right password or not, until the lockout ends', async () => {
    await signedInOperator(t, 'target@example.com', 'VIEWER');
    const attacker = address();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect((await postAuth(t.url, '/auth/login', { email: 'target@example.com', password: `guess number ${attempt}` }, { headers: attacker })).status).toBe(401);
    }
    const locked = await postAuth(t.url, '/auth/login', { email: 'target@example.com', password: GOOD_PASSWORD }, { headers: attacker });
    expect(locked).toMatchObject({ status: 429, body: { error: { code: 'TOO_MANY_ATTEMPTS' } }, sessionCookie: null });
    expect(Number(locked.headers.get('retry-after'))).toBe(15 * 60);

    // The guesser locked out their own address, not the person: from their own address they get in.
    const owner = await postAuth(t.url, '/auth/login', { email: 'target@example.com', password: GOOD_PASSWORD }, { headers: address() });
    expect(owner.status).toBe(200);

    const saved = now;
    now = new Date(saved.getTime() + 10 * 60_000);
    const later = await postAuth(t.url, '/auth/login', { email: 'target@example.com', password: GOOD_PASSWORD }, { headers: attacker });
    expect(later.status).toBe(429);
    expect(Number(later.headers.get('retry-after'))).toBe(5 * 60);
    now = new Date(saved.getTime() + 15 * 60_000);
    expect((await postAuth(t.url, '/auth/login', { email: 'target@example.com', password: GOOD_PASSWORD }, { headers: attacker })).status).toBe(200);
    now = saved;
  });

  it('checks at most 5 passwords for one email from one address however many guesses arrive at once', async () => {
    await signedInOperator(t, 'burst@example.com', 'VIEWER');
    const from = address();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) =>
      postAuth(t.url, '/auth/login', { email: 'burst@example.com', password: `parallel guess ${index}` }, { headers: from })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
  });

  it('locks an email out for every address only after its much higher shared limit (20 here), guessed from many addresses', async () => {
    await signedInOperator(t, 'spread@example.com', 'VIEWER');
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      expect((await postAuth(t.url, '/auth/login', { email: 'spread@example.com', password: `spread guess ${attempt}` }, { headers: address() })).status).toBe(401);
    }
    const locked = await postAuth(t.url, '/auth/login', { email: 'spread@example.com', password: GOOD_PASSWORD }, { headers: address() });
    expect(locked).toMatchObject({ status: 429, body: { error: { code: 'TOO_MANY_ATTEMPTS' } } });
    expect(Number(locked.headers.get('retry-after'))).toBe(15 * 60);
  });

  it('answers an unknown email exactly as a wrong password, after the same password hashing work', async () => {
    await signedInOperator(t, 'timed@example.com', 'VIEWER');
    const timed = async (email: string) => {
      const started = performance.now();
      const answer = await postAuth(t.url, '/auth/login', { email, password: 'a wrong password for timing' }, { headers: address() });
      return { answer, ms: performance.now() - started };
    };
    // Interleaved, so load from other tests on the machine falls on both alike; the medians are compared.
    const wrong: number[] = [];
    const unknown: number[] = [];
    let bodies: unknown[] = [];
    for (let round = 0; round < 7; round += 1) {
      const a = await timed('timed@example.com');
      const b = await timed(`nobody-${round}@example.com`);
      expect([a.answer.status, b.answer.status]).toEqual([401, 401]);
      bodies = [a.answer.body, b.answer.body];
      expect(bodies[1]).toEqual(bodies[0]);
      wrong.push(a.ms);
      unknown.push(b.ms);
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    // argon2id costs tens of milliseconds: an unknown email that skipped it would answer several times faster.
    const ratio = median(unknown) / median(wrong);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('locks a client address out across emails', async () => {
    const from = address();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 14; attempt += 1) {
      statuses.push((await postAuth(t.url, '/auth/login', { email: `spray${attempt}@example.com`, password: GOOD_PASSWORD }, { headers: from })).status);
    }
    expect(statuses.slice(0, 12).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
    // Another address is not affected.
    expect((await postAuth(t.url, '/auth/login', { email: 'spray0@example.com', password: GOOD_PASSWORD }, { headers: address() })).status).toBe(401);
  });

  it('never keeps a session id set before sign-in (fixation), and ends the session the browser had', async () => {
    await signedInOperator(t, 'fixed@example.com', 'VIEWER');
    const planted = randomBytes(32).toString('base64url');
    const signedIn = await postAuth(t.url, '/auth/login', { email: 'fixed@example.com', password: GOOD_PASSWORD }, { cookie: planted, headers: address() });
    expect(signedIn.status).toBe(200);
    expect(signedIn.sessionCookie).not.toBe(planted);
    expect((await asSession(t.server.graphqlUrl, planted, ME)).errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const again = await postAuth(t.url, '/auth/login', { email: 'fixed@example.com', password: GOOD_PASSWORD }, { cookie: signedIn.sessionCookie, headers: address() });
    expect(again.sessionCookie).not.toBe(signedIn.sessionCookie);
    expect((await asSession(t.server.graphqlUrl, signedIn.sessionCookie, ME)).status).toBe(401);
    expect((await asSession(t.server.graphqlUrl, again.sessionCookie, ME)).data.me.operator.email).toBe('fixed@example.com');
  });

  it('refuses a stolen cookie after sign-out, and clears the cookie', async () => {
    const { session } = await signedInOperator(t, 'leaver@example.com', 'VIEWER');
    expect((await asSession(t.server.graphqlUrl, session, ME)).data.me.operator.email).toBe('leaver@example.com');
    const out = await postAuth(t.url, '/auth/logout', null, { cookie: session, contentType: 'application/json', raw: '{}' });
    expect(out.status).toBe(204);
    expect(out.setCookie).toMatch(/^tollgate_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/);
    const stolen = await asSession(t.server.graphqlUrl, session, ME);
    expect(stolen.status).toBe(401);
    expect(stolen.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', problem: 'session' });
    expect(stolen.data).toBeNull();
    // Signing out twice (or with no session) is fine.
    expect((await postAuth(t.url, '/auth/logout', {}, { cookie: session })).status).toBe(204);
  });

  it('ends a session after the idle limit, and at its absolute end however busy', async () => {
    const saved = now;
    const { session } = await signedInOperator(t, 'idle@example.com', 'VIEWER');
    now = new Date(saved.getTime() + 59 * 60_000);
    expect((await asSession(t.server.graphqlUrl, session, ME)).status).toBe(200);
    now = new Date(now.getTime() + 60 * 60_000);
    expect((await asSession(t.server.graphqlUrl, session, ME)).status).toBe(401);

    now = saved;
    const busy = await signedInOperator(t, 'busy@example.com', 'VIEWER');
    for (let minutes = 50; minutes < 12 * 60; minutes += 50) {
      now = new Date(saved.getTime() + minutes * 60_000);
      expect((await asSession(t.server.graphqlUrl, busy.session, ME)).status, `after ${minutes} minutes`).toBe(200);
    }
    now = new Date(saved.getTime() + 12 * 3600_000);
    expect((await asSession(t.server.graphqlUrl, busy.session, ME)).status).toBe(401);
    now = saved;
  });

  it('ends every session of an operator at once when their role changes or they are deactivated', async () => {
    const { id, session } = await signedInOperator(t, 'mover@example.com', 'SUPPORT');
    const second = await postAuth(t.url, '/auth/login', { email: 'mover@example.com', password: GOOD_PASSWORD }, { headers: address() });
    await t.admin.request(`mutation ($id: ID!) { setOperatorRole(id: $id, role: BILLING) { role } }`, { id });
    for (const cookie of [session, second.sessionCookie]) expect((await asSession(t.server.graphqlUrl, cookie, ME)).status).toBe(401);

    const fresh = await postAuth(t.url, '/auth/login', { email: 'mover@example.com', password: GOOD_PASSWORD }, { headers: address() });
    expect((await asSession(t.server.graphqlUrl, fresh.sessionCookie, ME)).data.me.operator.role).toBe('BILLING');
    await t.admin.request(`mutation ($id: ID!) { deactivateOperator(id: $id) { state } }`, { id });
    expect((await asSession(t.server.graphqlUrl, fresh.sessionCookie, ME)).status).toBe(401);
  });

  it('closes an operator\'s WebSocket when they sign out, and refuses a cookie sent from another origin', async () => {
    const { session } = await signedInOperator(t, 'live@example.com', 'VIEWER');
    const foreign = liveClient(t.server.graphqlUrl, null, { cookie: `tollgate_session=${session}`, origin: 'https://evil.example' });
    try {
      foreign.subscribe('anything');
      expect((await foreign.closed(5000)).code).toBe(4401);
    } finally {
      await foreign.dispose();
    }

    await t.admin.request(`mutation { upsertAccount(input: { id: "live-acct", name: "Live" }) { id } }`);
    const own = liveClient(t.server.graphqlUrl, null, { cookie: `tollgate_session=${session}`, origin: t.url });
    try {
      const live = own.subscribe('live-acct');
      await live.until(() => true, 5000, 'the first push');
      await postAuth(t.url, '/auth/logout', {}, { cookie: session });
      expect((await own.closed(5000)).code).toBe(4401);
    } finally {
      await own.dispose();
    }
  });

  it('does nothing for a cross-site form post or a text/plain request that carries the cookie', async () => {
    const { session } = await signedInOperator(t, 'victim@example.com', 'OWNER');
    const mutation = `mutation { inviteOperator(input: { email: "csrf@example.com", name: "x", role: OWNER }) { link } }`;
    const cookie = `tollgate_session=${session}`;
    const textPlain = await fetch(t.server.graphqlUrl, {
      method: 'POST', headers: { 'content-type': 'text/plain', cookie, origin: 'https://evil.example' }, body: JSON.stringify({ query: mutation }),
    });
    expect(textPlain.status).toBe(400);
    expect(await textPlain.text()).toMatch(/CSRF|preflight/i);
    const form = await fetch(t.server.graphqlUrl, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: 'https://evil.example' },
      body: new URLSearchParams({ query: mutation }).toString(),
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    const get = await fetch(`${t.server.graphqlUrl}?query=${encodeURIComponent('{ me { operator { email } } }')}`, { headers: { cookie } });
    expect(get.status).toBe(400);

    const formLogin = await postAuth(t.url, '/auth/login', null, {
      contentType: 'application/x-www-form-urlencoded', raw: 'email=victim%40example.com&password=x', headers: address(),
    });
    expect(formLogin).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
    const crossLogin = await postAuth(t.url, '/auth/login', { email: 'victim@example.com', password: GOOD_PASSWORD }, { headers: { origin: 'https://evil.example', ...address() } });
    expect(crossLogin).toMatchObject({ status: 403, body: { error: { code: 'CROSS_ORIGIN' } }, sessionCookie: null });
    const crossLogout = await postAuth(t.url, '/auth/logout', {}, { cookie: session, headers: { origin: 'https://evil.example' } });
    expect(crossLogout.status).toBe(403);

    const { operators } = await t.admin.request(`{ operators(first: 100) { edges { node { email } } } }`);
    expect(operators.edges.map((edge: any) => edge.node.email)).not.toContain('csrf@example.com');
    expect((await asSession(t.server.graphqlUrl, session, ME)).status).toBe(200);
  });

  it('acts as the operator over GraphQL: the audit log names them by email, kind and id', async () => {
    const { id, session } = await signedInOperator(t, 'owner@example.com', 'OWNER');
    const made = await asSession(t.server.graphqlUrl, session, `mutation { upsertAccount(input: { id: "audited", name: "Audited" }) { id } }`);
    expect(made.errors).toEqual([]);
    const { auditLog } = await t.admin.request(`{ auditLog(accountId: "audited", first: 1) { edges { node { actor actorKind actorId action } } } }`);
    expect(auditLog.edges[0].node).toEqual({ actor: 'owner@example.com', actorKind: 'OPERATOR', actorId: id, action: 'account.create' });
  });

  it('filters the audit log by actor, kind, action and time range, and refuses filters that cannot match', async () => {
    const saved = now;
    const { id, session } = await signedInOperator(t, 'auditor@example.com', 'OWNER');
    now = new Date(saved.getTime() + 30 * 60_000);
    expect((await asSession(t.server.graphqlUrl, session, `mutation { upsertAccount(input: { id: "audit-range", name: "In range" }) { id } }`)).errors).toEqual([]);
    now = new Date(saved.getTime() + 59 * 60_000);
    expect((await asSession(t.server.graphqlUrl, session, `mutation { upsertAccount(input: { id: "audit-range", name: "Renamed" }) { id } }`)).errors).toEqual([]);
    const log = async (args: string) => (await t.admin.request(`{ auditLog(${args}, first: 100) { edges { node { at actor actorKind actorId action accountId } } } }`)).auditLog.edges.map((edge: any) => edge.node);

    const inRange = await log(`actor: "AUDITOR@example.com", since: "${new Date(saved.getTime() + 30 * 60_000).toISOString()}", until: "${new Date(saved.getTime() + 59 * 60_000).toISOString()}"`);
    expect(inRange).toEqual([{ at: new Date(saved.getTime() + 30 * 60_000).toISOString(), actor: 'auditor@example.com', actorKind: 'OPERATOR', actorId: id, action: 'account.create', accountId: 'audit-range' }]);
    expect((await log(`actorKind: OPERATOR, action: "account.update"`)).map((entry: any) => entry.accountId)).toContain('audit-range');
    expect(await log(`actorKind: STRIPE`)).toEqual([]);
    for (const args of [`action: "account.delete"`, `actor: "a\u0000b"`, `since: "2026-06-02T00:00:00Z", until: "2026-06-01T00:00:00Z"`, `actor: "${'x'.repeat(400)}"`]) {
      const answer = await t.admin.raw(`{ auditLog(${args}) { edges { cursor } } }`);
      expect(answer.errors[0]?.extensions?.code, args.slice(0, 40)).toBe('BAD_USER_INPUT');
    }
    now = saved;
  });

  it('answers malformed, NUL-laden and oversized sign-in bodies with their code, never a 500', async () => {
    const cases: [unknown, number, string][] = [
      [{ email: 'a\u0000@example.com', password: GOOD_PASSWORD }, 400, 'BAD_REQUEST'],
      [{ email: 'x'.repeat(321), password: GOOD_PASSWORD }, 400, 'BAD_REQUEST'],
      [{ email: 'known@example.com', password: 'p'.repeat(1025) }, 400, 'BAD_REQUEST'],
      [{ email: 42, password: [] }, 400, 'BAD_REQUEST'],
      [[], 400, 'BAD_REQUEST'],
      ['just a string', 400, 'BAD_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await postAuth(t.url, '/auth/login', body, { headers: address() });
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(answer.body.error.code).toBe(code);
    }
    expect((await postAuth(t.url, '/auth/login', null, { raw: '{"email":', headers: address() })).body.error.code).toBe('BAD_REQUEST');
    expect((await postAuth(t.url, '/auth/login', null, { raw: JSON.stringify({ email: 'a', password: 'b'.repeat(20_000) }), headers: address() })).status).toBe(413);
    for (const route of ['/auth/invite', '/auth/reset']) {
      for (const body of [{ token: 'a\u0000b', password: GOOD_PASSWORD }, { token: 't'.repeat(10_000), password: GOOD_PASSWORD }, { token: 'short', password: GOOD_PASSWORD }]) {
        const answer = await postAuth(t.url, route, body);
        expect([400, 413]).toContain(answer.status);
        expect(answer.body.error.code).toMatch(/^(BAD_REQUEST|LINK_INVALID|PAYLOAD_TOO_LARGE)$/);
      }
    }
    const rows = await t.server.orm.em.fork().execute(`select count(*)::int as n from operator where email like '%' || chr(1) || '%' or length(email) > 320`);
    expect(rows[0].n).toBe(0);
  });
});

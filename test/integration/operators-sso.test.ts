import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/dist/config/index.js';
import { SingleSignOn } from '../../server/dist/operators/index.js';
import { browse, CookieJar, signInAtProvider, startOidcProvider, type LocalOidcProvider } from '../support/oidc-provider.js';
import { asSession } from '../support/operators.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ME = `{ me { operator { id email name role state } } }`;

/**
 * Single sign-on end to end: Tollgate's real routes against a real OpenID provider
 * (`oidc-provider`, started here on 127.0.0.1), driven as a browser would with fetch and a
 * cookie jar. Nothing in the flow is mocked.
 */
describe.each(['postgresql', 'embedded'] as const)('single sign-on on the %s database', (database) => {
  let provider: LocalOidcProvider;
  let t: TestServer;
  let callback: string;

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await startTestServer({
      database,
      env: {
        TOLLGATE_OIDC_ISSUER: provider.issuer,
        TOLLGATE_OIDC_CLIENT_ID: provider.client.clientId,
        TOLLGATE_OIDC_CLIENT_SECRET: provider.client.clientSecret,
        TOLLGATE_OIDC_ALLOWED_DOMAINS: 'example.com, @staff.example.com',
        TOLLGATE_OIDC_ROLE_MAP: 'support-team=SUPPORT,finance=BILLING',
      },
    });
    callback = `${t.url}/auth/oidc/callback`;
    provider.allowRedirect(callback);
  });
  afterAll(async () => {
    await t?.stop();
    await provider?.stop();
  });

  /** What single sign-on may write: operators, their sessions and the audit log, counted. */
  const counts = async () => {
    const em = t.server.orm.em.fork();
    const [row] = await em.execute<{ operators: string; sessions: string; audit: string }[]>(
      `select (select count(*) from operator) as operators, (select count(*) from operator_session) as sessions, (select count(*) from audit_entry) as audit`,
    );
    return { operators: Number(row!.operators), sessions: Number(row!.sessions), audit: Number(row!.audit) };
  };

  /** From Tollgate's start route to the provider's redirect back (the callback URL, not yet opened). */
  const throughProvider = async (jar: CookieJar, login: string, start = `${t.url}/auth/oidc/start`) => {
    const started = await browse(jar, start);
    expect(started.status).toBe(303);
    expect(started.headers.getSetCookie().join()).toMatch(/tollgate_oidc=[A-Za-z0-9_-]+; Max-Age=600; Path=\/auth\/oidc; HttpOnly; SameSite=Lax/);
    return signInAtProvider(jar, started.headers.get('location')!, login, callback);
  };

  const signIn = async (login: string, jar = new CookieJar()) => {
    const back = await throughProvider(jar, login);
    const answer = await browse(jar, back);
    return { answer, jar, location: answer.headers.get('location'), session: jar.get(t.url, 'tollgate_session') };
  };

  it('says which sign-in methods there are, without a session', async () => {
    const methods = await fetch(`${t.url}/auth/methods`);
    expect(await methods.json()).toEqual({ password: true, singleSignOn: true });
  });

  it('sends the browser to the provider with PKCE (S256), a state and a nonce', async () => {
    const started = await browse(new CookieJar(), `${t.url}/auth/oidc/start?next=/approvals`);
    const url = new URL(started.headers.get('location')!);
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'tollgate', response_type: 'code', redirect_uri: callback, code_challenge_method: 'S256', scope: 'openid email profile',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), state: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/), nonce: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/),
    });
  });

  it('creates the operator at the first sign-in with the role the claim maps to, audited, and starts a session', async () => {
    provider.person({ email: 'Ann@Example.com', name: 'Ann Lee', role: ['staff', 'support-team'] });
    const before = await counts();
    const { location, session, jar } = await signIn('ann@example.com');
    expect(location).toBe('/console/accounts');
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jar.get(t.url, 'tollgate_oidc')).toBeNull();

    const { data } = await asSession(t.server.graphqlUrl, session, ME);
    expect(data.me.operator).toMatchObject({ email: 'ann@example.com', name: 'Ann Lee', role: 'SUPPORT', state: 'ACTIVE' });
    expect(await counts()).toEqual({ operators: before.operators + 1, sessions: before.sessions + 1, audit: before.audit + 1 });
    const { auditLog } = await t.admin.request(`{ auditLog(action: "operator.sso_create", first: 5) { edges { node { actor actorKind actorId entityId } } } }`);
    expect(auditLog.edges.map((edge: any) => edge.node)).toEqual([
      { actor: 'ann@example.com', actorKind: 'OPERATOR', actorId: data.me.operator.id, entityId: data.me.operator.id },
    ]);
  });

  it('reuses the operator at the next sign-in, and never keeps the session the browser had', async () => {
    provider.person({ email: 'reuse@staff.example.com', role: 'finance' });
    const first = await signIn('reuse@staff.example.com');
    const { data: firstMe } = await asSession(t.server.graphqlUrl, first.session, ME);
    expect(firstMe.me.operator.role).toBe('BILLING');
    const before = await counts();

    // The same browser again (it still has its session), with the provider now saying another role.
    provider.person({ email: 'reuse@staff.example.com', role: 'OWNER' });
    const second = await signIn('reuse@staff.example.com', first.jar);
    expect(second.location).toBe('/console/accounts');
    expect(second.session).not.toBe(first.session);
    const { data } = await asSession(t.server.graphqlUrl, second.session, ME);
    // Same person, same role: after the first sign-in the role is managed in Tollgate.
    expect(data.me.operator).toEqual(firstMe.me.operator);
    expect((await asSession(t.server.graphqlUrl, first.session, ME)).errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await counts()).toEqual(before);
  });

  it('goes back to the console page the sign-in started from', async () => {
    provider.person({ email: 'next@example.com' });
    const jar = new CookieJar();
    const back = await throughProvider(jar, 'next@example.com', `${t.url}/auth/oidc/start?next=${encodeURIComponent('/approvals?status=PENDING')}`);
    expect((await browse(jar, back)).headers.get('location')).toBe('/console/approvals?status=PENDING');
    // Another site is never a next page.
    const elsewhere = await browse(new CookieJar(), `${t.url}/auth/oidc/start?next=${encodeURIComponent('//evil.example/')}`);
    expect(elsewhere.status).toBe(303);
  });

  it('gives the default role (VIEWER) when the claim names none', async () => {
    provider.person({ email: 'plain@example.com' });
    const { session } = await signIn('plain@example.com');
    expect((await asSession(t.server.graphqlUrl, session, ME)).data.me.operator.role).toBe('VIEWER');
  });

  const refusals = [
    { why: 'an email domain that is not allowed', person: { email: 'mallory@elsewhere.org' }, code: 'SSO_DOMAIN_NOT_ALLOWED' },
    { why: 'a look-alike domain', person: { email: 'mallory@example.com.evil.org' }, code: 'SSO_DOMAIN_NOT_ALLOWED' },
    { why: 'an email the provider has not verified', person: { email: 'unverified@example.com', emailVerified: false }, code: 'SSO_EMAIL_UNVERIFIED' },
  ];
  for (const { why, person, code } of refusals) {
    it(`refuses ${why} with ${code}, writing nothing`, async () => {
      provider.person(person);
      const before = await counts();
      const { answer, location, session } = await signIn(person.email);
      expect(answer.status).toBe(303);
      expect(location).toBe(`/console/sign-in?error=${code}`);
      expect(session).toBeNull();
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses a callback whose state is not the one it started with, or that it did not start, writing nothing', async () => {
    provider.person({ email: 'state@example.com' });
    const before = await counts();
    const jar = new CookieJar();
    const back = new URL(await throughProvider(jar, 'state@example.com'));
    const attempt = jar.get(t.url, 'tollgate_oidc')!;

    const forged = new URL(back);
    forged.searchParams.set('state', 'an-attackers-state-value-1234567890');
    const wrongState = await browse(jar, forged.href);
    expect(wrongState.headers.get('location')).toBe('/console/sign-in?error=SSO_STATE_INVALID');

    // The same callback in a browser that never started a sign-in here (login CSRF), and with a tampered attempt cookie.
    const stranger = await browse(new CookieJar(), back.href);
    expect(stranger.headers.get('location')).toBe('/console/sign-in?error=SSO_STATE_INVALID');
    const tamperedJar = new CookieJar();
    tamperedJar.set(t.url, 'tollgate_oidc', `${attempt.slice(0, -4)}AAAA`);
    expect((await browse(tamperedJar, back.href)).headers.get('location')).toBe('/console/sign-in?error=SSO_STATE_INVALID');
    expect(await counts()).toEqual(before);
  });

  it('refuses a replayed code, writing nothing', async () => {
    provider.person({ email: 'replay@example.com' });
    const jar = new CookieJar();
    const back = await throughProvider(jar, 'replay@example.com');
    const attempt = jar.get(t.url, 'tollgate_oidc')!;
    expect((await browse(jar, back)).headers.get('location')).toBe('/console/accounts');
    const before = await counts();

    // An attacker who captured the callback URL and the attempt cookie sends them again.
    const attacker = new CookieJar();
    attacker.set(t.url, 'tollgate_oidc', attempt);
    const replayed = await browse(attacker, back);
    expect(replayed.headers.get('location')).toBe('/console/sign-in?error=SSO_REJECTED');
    expect(attacker.get(t.url, 'tollgate_session')).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('refuses a code issued to another client (wrong audience), writing nothing', async () => {
    provider.person({ email: 'audience@example.com' });
    const before = await counts();
    const jar = new CookieJar();
    const started = await browse(jar, `${t.url}/auth/oidc/start`);
    // The same request, but for another application registered at the provider with the same redirect.
    const forOther = new URL(started.headers.get('location')!);
    forOther.searchParams.set('client_id', provider.otherClient.clientId);
    const back = await signInAtProvider(jar, forOther.href, 'audience@example.com', callback);
    const answer = await browse(jar, back);
    expect(answer.headers.get('location')).toBe('/console/sign-in?error=SSO_REJECTED');
    expect(jar.get(t.url, 'tollgate_session')).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('refuses a deactivated operator, writing nothing', async () => {
    provider.person({ email: 'leaver@example.com' });
    const first = await signIn('leaver@example.com');
    const { data } = await asSession(t.server.graphqlUrl, first.session, ME);
    await t.admin.request(`mutation ($id: ID!) { deactivateOperator(id: $id) { state } }`, { id: data.me.operator.id });
    const before = await counts();

    const again = await signIn('leaver@example.com');
    expect(again.location).toBe('/console/sign-in?error=OPERATOR_DEACTIVATED');
    expect(again.session).toBeNull();
    expect(await counts()).toEqual(before);
    const { operators } = await t.admin.request(`{ operators(first: 100) { edges { node { id state } } } }`);
    expect(operators.edges.find((edge: any) => edge.node.id === data.me.operator.id).node.state).toBe('DEACTIVATED');
  });

  it('lets an invited operator in by single sign-on with the role of the invite', async () => {
    await t.admin.request(`mutation { inviteOperator(input: { email: "invited@example.com", name: "Invited", role: PRICING }) { link } }`);
    provider.person({ email: 'invited@example.com', role: 'support-team' });
    const { session } = await signIn('invited@example.com');
    expect((await asSession(t.server.graphqlUrl, session, ME)).data.me.operator).toMatchObject({ role: 'PRICING', state: 'ACTIVE' });
    // A password sign-in still finds no password.
    const password = await fetch(`${t.url}/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'invited@example.com', password: '!sso' }),
    });
    expect(password.status).toBe(401);
  });

  it('answers NUL, oversized and malformed callback input with a code, never a 500', async () => {
    const before = await counts();
    const jar = new CookieJar();
    await browse(jar, `${t.url}/auth/oidc/start`);
    const attempts = [
      `${callback}?code=%00&state=%00`,
      `${callback}?code=${'x'.repeat(9000)}&state=y`,
      `${callback}?state=${'s'.repeat(5000)}`,
      `${callback}?error=access_denied%00&state=x`,
      `${callback}?code=a&code=b&state[]=x`,
      callback,
    ];
    for (const attempt of attempts) {
      const answer = await browse(jar, attempt);
      expect(answer.status, attempt.slice(0, 80)).toBe(303);
      expect(answer.headers.get('location')).toBe('/console/sign-in?error=SSO_STATE_INVALID');
    }
    const strange = await browse(new CookieJar(), `${t.url}/auth/oidc/start?next=%00${'a'.repeat(5000)}`);
    expect(strange.status).toBe(303);
    expect(await counts()).toEqual(before);
  });
});

describe('single sign-on when it is not set up', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.stop());

  it('says so at /auth/methods, and its routes answer 404 SSO_NOT_CONFIGURED', async () => {
    expect(await (await fetch(`${t.url}/auth/methods`)).json()).toEqual({ password: true, singleSignOn: false });
    for (const path of ['/auth/oidc/start', '/auth/oidc/callback?code=x&state=y']) {
      const answer = await fetch(`${t.url}${path}`, { redirect: 'manual' });
      expect(answer.status).toBe(404);
      expect((await answer.json()).error.code).toBe('SSO_NOT_CONFIGURED');
    }
  });

  it('refuses half a configuration at start, naming what is missing', () => {
    const base = { TOLLGATE_ADMIN_KEY: 'x'.repeat(32) };
    expect(() => loadConfig({ ...base, TOLLGATE_OIDC_ISSUER: 'https://login.example.com' })).toThrow(/needs all three of TOLLGATE_OIDC_ISSUER/);
    const all = { ...base, TOLLGATE_OIDC_ISSUER: 'https://login.example.com', TOLLGATE_OIDC_CLIENT_ID: 'tollgate', TOLLGATE_OIDC_CLIENT_SECRET: 's'.repeat(32) };
    expect(() => loadConfig(all)).toThrow(/TOLLGATE_OIDC_ALLOWED_DOMAINS/);
    expect(() => loadConfig({ ...all, TOLLGATE_OIDC_ALLOWED_DOMAINS: 'example.com', TOLLGATE_OIDC_ROLE_MAP: 'admins' })).toThrow(/claim-value=ROLE/);
    const withRoles = (env: Record<string, string>) => new SingleSignOn(loadConfig({ ...all, TOLLGATE_OIDC_ALLOWED_DOMAINS: 'example.com', ...env }).oidc!, () => new Date());
    expect(() => withRoles({ TOLLGATE_OIDC_ROLE_MAP: 'admins=GOD' })).toThrow(/TOLLGATE_OIDC_ROLE_MAP: "admins=GOD" names no role/);
    expect(() => withRoles({ TOLLGATE_OIDC_DEFAULT_ROLE: 'ADMIN' })).toThrow(/TOLLGATE_OIDC_DEFAULT_ROLE: "ADMIN" is no role/);
    expect(() => loadConfig({ ...all, TOLLGATE_OIDC_ALLOWED_DOMAINS: 'not a domain' })).toThrow(/is not an email domain/);
    expect(() => loadConfig({ ...all, TOLLGATE_OIDC_ALLOWED_DOMAINS: 'example.com', TOLLGATE_OIDC_ISSUER: 'http://login.example.com' })).toThrow(/must be https/);
    expect(() => loadConfig({ ...all, TOLLGATE_OIDC_ALLOWED_DOMAINS: 'example.com', TOLLGATE_OIDC_CLIENT_SECRET: 'short' })).toThrow(/at least 16 characters/);
    expect(loadConfig({ ...all, TOLLGATE_OIDC_ALLOWED_DOMAINS: 'Example.com', TOLLGATE_OIDC_ROLE_MAP: 'admins=owner', TOLLGATE_OIDC_DEFAULT_ROLE: 'NONE' }).oidc).toMatchObject({
      allowedDomains: ['example.com'], roleMap: { admins: 'OWNER' }, defaultRole: null, roleClaim: 'tollgate_role',
    });
  });
});

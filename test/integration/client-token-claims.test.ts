import { createSecretKey } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Client tokens are checked claim by claim: the tests sign tokens themselves with the server's
 * secret (TOLLGATE_TOKEN_SECRET), so only the claims make a token good or bad, and send them to
 * the real server over HTTP.
 */
const SECRET = 'client-token-claims-test-secret-0123456789';
const key = createSecretKey(Buffer.from(SECRET, 'utf8'));
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ env: { TOLLGATE_TOKEN_SECRET: SECRET } });
  await createAccount(t.admin, 'acme');
});
afterAll(() => t?.stop());

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token as Tollgate mints one for "acme" (15 minutes), with `claims` changed or removed (undefined). */
function token(claims: Record<string, unknown> = {}): Promise<string> {
  const payload: Record<string, unknown> = {
    sub: 'acme',
    iss: 'tollgate',
    aud: 'tollgate:client',
    iat: nowSeconds(),
    exp: nowSeconds() + 900,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

/** Reads acme's entitlements with the token over HTTP: an answer with data means the token was accepted. */
async function use(tokenValue: string) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenValue}` },
    body: JSON.stringify({ query: `{ entitlements(accountId: "acme") { feature allowed } }` }),
  });
  const body = await response.json();
  return { status: response.status, problem: body.errors?.[0]?.extensions?.problem, body };
}

const accepted = { status: 200, problem: undefined, body: { data: { entitlements: [] } } };

describe('client token claims', () => {
  it('accepts a token as Tollgate mints it', async () => {
    expect(await use(await token())).toEqual(accepted);
  });

  it('accepts a token issued and valid from up to 60 seconds ahead, for clocks that differ', async () => {
    expect(await use(await token({ iat: nowSeconds() + 30 }))).toEqual(accepted);
    expect(await use(await token({ nbf: nowSeconds() + 30 }))).toEqual(accepted);
  });

  it('refuses a token issued more than 60 seconds in the future', async () => {
    expect(await use(await token({ iat: nowSeconds() + 120 }))).toMatchObject({ status: 401, problem: 'invalid-token' });
  });

  it('refuses a token not valid before a time more than 60 seconds away', async () => {
    expect(await use(await token({ nbf: nowSeconds() + 120 }))).toMatchObject({ status: 401, problem: 'invalid-token' });
  });

  it('refuses a token without an issue time', async () => {
    expect(await use(await token({ iat: undefined }))).toMatchObject({ status: 401, problem: 'invalid-token' });
  });

  it('refuses a token whose subject is not a non-empty string', async () => {
    for (const sub of [42, '', ['acme'], { id: 'acme' }, null, undefined]) {
      expect(await use(await token({ sub })), JSON.stringify(sub)).toMatchObject({ status: 401, problem: 'invalid-token' });
    }
  });

  it('refuses a token the moment it expires, with no allowance for clock skew', async () => {
    const result = await use(await token({ iat: nowSeconds() - 60, exp: nowSeconds() - 1 }));
    expect(result).toMatchObject({ status: 401, problem: 'expired' });
    expect(result.body.errors[0].message).toMatch(/createClientToken/);
  });

  it('refuses a token older than the 24 hours a client token may live', async () => {
    const result = await use(await token({ iat: nowSeconds() - 25 * 3600, exp: nowSeconds() + 3600 }));
    expect(result).toMatchObject({ status: 401, problem: 'expired' });
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await new SignJWT({ sub: 'acme', iss: 'tollgate', aud: 'tollgate:client', iat: nowSeconds(), exp: nowSeconds() + 900 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(createSecretKey(Buffer.from('another-secret-of-enough-length-0123456789', 'utf8')));
    expect(await use(forged)).toMatchObject({ status: 401, problem: 'invalid-token' });
  });
});

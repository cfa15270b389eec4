import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/fixtures.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

/**
 * A request without a usable credential is refused before its document is parsed, validated or
 * compiled, so an anonymous caller costs the server nothing it keeps. The refusal is still a
 * GraphQL response (errors, no data) with UNAUTHENTICATED, and an HTTP status and
 * WWW-Authenticate challenge as RFC 6750 has them.
 */
let now = new Date();
let t: TestServer;
const credentials: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer({ clock: () => new Date(now) });
  await createAccount(t.admin, 'acme');
  const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "leaked", role: SERVER }) { secret apiKey { id } } }`);
  await t.admin.request(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
  credentials.revoked = createApiKey.secret;
  now = new Date(Date.now() - 3600_000);
  credentials.expired = (await t.admin.request(`mutation { createClientToken(accountId: "acme", ttlSeconds: 60) { token } }`)).createClientToken.token;
  now = new Date();
});
afterAll(() => t?.stop());

/** POSTs a document over HTTP with fetch and returns the status, the challenge and the body. */
async function post(authorization: string | null, query: string) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() };
}

// Not even a document: only a parser would notice.
const UNPARSABLE = '{ features { key ';
// Parses, but names a field that does not exist: only validation would notice.
const INVALID = '{ featurez { key } }';

describe('refusing requests without a usable credential', () => {
  it('refuses an anonymous request before parsing it', async () => {
    const { status, challenge, body } = await post(null, UNPARSABLE);
    expect(status).toBe(401);
    expect(challenge).toBe('Bearer realm="tollgate"');
    expect(body).toEqual({
      errors: [
        {
          message: 'No credential was sent. Send "Authorization: Bearer <API key or client token>", or sign in to the console.',
          extensions: { code: 'UNAUTHENTICATED', problem: 'missing' },
        },
      ],
    });
  });

  it('refuses an anonymous request before validating it', async () => {
    const { status, body } = await post(null, INVALID);
    expect(status).toBe(401);
    expect(body.errors.map((error: any) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers every unusable credential with UNAUTHENTICATED, its problem and its status', async () => {
    const cases = [
      { authorization: 'Basic dXNlcjpwYXNz', problem: 'malformed', status: 400, error: 'invalid_request' },
      { authorization: 'Bearer tg_admin_short', problem: 'malformed', status: 400, error: 'invalid_request' },
      { authorization: `Bearer tg_server_${'A'.repeat(43)}`, problem: 'unknown', status: 401, error: 'invalid_token' },
      { authorization: `Bearer ${credentials.revoked}`, problem: 'revoked', status: 401, error: 'invalid_token' },
      { authorization: `Bearer ${credentials.expired}`, problem: 'expired', status: 401, error: 'invalid_token' },
      {
        authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhY21lIn0.c2lnbmF0dXJl',
        problem: 'invalid-token',
        status: 401,
        error: 'invalid_token',
      },
    ];
    for (const { authorization, problem, status, error } of cases) {
      for (const document of [UNPARSABLE, INVALID]) {
        const answer = await post(authorization, document);
        expect(answer.status, `${problem}: ${JSON.stringify(answer.body)}`).toBe(status);
        expect(answer.challenge).toBe(`Bearer realm="tollgate", error="${error}"`);
        expect(answer.body.data).toBeUndefined();
        expect(answer.body.errors).toHaveLength(1);
        expect(answer.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', problem });
      }
    }
  });

  it('refuses an anonymous GET query the same way', async () => {
    const response = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ features { key } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('still renders the sandbox landing page for a browser in development', async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/<html/i);
  });

  it('parses and answers the same documents once a credential is good', async () => {
    const unparsable = await post(`Bearer ${TEST_ADMIN_KEY}`, UNPARSABLE);
    expect(unparsable.status).toBe(400);
    expect(unparsable.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const invalid = await post(`Bearer ${TEST_ADMIN_KEY}`, INVALID);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await post(`Bearer ${TEST_ADMIN_KEY}`, '{ features { key } }')).body).toEqual({ data: { features: [] } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

/**
 * With introspection off, "Did you mean …" suggestions would still spell out the schema one
 * guess at a time: production cuts them from every message. Development keeps them.
 */
let production: TestServer;
let development: TestServer;
beforeAll(async () => {
  [production, development] = await Promise.all([startTestServer({ env: { NODE_ENV: 'production' } }), startTestServer()]);
});
afterAll(async () => {
  await production?.stop();
  await development?.stop();
});

/** POSTs as an admin and returns the status and the error messages and codes. */
async function post(server: TestServer, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] };
  return { status: response.status, data: body.data, errors: (body.errors ?? []).map(({ message, extensions }) => ({ message, code: extensions.code })) };
}

const CREATE = `mutation ($input: CreateFeatureInput!) { createFeature(input: $input) { key } }`;
const CREATE_WITH_KIND = `mutation ($kind: FeatureKind!) { createFeature(input: { key: "x", name: "X", kind: $kind }) { key } }`;

describe('suggestions in production', () => {
  it('names no field for an unknown field', async () => {
    expect(await post(production, `{ featurs { key } }`)).toEqual({
      status: 400,
      data: undefined,
      errors: [{ message: 'Cannot query field "featurs" on type "Query".', code: 'GRAPHQL_VALIDATION_FAILED' }],
    });
  });

  it('names no enum value for an unknown enum value written in the document', async () => {
    expect((await post(production, `mutation { createFeature(input: { key: "x", name: "X", kind: SWICH }) { key } }`)).errors).toEqual([
      { message: 'Value "SWICH" does not exist in "FeatureKind" enum.', code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
  });

  it('names no enum value or input field for unknown ones sent in variables', async () => {
    const enumValue = await post(production, CREATE_WITH_KIND, { kind: 'SWICH' });
    expect(enumValue.status).toBe(400);
    expect(enumValue.errors).toEqual([{ message: expect.stringMatching(/^Variable "\$kind" got invalid value "SWICH"/), code: 'BAD_USER_INPUT' }]);
    const inputField = await post(production, CREATE, { input: { key: 'x', name: 'X', kidn: 'SWITCH' } });
    expect(inputField.status).toBe(400);
    expect(inputField.errors.map((error) => error.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(JSON.stringify([enumValue, inputField])).not.toMatch(/Did you mean|SWITCH"\?/);
  });

  it('names no argument for a misspelled argument, and no type for a misspelled type', async () => {
    const argument = await post(production, `{ entitlement(acountId: "acme", feature: "seats") { allowed } }`);
    expect(argument.errors[0]).toEqual({ message: 'Unknown argument "acountId" on field "Query.entitlement".', code: 'GRAPHQL_VALIDATION_FAILED' });
    const type = await post(production, `query ($kind: FeatureKnd!) { features { key } }`);
    expect(type.errors[0]).toEqual({ message: 'Unknown type "FeatureKnd".', code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(JSON.stringify([argument, type])).not.toMatch(/Did you mean/);
  });

  it('keeps suggestions in development, where the schema is open anyway', async () => {
    expect((await post(development, `{ featurs { key } }`)).errors[0]?.message).toBe(
      'Cannot query field "featurs" on type "Query". Did you mean "features"?',
    );
    expect((await post(development, `mutation { createFeature(input: { key: "x", name: "X", kind: SWICH }) { key } }`)).errors[0]?.message).toBe(
      'Value "SWICH" does not exist in "FeatureKind" enum. Did you mean the enum value "SWITCH"?',
    );
  });
});

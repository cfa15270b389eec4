import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeature } from '../support/fixtures.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

/**
 * Which operation of a document runs, and what a client hears when it cannot be chosen: HTTP 400
 * with OPERATION_RESOLUTION_FAILURE and graphql-js's own message, as Apollo Server's default
 * executor answers (the compiled executor used to answer HTTP 500).
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await createFeature(t.admin, { key: 'seats', kind: 'QUANTITY', unit: 'seats' });
});
afterAll(() => t?.stop());

/** POSTs a document and an operation name as a client does, and returns the status and body. */
async function post(query: string, operationName?: string) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
    body: JSON.stringify({ query, operationName }),
  });
  return { status: response.status, body: await response.json() };
}

const TWO_OPERATIONS = `query Features { features { key } } query Plans { plans { key } }`;

describe('choosing the operation to run', () => {
  it('answers an operationName the document does not have with HTTP 400', async () => {
    expect(await post(`{ features { key } }`, 'Missing')).toEqual({
      status: 400,
      body: { errors: [{ message: 'Unknown operation named "Missing".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] },
    });
  });

  it('answers an operationName other than the name of the only operation with HTTP 400', async () => {
    expect(await post(`query Features { features { key } }`, 'Plans')).toEqual({
      status: 400,
      body: { errors: [{ message: 'Unknown operation named "Plans".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] },
    });
  });

  it('asks for an operationName when the document has several operations', async () => {
    expect(await post(TWO_OPERATIONS)).toEqual({
      status: 400,
      body: {
        errors: [
          { message: 'Must provide operation name if query contains multiple operations.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
        ],
      },
    });
  });

  it('runs each named operation of one document, in any order', async () => {
    for (const name of ['Features', 'Plans', 'Features', 'Plans']) {
      const { status, body } = await post(TWO_OPERATIONS, name);
      expect(status).toBe(200);
      expect(body).toEqual(name === 'Features' ? { data: { features: [{ key: 'seats' }] } } : { data: { plans: [] } });
    }
  });

  it('runs the only operation whether or not its name is sent', async () => {
    expect((await post(`query Features { features { key } }`)).body).toEqual({ data: { features: [{ key: 'seats' }] } });
    expect((await post(`query Features { features { key } }`, 'Features')).body).toEqual({ data: { features: [{ key: 'seats' }] } });
  });
});

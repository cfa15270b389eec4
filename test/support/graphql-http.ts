import type { ReceivedError } from './graphql-client.js';
import { toJsonBody } from './hostile-values.js';

/** What came back over HTTP: the status as well as the GraphQL answer, for tests about failures. */
export interface HttpGraphQLAnswer {
  status: number;
  /** null when the body was not a GraphQL answer (or there was no answer at all). */
  data: Record<string, any> | null;
  errors: ReceivedError[];
  /** The body as received, for reports. */
  body: string;
  /** The variables as the server parsed them from the body. */
  sentVariables: Record<string, unknown>;
}

/**
 * POSTs one GraphQL operation as JSON and keeps the HTTP status, which graphql-request hides.
 * Variables go through {@link toJsonBody}, so number texts such as `-0` or `1e400` reach the
 * server as written. A connection failure is reported as status 0.
 */
export async function postGraphQL(
  url: string,
  credential: string | null,
  query: string,
  variables: Record<string, unknown>,
): Promise<HttpGraphQLAnswer> {
  const body = toJsonBody({ query, variables });
  const sentVariables = JSON.parse(body).variables ?? {};
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      body,
    });
  } catch (error) {
    return { status: 0, data: null, errors: [], body: `no answer: ${(error as Error).message}`, sentVariables };
  }
  const text = await response.text();
  let parsed: { data?: Record<string, any> | null; errors?: ReceivedError[] } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the status alone tells what happened.
  }
  return {
    status: response.status,
    data: parsed.data ?? null,
    errors: Array.isArray(parsed.errors) ? parsed.errors : [],
    body: text,
    sentVariables,
  };
}

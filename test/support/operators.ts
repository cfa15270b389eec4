import type { TestServer } from './server.js';

/** A password that passes the policy (long, not common, not the email). */
export const GOOD_PASSWORD = 'correct horse battery staple 7';

/** An HTTP answer of an /auth route: status, JSON body (or null), headers. */
export interface AuthAnswer {
  status: number;
  body: any;
  headers: Headers;
  /** The tollgate_session value the answer set, '' when it cleared it, null when it set none. */
  sessionCookie: string | null;
  setCookie: string | null;
}

/** Posts JSON (or any body with any content type) to an /auth route, as a browser or script would. */
export async function postAuth(
  baseUrl: string,
  path: string,
  body: unknown,
  options: { cookie?: string | null; contentType?: string; raw?: string; headers?: Record<string, string> } = {},
): Promise<AuthAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...(options.cookie ? { cookie: `tollgate_session=${options.cookie}` } : {}),
      ...options.headers,
    },
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  const setCookie = response.headers.get('set-cookie');
  const match = setCookie ? /tollgate_session=([^;]*)/.exec(setCookie) : null;
  return { status: response.status, body: parsed, headers: response.headers, sessionCookie: match ? match[1]! : null, setCookie };
}

/** A GraphQL request carrying the session cookie, as the console sends it (JSON, no bearer). */
export async function asSession(
  graphqlUrl: string,
  session: string | null,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; data: any; errors: any[] }> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(session ? { cookie: `tollgate_session=${session}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body: any = await response.json().catch(() => ({}));
  return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
}

/** The token at the end of an invite or reset link. */
export function tokenOf(link: string): string {
  return link.slice(link.lastIndexOf('/') + 1);
}

/** Invites an operator with the admin key and returns the link. */
export async function invite(t: TestServer, email: string, role: string, name = email.split('@')[0]!): Promise<{ link: string; id: string }> {
  const { inviteOperator } = await t.admin.request(
    `mutation ($input: InviteOperatorInput!) { inviteOperator(input: $input) { link expiresAt operator { id } } }`,
    { input: { email, name, role } },
  );
  return { link: inviteOperator.link, id: inviteOperator.operator.id };
}

/** Invites an operator, accepts the invite with GOOD_PASSWORD and returns their id and session. */
export async function signedInOperator(t: TestServer, email: string, role: string): Promise<{ id: string; session: string }> {
  const { link, id } = await invite(t, email, role);
  const accepted = await postAuth(t.url, '/auth/invite', { token: tokenOf(link), password: GOOD_PASSWORD });
  if (accepted.status !== 200 || !accepted.sessionCookie) throw new Error(`invite for ${email} not accepted: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { id, session: accepted.sessionCookie };
}

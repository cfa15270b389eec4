/** What a `/auth/*` route answered: the signed-in operator, or its refusal in its own words. */
export type AuthAnswer =
  | { ok: true }
  | { ok: false; status: number; code: string; message: string; retryAfterSeconds: number | null };

/**
 * Posts to one of the server's sign-in routes (`/auth/login`, `/auth/invite`, `/auth/reset`,
 * `/auth/logout`) as JSON from this origin; the session cookie comes back httpOnly, so no
 * credential is ever visible to JavaScript. Refusals are `{ error: { code, message } }`.
 */
export async function postAuth(path: '/auth/login' | '/auth/invite' | '/auth/reset' | '/auth/logout', body: Record<string, unknown> = {}): Promise<AuthAnswer> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  } catch (error) {
    return { ok: false, status: 0, code: 'NETWORK', message: `Tollgate could not be reached (${(error as Error).message}). Check your connection.`, retryAfterSeconds: null };
  }
  if (response.ok) return { ok: true };
  const retryAfter = response.headers.get('retry-after');
  let code = 'HTTP_' + response.status;
  let message = `The server answered ${response.status}.`;
  try {
    const answer = (await response.json()) as { error?: { code?: string; message?: string } };
    code = answer.error?.code ?? code;
    message = answer.error?.message ?? message;
  } catch {
    // Not JSON: keep the status line.
  }
  return { ok: false, status: response.status, code, message, retryAfterSeconds: retryAfter ? Number(retryAfter) : null };
}

/** How people may sign in here (GET /auth/methods); password only when the server cannot be asked. */
export async function signInMethods(): Promise<{ password: boolean; singleSignOn: boolean }> {
  try {
    const response = await fetch('/auth/methods', { credentials: 'same-origin' });
    if (!response.ok) return { password: true, singleSignOn: false };
    const methods = (await response.json()) as { singleSignOn?: unknown };
    return { password: true, singleSignOn: methods.singleSignOn === true };
  } catch {
    return { password: true, singleSignOn: false };
  }
}

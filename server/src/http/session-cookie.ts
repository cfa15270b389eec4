import { parseCookie, stringifySetCookie } from 'cookie';

/** The operator session cookie's name, fixed by the contract. */
export const SESSION_COOKIE = 'tollgate_session';

/** The session id a Cookie header carries, or null. The first `tollgate_session` wins, as browsers send the most specific first. */
export function sessionIdFrom(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  try {
    return parseCookie(cookieHeader)[SESSION_COOKIE] ?? null;
  } catch {
    return null;
  }
}

/**
 * The Set-Cookie value for a new session: httpOnly (no script reads it), SameSite=Lax (no
 * cross-site subrequest or form post carries it), Path=/ (GraphQL and /auth share it), Secure
 * whenever Tollgate is reached over https, and lasting as long as the session's absolute end.
 */
export function sessionCookie(sessionId: string, expiresAt: Date, secure: boolean, now: Date): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value: sessionId,
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  });
}

/** The Set-Cookie value that removes the session cookie (sign-out). */
export function clearedSessionCookie(secure: boolean): string {
  return stringifySetCookie({ name: SESSION_COOKIE, value: '', httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0, expires: new Date(0) });
}

/**
 * Whether a browser request with this Origin comes from Tollgate's own pages: the Origin is
 * absent (not a browser, or a same-origin GET), or it names TOLLGATE_PUBLIC_URL's origin, or the
 * host the request was sent to. Two loopback addresses count as one machine (a development
 * proxy on another port). A cookie is believed only from such a request where nothing else
 * (CORS, Apollo's CSRF prevention) stands guard: WebSocket upgrades and the /auth routes.
 */
export function fromOwnOrigin(origin: string | undefined, host: string | undefined, publicUrl: string | null): boolean {
  if (!origin) return true;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl && new URL(publicUrl).origin === originUrl.origin) return true;
  if (host && originUrl.host === host.toLowerCase()) return true;
  const hostName = host ? host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') : '';
  return isLoopback(originUrl.hostname.replace(/^\[|\]$/g, '')) && isLoopback(hostName);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

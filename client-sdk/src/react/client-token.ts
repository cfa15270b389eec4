/** A client token as createClientToken answers it: the token and when it expires. */
export interface ClientToken {
  token: string;
  /** ISO 8601. */
  expiresAt: string;
}

/**
 * A client token, or a function that fetches a fresh one from the host backend (an API call,
 * or a Next.js server action).
 */
export type TokenSource = string | (() => Promise<string | ClientToken>);

const REFRESH_BEFORE_MS = 60_000;

/**
 * Keeps a client token fresh: calls the source again shortly before the token expires (read
 * from `expiresAt`, or from the token's own `exp` claim), and once at a time. `readSource` is
 * asked for the source at every request, so a provider can hand in its latest `token` prop
 * (an inline arrow function is new on every render) without building a new keeper; `initial`
 * is a token already minted (on the server, say), used until it is about to expire.
 */
export function tokenKeeper(
  readSource: () => TokenSource | undefined,
  initial?: string | ClientToken,
): () => Promise<string | null> {
  let current: { token: string; expiresAt: number } | null = initial === undefined ? null : held(initial);
  let pending: Promise<string> | null = null;
  return async () => {
    const source = readSource();
    if (current && current.expiresAt - Date.now() > REFRESH_BEFORE_MS) return current.token;
    if (source === undefined) return current?.token ?? null;
    if (typeof source === 'string') return source;
    pending ??= source()
      .then((fresh) => {
        current = held(fresh);
        return current.token;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
}

function held(token: string | ClientToken): { token: string; expiresAt: number } {
  return typeof token === 'string'
    ? { token, expiresAt: expiryOf(token) }
    : { token: token.token, expiresAt: Date.parse(token.expiresAt) };
}

function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return payload.exp ? payload.exp * 1000 : Date.now() + REFRESH_BEFORE_MS * 2;
  } catch {
    return Date.now() + REFRESH_BEFORE_MS * 2;
  }
}

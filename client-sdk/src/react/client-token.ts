/** A client token, or a function that fetches a fresh one from the host backend. */
export type TokenSource = string | (() => Promise<string | { token: string; expiresAt: string }>);

const REFRESH_BEFORE_MS = 60_000;

/**
 * Keeps a client token fresh: calls the source again shortly before the token expires (read
 * from `expiresAt`, or from the token's own `exp` claim), and once at a time.
 */
export function tokenKeeper(source: TokenSource | undefined): () => Promise<string | null> {
  let current: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  return async () => {
    if (source === undefined) return null;
    if (typeof source === 'string') return source;
    if (current && current.expiresAt - Date.now() > REFRESH_BEFORE_MS) return current.token;
    pending ??= source()
      .then((fresh) => {
        const token = typeof fresh === 'string' ? fresh : fresh.token;
        const expiresAt = typeof fresh === 'string' ? expiryOf(token) : Date.parse(fresh.expiresAt);
        current = { token, expiresAt };
        return token;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
}

function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return payload.exp ? payload.exp * 1000 : Date.now() + REFRESH_BEFORE_MS * 2;
  } catch {
    return Date.now() + REFRESH_BEFORE_MS * 2;
  }
}

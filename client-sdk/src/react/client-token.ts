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

/** The provider's client token, shared by its HTTP requests and its live socket. */
export interface TokenKeeper {
  /** The token to send now: the one held, or a fresh one when it is within a minute of expiry. */
  current(): Promise<string | null>;
  /** Forgets the token held (Tollgate refused it: the socket closed with 4401); the next `current()` asks for a fresh one. */
  renew(): void;
  /** When the token held expires (ms since 1970), or null when none is held. */
  expiresAt(): number | null;
  /** Whether the source can give another token: a function can, a fixed string cannot. */
  renewable(): boolean;
}

/**
 * Keeps a client token fresh: calls the source again shortly before the token expires (read
 * from `expiresAt`, or from the token's own `exp` claim), and once at a time. `readSource` is
 * asked for the source at every request, so a provider can hand in its latest `token` prop
 * (an inline arrow function is new on every render) without building a new keeper; `initial`
 * is a token already minted (on the server, say), used until it is about to expire.
 */
export function tokenKeeper(readSource: () => TokenSource | undefined, initial?: string | ClientToken): TokenKeeper {
  let current: { token: string; expiresAt: number } | null = initial === undefined ? null : held(initial);
  let pending: Promise<string> | null = null;
  let generation = 0;
  return {
    async current() {
      const source = readSource();
      if (current && current.expiresAt - Date.now() > REFRESH_BEFORE_MS) return current.token;
      if (source === undefined) return current?.token ?? null;
      if (typeof source === 'string') return source;
      if (!pending) {
        const asked = generation;
        const request: Promise<string> = source()
          .then((fresh) => {
            // A renew() while this was on its way must not be undone by it.
            if (asked === generation) current = held(fresh);
            return held(fresh).token;
          })
          .finally(() => {
            if (pending === request) pending = null;
          });
        pending = request;
      }
      return pending;
    },
    renew() {
      generation += 1;
      current = null;
      pending = null;
    },
    expiresAt: () => current?.expiresAt ?? null,
    renewable: () => typeof readSource() === 'function',
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

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person the local provider knows: the `login` typed at its sign-in form is their email. */
export interface ProviderPerson {
  email: string;
  emailVerified?: boolean;
  name?: string;
  /** The `tollgate_role` claim: a string, a list, or absent. */
  role?: string | string[];
}

/** A client registered at the local provider. */
export interface ProviderClient {
  clientId: string;
  clientSecret: string;
}

/** A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1, for tests. */
export interface LocalOidcProvider {
  /** The issuer URL (TOLLGATE_OIDC_ISSUER). */
  issuer: string;
  /** Tollgate's client. */
  client: ProviderClient;
  /** A second client with the same redirect URI: a code issued to it is for another audience. */
  otherClient: ProviderClient;
  /** Adds or replaces a person. */
  person(person: ProviderPerson): void;
  /** Registers the callback URL of the Tollgate under test; call once, before any sign-in. */
  allowRedirect(redirectUri: string): void;
  stop(): Promise<void>;
}

/**
 * Starts `oidc-provider` with its development interactions (a sign-in form that takes any
 * password for a known login, then a consent form), signed ID tokens that carry the email,
 * email_verified, name and tollgate_role claims, and PKCE required. It listens before it is
 * configured, so its issuer can go into Tollgate's environment first and Tollgate's callback
 * URL (known once Tollgate listens) into the client next: Tollgate discovers the provider only
 * at the first sign-in.
 */
export async function startOidcProvider(): Promise<LocalOidcProvider> {
  let handler: ((request: IncomingMessage, response: ServerResponse) => void) | null = null;
  const server: Server = createServer((request, response) => {
    if (handler) return handler(request, response);
    response.writeHead(503).end('provider not configured yet');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const people = new Map<string, ProviderPerson>();
  const client = { clientId: 'tollgate', clientSecret: 'tollgate-client-secret-for-tests' };
  const otherClient = { clientId: 'another-app', clientSecret: 'another-app-client-secret-for-tests' };
  return {
    issuer,
    client,
    otherClient,
    person(person) {
      people.set(person.email.toLowerCase(), person);
    },
    allowRedirect(redirectUri) {
      const clients = [client, otherClient].map(({ clientId, clientSecret }) => ({
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      }));
      const provider = new Provider(issuer, {
        clients,
        cookies: { keys: ['local-provider-cookie-key-for-tests'] },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'tollgate_role'] },
        // The claims in the ID token itself, as many providers do; Tollgate also reads userinfo when they are not.
        conformIdTokenClaims: false,
        pkce: { required: () => true },
        features: { devInteractions: { enabled: true } },
        async findAccount(_context, id) {
          const person = people.get(id.toLowerCase());
          if (!person) return undefined;
          return {
            accountId: id.toLowerCase(),
            async claims() {
              return {
                sub: `sub-${person.email.toLowerCase()}`,
                email: person.email,
                email_verified: person.emailVerified ?? true,
                name: person.name ?? person.email,
                ...(person.role === undefined ? {} : { tollgate_role: person.role }),
              };
            },
          };
        },
      });
      handler = provider.callback();
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A browser's cookies for several hosts, enough to follow a sign-in through the provider with fetch. */
export class CookieJar {
  private readonly jar = new Map<string, Map<string, string>>();

  /** Keeps the cookies a response sets for its host (a Max-Age=0 one is removed). */
  take(url: string, response: Response): void {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (/max-age=0/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(host, cookies);
  }

  /** The Cookie header for a URL's host. */
  header(url: string): string {
    return [...(this.jar.get(new URL(url).host) ?? new Map()).entries()].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** One cookie's value for a host, or null. */
  get(url: string, name: string): string | null {
    return this.jar.get(new URL(url).host)?.get(name) ?? null;
  }

  /** Sets a cookie by hand (a test playing an attacker's browser). */
  set(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    cookies.set(name, value);
    this.jar.set(host, cookies);
  }
}

/** One step of a browser: a request with the jar's cookies, redirects not followed. */
export async function browse(jar: CookieJar, url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
  const response = await fetch(url, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    redirect: 'manual',
    headers: {
      cookie: jar.header(url),
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
  });
  jar.take(url, response);
  return response;
}

/**
 * Goes through the provider as a person would: from an authorization URL, through its sign-in
 * form (as `login`) and consent form, to the redirect back to Tollgate, which is answered
 * without following it (the callback URL with the code and state).
 */
export async function signInAtProvider(jar: CookieJar, authorizationUrl: string, login: string, callbackPrefix: string): Promise<string> {
  let url = authorizationUrl;
  for (let step = 0; step < 20; step += 1) {
    if (url.startsWith(callbackPrefix)) return url;
    const response = await browse(jar, url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url).href;
      continue;
    }
    const page = await response.text();
    if (response.status !== 200) throw new Error(`provider answered ${response.status} at ${url}: ${page.slice(0, 500)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`no form at ${url}: ${page.slice(0, 500)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1] ?? 'consent';
    const submitted = await browse(jar, new URL(action.replace(/&amp;/g, '&'), url).href, {
      form: prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt },
    });
    if (submitted.status < 300 || submitted.status >= 400) throw new Error(`provider form answered ${submitted.status}: ${(await submitted.text()).slice(0, 500)}`);
    url = new URL(submitted.headers.get('location')!, url).href;
  }
  throw new Error('too many steps at the provider');
}

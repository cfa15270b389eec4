import { resolve } from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** An unset variable and an empty one (as compose files and CI templates leave them) mean the same. */
const optionalSecret = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
  TOLLGATE_LISTEN_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'TOLLGATE_LISTEN_URL must be a postgres:// or postgresql:// URL that reaches PostgreSQL directly (not through PgBouncer)')
    .optional(),
  TOLLGATE_DATA_DIR: z.string().min(1).default('./.tollgate/data'),
  TOLLGATE_ADMIN_KEY: z
    .string()
    .min(24, 'TOLLGATE_ADMIN_KEY must be at least 24 characters: use a random secret')
    .optional(),
  TOLLGATE_TOKEN_SECRET: z
    .string()
    .min(32, 'TOLLGATE_TOKEN_SECRET must be at least 32 characters: use a random secret')
    .optional(),
  TOLLGATE_DEMO_DATA: z.enum(['auto', 'off']).default('auto'),
  TOLLGATE_INTROSPECTION: booleanFlag.optional(),
  TOLLGATE_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(100_000).default(100),
  TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_KEY: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  TOLLGATE_LIVE_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
  TOLLGATE_LIVE_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024),
  TOLLGATE_LIVE_MAX_BUFFERED_BYTES: z.coerce.number().int().min(64 * 1024).max(1024 * 1024 * 1024).default(1024 * 1024),
  TOLLGATE_LIVE_COALESCE_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_ACCOUNT_TOKEN: z.coerce.number().int().min(1).max(10_000).default(20),
  TOLLGATE_LIVE_MAX_SOCKETS_PER_ACCOUNT_TOKEN: z.coerce.number().int().min(1).max(10_000).default(10),
  TOLLGATE_LIVE_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(100),
  TOLLGATE_FEED_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  TOLLGATE_CACHE_MAX_AGE_MS: z.coerce.number().int().min(100).max(30_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STRIPE_WEBHOOK_SECRET: optionalSecret(
    z.string().regex(/^whsec_\S+$/, 'STRIPE_WEBHOOK_SECRET must be the endpoint\'s signing secret, whsec_… (Stripe dashboard: Developers → Webhooks → the endpoint → Signing secret)'),
  ),
  STRIPE_API_KEY: optionalSecret(
    z.string().regex(/^(sk|rk)_(test|live)_\S+$/, 'STRIPE_API_KEY must be a secret or restricted key, sk_… or rk_… (with read access to customers and subscriptions)'),
  ),
  STRIPE_API_BASE: optionalSecret(
    z.url({ protocol: /^https?$/, error: 'STRIPE_API_BASE must be an http:// or https:// URL, such as http://127.0.0.1:12111 for a local stand-in' }),
  ),
  TOLLGATE_PAST_DUE_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  TOLLGATE_CORS_ORIGINS: z.string().default('').transform((value, context) => {
    const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
    for (const origin of origins) {
      if (!isExactOrigin(origin)) {
        context.addIssue({
          code: 'custom',
          message: `"${origin}" is not an origin. List exact origins separated by commas, scheme and host (and port) only, as a browser sends them: https://app.example.com,http://localhost:5173`,
        });
      }
    }
    return origins;
  }),
  TOLLGATE_GRAPHQL_IDE: booleanFlag.optional(),
  TOLLGATE_METRICS_TOKEN: optionalSecret(z.string().min(24, 'TOLLGATE_METRICS_TOKEN must be at least 24 characters: use a random secret')),
  TOLLGATE_PUBLIC_URL: optionalSecret(
    z.url({ protocol: /^https?$/, error: 'TOLLGATE_PUBLIC_URL must be the http:// or https:// address people open Tollgate at, such as https://tollgate.example.com' }),
  ),
  TOLLGATE_TRUST_PROXY: optionalSecret(
    z.string().refine(
      (value) => /^(true|false|\d{1,2})$/.test(value) || trustable(value.split(',').map((entry) => entry.trim()).filter(Boolean)),
      'TOLLGATE_TRUST_PROXY must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal), such as 10.0.0.0/8,loopback',
    ),
  ),
  TOLLGATE_OVERRIDE_POLICY_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  TOLLGATE_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(120),
  TOLLGATE_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(30 * 24).default(12),
  TOLLGATE_SIGN_IN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).max(1000).default(5),
  TOLLGATE_SIGN_IN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(50),
  TOLLGATE_SIGN_IN_MAX_FAILURES_PER_EMAIL_ALL_ADDRESSES: z.coerce.number().int().min(1).max(1_000_000).default(100),
  TOLLGATE_OIDC_ISSUER: optionalSecret(
    z.url({ protocol: /^https?$/, error: 'TOLLGATE_OIDC_ISSUER must be the identity provider\'s issuer URL, such as https://accounts.google.com or https://login.example.com/realms/staff' }),
  ),
  TOLLGATE_OIDC_CLIENT_ID: optionalSecret(z.string().max(500, 'TOLLGATE_OIDC_CLIENT_ID must be at most 500 characters')),
  TOLLGATE_OIDC_CLIENT_SECRET: optionalSecret(z.string().max(2000, 'TOLLGATE_OIDC_CLIENT_SECRET must be at most 2000 characters')),
  TOLLGATE_OIDC_ALLOWED_DOMAINS: z.string().default('').transform((value, context) => {
    const domains = value.split(',').map((domain) => domain.trim().toLowerCase().replace(/^@/, '')).filter(Boolean);
    for (const domain of domains) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
        context.addIssue({ code: 'custom', message: `"${domain}" is not an email domain. List domains separated by commas, such as example.com,example.org` });
      }
    }
    return domains;
  }),
  TOLLGATE_OIDC_ROLE_CLAIM: z.string().min(1).max(200).default('tollgate_role'),
  TOLLGATE_OIDC_ROLE_MAP: z.string().default('').transform((value, context) => {
    // The role names themselves are checked against the roles where single sign-on starts (operators/single-sign-on.ts).
    const map: Record<string, string> = {};
    for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
      const at = entry.lastIndexOf('=');
      const role = entry.slice(at + 1).trim().toUpperCase();
      if (at < 1 || !/^[A-Z_]+$/.test(role)) {
        context.addIssue({ code: 'custom', message: `"${entry}" is not claim-value=ROLE, such as tollgate-owners=OWNER,support-team=SUPPORT` });
        continue;
      }
      map[entry.slice(0, at).trim()] = role;
    }
    return map;
  }),
  TOLLGATE_OIDC_DEFAULT_ROLE: z.string().regex(/^[A-Za-z_]+$/, 'TOLLGATE_OIDC_DEFAULT_ROLE must be a role name (VIEWER, SUPPORT, BILLING, PRICING, OWNER), or NONE').default('VIEWER').transform((role) => role.toUpperCase()),
  TOLLGATE_SIGN_IN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  TOLLGATE_USAGE_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(35, 'TOLLGATE_USAGE_RETENTION_DAYS must be at least 35: idempotency keys hold for 35 days, and so must the ledger')
    .max(36_500)
    .default(400),
}).superRefine((values, context) => {
  const oidc = [values.TOLLGATE_OIDC_ISSUER, values.TOLLGATE_OIDC_CLIENT_ID, values.TOLLGATE_OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    context.addIssue({
      code: 'custom',
      path: ['TOLLGATE_OIDC_ISSUER'],
      message: 'single sign-on needs all three of TOLLGATE_OIDC_ISSUER, TOLLGATE_OIDC_CLIENT_ID and TOLLGATE_OIDC_CLIENT_SECRET (docs/operators.md, "Setting up single sign-on")',
    });
  }
  if (oidc.every(Boolean) && values.TOLLGATE_OIDC_ALLOWED_DOMAINS.length === 0) {
    context.addIssue({
      code: 'custom',
      path: ['TOLLGATE_OIDC_ALLOWED_DOMAINS'],
      message: 'single sign-on needs the email domains whose people may sign in, such as example.com: without it anyone with an account at the provider would become an operator',
    });
  }
  if (values.TOLLGATE_OIDC_ISSUER && !/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(values.TOLLGATE_OIDC_ISSUER)) {
    context.addIssue({ code: 'custom', path: ['TOLLGATE_OIDC_ISSUER'], message: 'TOLLGATE_OIDC_ISSUER must be https:// (plain http is accepted only for a provider on this machine, such as http://127.0.0.1:8080)' });
  }
  if (values.TOLLGATE_OIDC_CLIENT_SECRET && values.TOLLGATE_OIDC_CLIENT_SECRET.length < 16) {
    context.addIssue({ code: 'custom', path: ['TOLLGATE_OIDC_CLIENT_SECRET'], message: 'TOLLGATE_OIDC_CLIENT_SECRET must be at least 16 characters: the secret the provider gave for this client' });
  }
});

/** `https://app.example.com` as a browser's Origin header spells it: no path, no trailing slash, no wildcard. */
function isExactOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    const host = /^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/;
    return (url.protocol === 'http:' || url.protocol === 'https:') && host.test(url.hostname) && url.origin === origin.toLowerCase();
  } catch {
    return false;
  }
}

/** Whether the proxy at `address`, `hop` hops from Tollgate (0 = the connecting one), is trusted to name the client. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** Where the `stripe` client sends its requests instead of api.stripe.com (a local stand-in in tests). */
export interface StripeApiBase {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

/** The service's configuration, parsed once at start from the environment. */
export interface TollgateConfig {
  production: boolean;
  port: number;
  host: string;
  /** A PostgreSQL URL, or null for the embedded database. */
  databaseUrl: string | null;
  /**
   * Where the change feed LISTENs: a direct PostgreSQL URL (LISTEN needs a session of its own,
   * which PgBouncer's transaction pooling does not give). null with the embedded database.
   */
  listenUrl: string | null;
  /** Where the embedded database keeps its files. */
  dataDir: string;
  /** A secret always accepted as an admin key; how deployments bootstrap. */
  bootstrapAdminKey: string | null;
  /** Signs client tokens; null = a secret generated once and kept in the database. */
  tokenSecret: string | null;
  /** `auto` seeds the demo catalog into an empty database. */
  demoData: 'auto' | 'off';
  introspection: boolean;
  poolMax: number;
  logLevel: string;
  /** The Stripe connection; each part is off (null) until its variable is set. */
  stripe: {
    /** Verifies `POST /webhooks/stripe`; null answers that route 503. */
    webhookSecret: string | null;
    /** Lets Tollgate read subscriptions and customers from Stripe (checkout, reconciliation). */
    apiKey: string | null;
    apiBase: StripeApiBase | null;
  };
  /** Days a PAST_DUE subscription keeps its plan when its plan version sets no pastDueGraceDays. */
  pastDueGraceDays: number;
  /** Live updates (GraphQL over WebSocket): the bounds that keep one client from taking the process. */
  live: LiveConfig;
  /** TOLLGATE_CORS_ORIGINS: the exact origins whose pages may call Tollgate from a browser; none by default. */
  corsOrigins: string[];
  /** GraphiQL at GET /graphql for browsers: on in development, off in production unless TOLLGATE_GRAPHQL_IDE is set. */
  graphqlIde: boolean;
  /** TOLLGATE_METRICS_TOKEN: the bearer token of GET /metrics; null = no metrics route and no instrumentation. */
  metricsToken: string | null;
  /** Where people open Tollgate (invite and reset links start with it; https makes the session cookie Secure); null: the address it listens on. */
  publicUrl: string | null;
  /**
   * TOLLGATE_TRUST_PROXY: whose X-Forwarded-For and X-Forwarded-Proto to believe: the client
   * address that sign-in limits and the live socket bound per address count, and https for the cookie.
   */
  trustProxy: ProxyTrust;
  /** Operators: sessions, sign-in limits and the override policy. */
  operators: OperatorsConfig;
  /** Single sign-on with OpenID Connect; null unless TOLLGATE_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET are all set. */
  oidc: OidcConfig | null;
  /** How the change feed proves it is alive, and how old a cached read may get. */
  feed: FeedConfig;
  /**
   * Days the usage ledger (usage_event) keeps its rows: a month's partition is dropped once its
   * last day is this far back. Counters are kept regardless. At least 35 (the idempotency key window).
   */
  usageRetentionDays: number;
}

/** How operators sign in and what they may do alone; docs/operators.md lists the variables. */
export interface OperatorsConfig {
  /** An operator's override grant (and a SUPPORT operator's trial extension) may reach at most this many days ahead without a second person. */
  overridePolicyDays: number;
  /** A session unused this long ends. */
  sessionIdleMinutes: number;
  /** A session ends this long after sign-in, however busy. */
  sessionMaxHours: number;
  /** Failed sign-ins for one email from one client address before that address is locked out of that email for `lockoutMinutes`. */
  maxFailuresPerEmail: number;
  /** Failed sign-ins for one email from all addresses together before the email is locked out (a spread-out attack); much higher. */
  maxFailuresPerEmailAllAddresses: number;
  /** Failed sign-ins from one client address (any emails) before it is locked out for `lockoutMinutes`. */
  maxFailuresPerAddress: number;
  lockoutMinutes: number;
}

/** Single sign-on with an OpenID Connect provider; docs/operators.md, "Setting up single sign-on". */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Lowercased email domains whose people may sign in (an exact match of the part after @). */
  allowedDomains: string[];
  /** The ID token (or userinfo) claim naming the role: a string or a list of strings. */
  roleClaim: string;
  /** Claim values to role names (checked against the roles when single sign-on starts); a value that is itself a role's name (any case) means that role. */
  roleMap: Record<string, string>;
  /** The role name of a first sign-in whose claim names no role; null (NONE) refuses them. */
  defaultRole: string | null;
}

/** The change feed's heartbeat and the caches' age limit; docs/live-updates.md explains both. */
export interface FeedConfig {
  /**
   * A heartbeat goes through PostgreSQL (NOTIFY, back on the LISTEN connection) this often; one
   * not back within the same time is missed, and the connection is replaced.
   */
  heartbeatMs: number;
  /** The oldest a cached catalog, account state or API key may be, feed or no feed (at most 30 s). */
  cacheMaxAgeMs: number;
}

/** Bounds and pacing of live updates; docs/live-updates.md lists them with their variables. */
export interface LiveConfig {
  /** Active subscriptions one WebSocket may hold; more are refused with TOO_MANY_SUBSCRIPTIONS. */
  maxSubscriptionsPerConnection: number;
  /** Active subscriptions of one API key (or of one account's client tokens) in this process. */
  maxSubscriptionsPerKey: number;
  /** Active subscriptions in this process, all callers together. */
  maxSubscriptions: number;
  /** The largest message a client may send (ws maxPayload); a bigger one closes the socket with 1009. */
  maxMessageBytes: number;
  /** Unsent bytes a socket may hold before it counts as a slow consumer and is closed (4503). */
  maxBufferedBytes: number;
  /** At most one push per account per this many milliseconds; the first goes out at once. */
  coalesceMs: number;
  /** Active subscriptions of one account's client tokens in this process (a browser's bound). */
  maxSubscriptionsPerAccountToken: number;
  /** Open sockets of one account's client tokens in this process. */
  maxSocketsPerAccountToken: number;
  /** Open sockets from one client address (before authentication), whoever's credential they carry. */
  maxSocketsPerAddress: number;
}

/**
 * Reads and validates the environment. Throws one error listing every bad variable, so a
 * misconfigured deployment fails at start and says what to fix.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TollgateConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  const production = values.NODE_ENV === 'production';
  return {
    production,
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL ?? null,
    listenUrl: values.DATABASE_URL ? (values.TOLLGATE_LISTEN_URL ?? values.DATABASE_URL) : null,
    dataDir: resolve(values.TOLLGATE_DATA_DIR),
    bootstrapAdminKey: values.TOLLGATE_ADMIN_KEY ?? null,
    tokenSecret: values.TOLLGATE_TOKEN_SECRET ?? null,
    demoData: values.TOLLGATE_DEMO_DATA,
    introspection: values.TOLLGATE_INTROSPECTION ?? !production,
    poolMax: values.TOLLGATE_DB_POOL_MAX,
    logLevel: values.LOG_LEVEL,
    stripe: {
      webhookSecret: values.STRIPE_WEBHOOK_SECRET ?? null,
      apiKey: values.STRIPE_API_KEY ?? null,
      apiBase: values.STRIPE_API_BASE ? stripeApiBase(values.STRIPE_API_BASE) : null,
    },
    pastDueGraceDays: values.TOLLGATE_PAST_DUE_GRACE_DAYS,
    live: {
      maxSubscriptionsPerConnection: values.TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxSubscriptionsPerKey: values.TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_KEY,
      maxSubscriptions: values.TOLLGATE_LIVE_MAX_SUBSCRIPTIONS,
      maxMessageBytes: values.TOLLGATE_LIVE_MAX_MESSAGE_BYTES,
      maxBufferedBytes: values.TOLLGATE_LIVE_MAX_BUFFERED_BYTES,
      coalesceMs: values.TOLLGATE_LIVE_COALESCE_MS,
      maxSubscriptionsPerAccountToken: values.TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_ACCOUNT_TOKEN,
      maxSocketsPerAccountToken: values.TOLLGATE_LIVE_MAX_SOCKETS_PER_ACCOUNT_TOKEN,
      maxSocketsPerAddress: values.TOLLGATE_LIVE_MAX_SOCKETS_PER_ADDRESS,
    },
    feed: {
      heartbeatMs: values.TOLLGATE_FEED_HEARTBEAT_MS,
      cacheMaxAgeMs: values.TOLLGATE_CACHE_MAX_AGE_MS,
    },
    corsOrigins: values.TOLLGATE_CORS_ORIGINS.map((origin) => origin.toLowerCase()),
    graphqlIde: values.TOLLGATE_GRAPHQL_IDE ?? !production,
    metricsToken: values.TOLLGATE_METRICS_TOKEN ?? null,
    publicUrl: values.TOLLGATE_PUBLIC_URL ? values.TOLLGATE_PUBLIC_URL.replace(/\/+$/, '') : null,
    trustProxy: trustProxy(values.TOLLGATE_TRUST_PROXY),
    operators: {
      overridePolicyDays: values.TOLLGATE_OVERRIDE_POLICY_DAYS,
      sessionIdleMinutes: values.TOLLGATE_SESSION_IDLE_MINUTES,
      sessionMaxHours: values.TOLLGATE_SESSION_MAX_HOURS,
      maxFailuresPerEmail: values.TOLLGATE_SIGN_IN_MAX_FAILURES_PER_EMAIL,
      maxFailuresPerEmailAllAddresses: Math.max(values.TOLLGATE_SIGN_IN_MAX_FAILURES_PER_EMAIL_ALL_ADDRESSES, values.TOLLGATE_SIGN_IN_MAX_FAILURES_PER_EMAIL),
      maxFailuresPerAddress: values.TOLLGATE_SIGN_IN_MAX_FAILURES_PER_ADDRESS,
      lockoutMinutes: values.TOLLGATE_SIGN_IN_LOCKOUT_MINUTES,
    },
    oidc: values.TOLLGATE_OIDC_ISSUER && values.TOLLGATE_OIDC_CLIENT_ID && values.TOLLGATE_OIDC_CLIENT_SECRET
      ? {
          issuer: values.TOLLGATE_OIDC_ISSUER,
          clientId: values.TOLLGATE_OIDC_CLIENT_ID,
          clientSecret: values.TOLLGATE_OIDC_CLIENT_SECRET,
          allowedDomains: values.TOLLGATE_OIDC_ALLOWED_DOMAINS,
          roleClaim: values.TOLLGATE_OIDC_ROLE_CLAIM,
          roleMap: values.TOLLGATE_OIDC_ROLE_MAP,
          defaultRole: values.TOLLGATE_OIDC_DEFAULT_ROLE === 'NONE' ? null : values.TOLLGATE_OIDC_DEFAULT_ROLE,
        }
      : null,
    usageRetentionDays: values.TOLLGATE_USAGE_RETENTION_DAYS,
  };
}

/**
 * TOLLGATE_TRUST_PROXY as proxy-addr's trust function, which Fastify (request.ip, request.protocol)
 * and the WebSocket upgrade (a socket's client address) both apply: off by default (a client
 * could claim any address), every hop, the nearest N hops, or the listed proxies.
 */
function trustProxy(value: string | undefined): ProxyTrust {
  if (value === undefined || value === 'false') return () => false;
  if (value === 'true') return () => true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return proxyaddr.compile(value.split(',').map((part) => part.trim()).filter(Boolean));
}

/** Whether proxy-addr (which reads X-Forwarded-For behind them) accepts every entry of the trusted proxies. */
function trustable(proxies: string[]): boolean {
  try {
    proxyaddr.compile(proxies);
    return true;
  } catch {
    return false;
  }
}

/** The `stripe` client's host, port and protocol options from one URL. */
function stripeApiBase(url: string): StripeApiBase {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : protocol === 'http' ? 80 : 443, protocol };
}

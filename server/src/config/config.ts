import { resolve } from 'node:path';
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
  TOLLGATE_USAGE_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(35, 'TOLLGATE_USAGE_RETENTION_DAYS must be at least 35: idempotency keys hold for 35 days, and so must the ledger')
    .max(36_500)
    .default(400),
});

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
  /**
   * Days the usage ledger (usage_event) keeps its rows: a month's partition is dropped once its
   * last day is this far back. Counters are kept regardless. At least 35 (the idempotency key window).
   */
  usageRetentionDays: number;
}

/** Bounds and pacing of live updates; the README's "Live updates" lists them with their variables. */
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
    },
    usageRetentionDays: values.TOLLGATE_USAGE_RETENTION_DAYS,
  };
}

/** The `stripe` client's host, port and protocol options from one URL. */
function stripeApiBase(url: string): StripeApiBase {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : protocol === 'http' ? 80 : 443, protocol };
}

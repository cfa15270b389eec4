import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { MikroORM } from '@mikro-orm/postgresql';
import { systemClock } from './clock.js';
import { loadConfig } from './config/index.js';
import { ChangeFeed, initORM, startEmbeddedDatabase, type EmbeddedDatabase } from './db/index.js';
import { entities } from './entities.js';
import { OperatorsService, type IssuedLink } from './operators/index.js';
import { OPERATOR_ROLES } from './vocabulary/index.js';

/**
 * `npm run operator -- create --email E --name N --role ROLE`: invites an operator and prints
 * their one-time sign-in link (72 h), the way into a new installation before anyone can sign
 * in. It writes to the database of the environment (DATABASE_URL, or the embedded one in
 * TOLLGATE_DATA_DIR) directly, audited as `command line (npm run operator)`. While a server holds
 * the embedded database, it asks that server instead (TOLLGATE_ADMIN_KEY, TOLLGATE_URL).
 *
 * Exit status: 0 with the link printed, 1 for a refusal (bad arguments, the email taken), 2 when
 * the database or server could not be reached.
 */
const USAGE = `Usage: npm run operator -- create --email <email> --name <name> --role <${OPERATOR_ROLES.join('|')}>`;

const { positionals, values } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(1);
  }
})();
if (positionals[0] !== 'create' || !values.email || !values.name || !values.role) {
  console.error(USAGE);
  process.exit(1);
}
const input = { email: values.email, name: values.name, role: values.role.toUpperCase() };

const config = loadConfig();
let issued: IssuedLink | { link: string; expiresAt: Date; operator: { email: string; role: string } };
try {
  issued = await inviteDirectly().catch(async (error: Error & { code?: string }) => {
    if (error.code !== 'DATA_DIRECTORY_IN_USE') throw error;
    return inviteThroughServer(error.message);
  });
} catch (error) {
  const refusal = error as Error & { extensions?: { code?: string } };
  if (refusal.extensions?.code) {
    console.error(`${refusal.extensions.code}: ${refusal.message}`);
    process.exit(1);
  }
  console.error(refusal.message);
  process.exit(2);
}
console.log([
  `Invited ${issued.operator.email} as ${issued.operator.role}. Give them this one-time link (it works once, until ${issued.expiresAt.toISOString()}):`,
  `  ${issued.link}`,
].join('\n'));
process.exit(0);

async function inviteDirectly(): Promise<IssuedLink> {
  let embedded: EmbeddedDatabase | null = null;
  let orm: MikroORM | null = null;
  try {
    if (!config.databaseUrl) embedded = await startEmbeddedDatabase(config.dataDir);
    orm = await initORM({ clientUrl: config.databaseUrl ?? embedded!.url, poolMax: 2, shared: !embedded, entities });
    // Not listening: the invite's change is sent to the running servers with its commit.
    const feed = new ChangeFeed(embedded ? null : config.databaseUrl);
    const operators = new OperatorsService(orm, feed, systemClock, {
      sessionIdleMs: config.operators.sessionIdleMinutes * 60_000,
      sessionMaxMs: config.operators.sessionMaxHours * 3600_000,
      maxFailuresPerEmail: config.operators.maxFailuresPerEmail,
      maxFailuresPerEmailAllAddresses: config.operators.maxFailuresPerEmailAllAddresses,
      maxFailuresPerAddress: config.operators.maxFailuresPerAddress,
      lockoutMs: config.operators.lockoutMinutes * 60_000,
      publicUrl: config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`,
      overridePolicyDays: config.operators.overridePolicyDays,
    });
    return await operators.inviteFromCommandLine(input);
  } finally {
    await orm?.close(true);
    await embedded?.stop();
  }
}

/** The embedded database belongs to a running server: ask it, with the admin key. */
async function inviteThroughServer(inUse: string): Promise<{ link: string; expiresAt: Date; operator: { email: string; role: string } }> {
  const adminKey = config.bootstrapAdminKey;
  if (!adminKey) throw new Error(`${inUse}\nStop it first, or run this with TOLLGATE_ADMIN_KEY (and TOLLGATE_URL) to invite through it.`);
  const url = process.env.TOLLGATE_URL ?? `http://127.0.0.1:${config.port}/graphql`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({
      query: 'mutation ($input: InviteOperatorInput!) { inviteOperator(input: $input) { link expiresAt operator { email role } } }',
      variables: { input },
    }),
  }).catch((error: Error) => {
    throw new Error(`Could not reach Tollgate at ${url}: ${error.message}`);
  });
  const body = (await response.json()) as { data?: { inviteOperator: { link: string; expiresAt: string; operator: { email: string; role: string } } }; errors?: { message: string; extensions?: { code?: string } }[] };
  const error = body.errors?.[0];
  if (error || !body.data) throw Object.assign(new Error(error?.message ?? `HTTP ${response.status}`), { extensions: error?.extensions ?? { code: 'ERROR' } });
  return { ...body.data.inviteOperator, expiresAt: new Date(body.data.inviteOperator.expiresAt) };
}

import { loadConfig } from './config/index.js';
import { STRIPE_WEBHOOK_PATH } from './http/index.js';
import { startServer } from './server.js';

/** `npm start`: the service with the configuration of the environment. */
const config = loadConfig();
const server = await startServer(config).catch((error: Error & { code?: string }) => {
  // A refusal that says what to do (the data directory has another owner) needs no stack trace.
  console.error(error.code === 'DATA_DIRECTORY_IN_USE' ? error.message : error);
  process.exit(1);
});

const lines = [
  '',
  `Tollgate is running on the ${server.database === 'embedded' ? `embedded database (${config.dataDir})` : 'PostgreSQL of DATABASE_URL'}.`,
  `  GraphQL:  ${server.graphqlUrl}${config.production ? '' : '  (open it in a browser for the sandbox)'}`,
  `  Health:   ${server.url}/healthz   ${server.url}/readyz`,
  config.stripe.webhookSecret
    ? `  Stripe:   webhooks on at ${server.url}${STRIPE_WEBHOOK_PATH}; API key ${config.stripe.apiKey ? 'yes' : 'no (checkout links only; set STRIPE_API_KEY to apply its subscription at once)'}`
    : `  Stripe:   webhooks off (set STRIPE_WEBHOOK_SECRET to enable ${STRIPE_WEBHOOK_PATH}); API key ${config.stripe.apiKey ? 'yes' : 'no'}`,
];
if (server.demo) {
  const token = await server.services.auth.createClientToken({ accountId: server.demo.accountId, ttlSeconds: 3600 });
  lines.push(
    '',
    'Seeded the demo catalog (free, pro, enterprise; api_calls, projects, notes, seats, export_csv, sso, scim; api_calls_boost)',
    `and the account "${server.demo.accountId}". These keys are shown once; keep them:`,
    `  admin key:   ${server.demo.adminKey}`,
    `  server key:  ${server.demo.serverKey}`,
    `  client token for "${server.demo.accountId}" (1 hour): ${token.token}`,
    '',
    `Console: sign in as the demo OWNER (${server.demo.ownerEmail}) by opening this one-time link (72 hours) and choosing a password:`,
    `  ${server.demo.ownerLink}`,
    '',
    'Try:',
    `  curl -s ${server.graphqlUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${server.demo.serverKey}' \\`,
    `    -d '{"query":"query ($account: ID!, $feature: String!) { entitlement(accountId: $account, feature: $feature) { allowed reason plan { key } } }","variables":{"account":"${server.demo.accountId}","feature":"export_csv"}}'`,
  );
} else if (!config.bootstrapAdminKey) {
  lines.push('', 'Demo keys were printed on the first start. Lost them? Start with TOLLGATE_ADMIN_KEY=<a secret> to get in as admin.');
}
console.log(lines.join('\n') + '\n');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

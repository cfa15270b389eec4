/**
 * The server's architecture, checked on every `npm run lint` (and so in CI). Each rule says
 * why it exists; a violation prints the rule's name and comment.
 *
 * Domains (folders of server/src) may use, at run time, only the domains listed for them here:
 * the list is a direction, lowest first, so no two domains can depend on each other in a circle.
 * Type-only imports are free (they vanish at run time). The root files (main.ts, services.ts,
 * entities.ts, mikro-orm.cli.ts, clock.ts, instrumentation.ts) are composition roots and may use any domain.
 */
const mayUse = {
  vocabulary: [],
  config: [],
  validation: ['vocabulary'],
  db: ['validation', 'vocabulary'],
  access: ['vocabulary'],
  audit: ['access', 'db', 'validation', 'vocabulary'],
  catalog: ['access', 'audit', 'db', 'validation', 'vocabulary'],
  entitlements: ['access', 'catalog', 'db', 'validation', 'vocabulary'],
  overrides: ['access', 'audit', 'catalog', 'db', 'entitlements', 'validation', 'vocabulary'],
  accounts: ['access', 'audit', 'catalog', 'db', 'entitlements', 'overrides', 'validation', 'vocabulary'],
  offers: ['access', 'catalog', 'entitlements', 'validation', 'vocabulary'],
  metering: ['access', 'audit', 'db', 'entitlements', 'offers', 'validation', 'vocabulary'],
  auth: ['access', 'accounts', 'audit', 'db', 'entitlements', 'validation', 'vocabulary'],
  billing: ['access', 'accounts', 'audit', 'catalog', 'db', 'entitlements', 'validation', 'vocabulary'],
  'plan-migrations': ['access', 'accounts', 'audit', 'catalog', 'db', 'entitlements', 'validation', 'vocabulary'],
  operators: ['access', 'audit', 'db', 'validation', 'vocabulary'],
  demo: ['access', 'accounts', 'catalog'],
  shadow: ['access', 'catalog', 'db', 'entitlements', 'validation', 'vocabulary'],
  live: ['access', 'db', 'entitlements', 'overrides'],
  metrics: ['vocabulary'],
  schema: ['accounts', 'audit', 'auth', 'billing', 'catalog', 'entitlements', 'live', 'metering', 'offers', 'operators', 'overrides', 'plan-migrations', 'shadow', 'validation'],
  http: ['access', 'billing', 'config', 'db', 'live', 'metrics', 'operators', 'schema', 'validation'],
};

/** The pure evaluator: plain functions over plain data, importing only each other and the vocabulary. */
const pureEvaluator = '^server/src/entitlements/(evaluate|decision|evaluation-input|period-bounds|override-in-force|subscription-phase|subscription-at|billing-period)\\.ts$';

/**
 * Billing sync's pure half: the one schema of Stripe's objects (zod, the validation library, is its
 * only outside import), Stripe objects to provider subscriptions, and those to Tollgate's fields.
 * Reconciliation reuses it.
 */
const pureBillingMapping = '^server/src/billing/(stripe-schema|stripe-mapping|provider-subscription)\\.ts$';

const layerRules = Object.entries(mayUse).map(([domain, allowed]) => ({
  name: `layer-${domain}`,
  comment:
    `server/src/${domain} may use only ${allowed.length ? allowed.join(', ') : 'no other domain'} at run time. ` +
    'Domains depend in one direction (see .dependency-cruiser.cjs and the Layout in docs/development.md) so that none can reach back ' +
    'into one that depends on it; pass what it needs in from services.ts, or move the shared piece down.',
  severity: 'error',
  // Entity files are checked by entity-relations instead: the relational model is one graph.
  from: { path: `^server/src/${domain}/`, pathNot: '\\.entity\\.ts$' },
  to: {
    path: '^server/src/[^/]+/',
    pathNot: [`^server/src/(${[domain, ...allowed].join('|')})/`],
    dependencyTypesNot: ['type-only'],
  },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'through-index',
      comment:
        'Another domain is used only through its index.ts, which says what it offers; reaching into its files couples ' +
        'you to how it is built. (Entity files are the exception below.)',
      severity: 'error',
      from: { path: '^server/src/([^/]+)/', pathNot: '\\.entity\\.ts$' },
      to: { path: '^server/src/[^/]+/', pathNot: ['^server/src/$1/', '^server/src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'entity-relations',
      comment:
        'An entity may name another domain\'s entity file directly: relations between entities are the database\'s own ' +
        'links (foreign keys) and span domains. Anything else goes through index.ts.',
      severity: 'error',
      from: { path: '^server/src/([^/]+)/.+\\.entity\\.ts$' },
      to: { path: '^server/src/[^/]+/', pathNot: ['^server/src/$1/', '^server/src/[^/]+/index\\.ts$', '\\.entity\\.ts$'] },
    },
    {
      name: 'pure-evaluator',
      comment:
        'The evaluator and period arithmetic are pure: the same inputs always give the same decision, and they load ' +
        'nothing that does I/O (no ORM, GraphQL, pg or Fastify), so they run anywhere, the SDK included.',
      severity: 'error',
      from: { path: pureEvaluator },
      to: { pathNot: [pureEvaluator, '^server/src/vocabulary/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-billing-mapping',
      comment:
        'Mapping Stripe objects to provider subscriptions, and those to Tollgate\'s subscription fields, is pure: same objects, ' +
        'same fields, no ORM, GraphQL or network, so webhooks and reconciliation decide alike and it is tested as a table.',
      severity: 'error',
      from: { path: pureBillingMapping },
      to: { pathNot: [pureBillingMapping, '^server/src/vocabulary/', '^node_modules/zod/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-composition-root',
      comment:
        'Domains never import the composition root (services.ts), not even for a type: a resolver names the slice of ' +
        'context it reads in its own <domain>.context.ts, and services.ts checks that its GraphQLContext covers every ' +
        'slice. So the import graph stays a tree, and a domain can be read without the whole server.',
      severity: 'error',
      from: { path: '^server/src/[^/]+/' },
      to: { path: '^server/src/services\\.ts$' },
    },
    {
      name: 'pure-vocabulary',
      comment: 'The vocabulary is plain lists and rules: it imports nothing, so everything can derive from it.',
      severity: 'error',
      from: { path: '^server/src/vocabulary/' },
      to: { pathNot: '^server/src/vocabulary/' },
    },
    {
      name: 'no-circular',
      comment:
        'A module cycle makes load order matter and half-initialised imports possible; break it. (Two entities that ' +
        'name each other in a two-way relation are not one: the ORM resolves their thunks after loading.)',
      severity: 'error',
      from: { path: '^server/src/', pathNot: '\\.entity\\.ts$' },
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'domains-not-roots',
      comment: 'Domains are handed what they need by the composition roots (services.ts, entities.ts); they never import them at run time.',
      severity: 'error',
      from: { path: '^server/src/[^/]+/' },
      to: { path: '^server/src/[^/]+\\.ts$', pathNot: '^server/src/clock\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'server', 'tsconfig.json') },
    reporterOptions: {
      dot: { collapsePattern: '^server/src/[^/]+' },
    },
  },
};

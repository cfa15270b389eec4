import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { countedFeatureKeys, featureKeys, hostileCatalog } from './hostile-catalog.js';
import {
  eventDate,
  futureDate,
  hostileDate,
  hostileMetadata,
  hostileNumber,
  hostileString,
  integerOrHostile,
  optional,
  quantity,
  Repeated,
  StateRef,
  validOrHostile,
} from './hostile-values.js';

/** One generated request: a mutation, who sends it, and its variables (placeholders included). */
export interface HostileStep {
  mutation: string;
  as: 'admin' | 'server';
  variables: Record<string, unknown>;
}

/** The API contract, as committed at the repository root. */
export const contractSchema: GraphQLSchema = buildSchema(
  readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'),
);

/**
 * The document of one mutation, its variables declared with the types the contract gives its
 * arguments (so it keeps working when an argument's scalar changes, such as Int to Quantity).
 */
export function mutationDocument(name: string): string {
  const field = contractSchema.getMutationType()!.getFields()[name];
  if (!field) throw new Error(`schema.graphql has no mutation "${name}"`);
  const definitions = field.args.map((arg) => `$${arg.name}: ${arg.type}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return `mutation (${definitions}) { ${name}(${args}) ${selections[name] ?? ''} }`;
}

const money = 'amount currency formatted';
const entitlement = `accountId feature featureName kind unit allowed reason limit used remaining requested softLimitReached
  resetsAt expiresAt missingFeatures source { planVersionId addOns overrideIds } plan { key name version }`;
const offer = `kind key name version quantity price { ${money} } interval priceDifference { ${money} } newLimit unlocks recommended`;
const override = `id accountId feature effect value startsAt endsAt permanent reason approvedBy createdBy createdAt
  revokedAt revokedBy revokeReason active`;
const planVersion = `id plan planName version status price { ${money} } interval trialDays pastDueGraceDays billingPriceIds createdAt publishedAt
  entitlements { feature enabled limit period softLimitPercent overage }`;
const account = `id name metadata createdAt updatedAt billingCustomerIds
  subscription { id status phase plan trialEndsAt graceEndsAt convertedAt currentPeriodStart currentPeriodEnd addOns { addOn quantity }
    cancelAtPeriodEnd canceledAt pinned scheduledChange { plan version name at } billingProviderIds { stripeCustomerId stripeSubscriptionId }
    planVersion { id plan version status } }
  activeOverrides { id } overrides { ${override} }`;
const apiKey = 'id name role prefix createdBy createdAt revokedAt';
const usage = 'feature used limit remaining periodStart periodEnd softLimitReached';
const comparison = 'accountId feature requested allowed reason limit used remaining legacyAllowed legacyLimit agreed disagreement comparedAt';

const operator = 'id email name role state createdAt createdBy deactivatedAt';
const overrideRequest = `id status input { accountId feature effect value startsAt endsAt permanent reason } requestedBy requestedAt decidedBy decidedAt
  decisionNote override { ${override} }`;

/** Every field of an entitlement, an offer, usage and an account, for the readability check. */
export const fields = { entitlement, offer, account, usage };

/** What each mutation's answer asks for: every field, so that serializing them is tested too. */
const selections: Record<string, string> = {
  createFeature: '{ id key name description kind unit requires createdAt }',
  createPlan: `{ id key name description rank isDefault createdAt versions { ${planVersion} } currentVersion { id version } }`,
  createPlanVersion: `{ ${planVersion} }`,
  updatePlanVersion: `{ ${planVersion} }`,
  publishPlanVersion: `{ ${planVersion} }`,
  createAddOn: `{ id key name description price { ${money} } interval billingPriceId grants { feature enable limitIncrement } }`,
  upsertAccount: `{ ${account} }`,
  changePlan: `{ ${account} }`,
  setAddOn: `{ ${account} }`,
  updateSubscriptionStatus: `{ ${account} }`,
  extendTrial: `{ ${account} }`,
  cancelSubscription: `{ ${account} }`,
  reconcileBilling: '{ id applied providerSubscriptions tollgateSubscriptions fixed mismatches { kind accountId message fixable fixed } }',
  grantOverride: `{ ${override} }`,
  revokeOverride: `{ ${override} }`,
  consume: `{ ok overage entitlement { ${entitlement} } offers { ${offer} } }`,
  release: `{ ok overage entitlement { ${entitlement} } offers { ${offer} } }`,
  setUsage: `{ ${usage} }`,
  reportUsage: '{ accepted refused duplicates failed results { index idempotencyKey status used code message } }',
  createApiKey: `{ secret apiKey { ${apiKey} } }`,
  revokeApiKey: `{ ${apiKey} }`,
  createClientToken: '{ token expiresAt }',
  linkBillingCustomer: `{ ${account} }`,
  compareEntitlement: `{ ${comparison} }`,
  compareEntitlements: `{ compared agreed disagreed failed results { index code message comparison { ${comparison} } } }`,
  startPlanMigration: `{ id status plan fromVersions toPlan toVersion accountIds effective reason actor total migrated skipped failed pending
    error startedAt finishedAt accounts(first: 10) { edges { cursor node { accountId fromVersion outcome reason } } pageInfo { hasNextPage endCursor } } }`,
  inviteOperator: `{ link expiresAt operator { ${operator} } }`,
  setOperatorRole: `{ ${operator} }`,
  deactivateOperator: `{ ${operator} }`,
  endOperatorSession: `{ ${operator} }`,
  createPasswordResetLink: `{ link expiresAt operator { ${operator} } }`,
  requestOverride: `{ ${overrideRequest} }`,
  approveOverrideRequest: `{ ${overrideRequest} }`,
  rejectOverrideRequest: `{ ${overrideRequest} }`,
};

/** fc.record with plain objects, so counterexamples print without `__proto__: null`. */
function record<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }, requiredKeys?: (keyof T)[]): fc.Arbitrary<T> {
  return fc.record(model, { requiredKeys: requiredKeys ?? (Object.keys(model) as (keyof T)[]), noNullPrototype: true }) as fc.Arbitrary<T>;
}

// Field values: valid ones that name the seeded catalog and the run's own accounts, mixed with hostile ones.

const accountRef = fc.nat(2).map((index) => new StateRef('account', index));
const accountId = validOrHostile(
  fc.oneof({ arbitrary: accountRef, weight: 8 }, { arbitrary: fc.constant('no-such-account'), weight: 1 }),
  fc.oneof({ arbitrary: hostileString, weight: 4 }, { arbitrary: hostileNumber, weight: 1 }),
);
const newAccountId = validOrHostile(
  fc.oneof(
    accountRef,
    fc.stringMatching(/^[\x21-\x7e]{1,24}$/),
    fc.constantFrom(128, 129).map((length) => new Repeated('z', length)),
  ),
  hostileString,
);
const featureKey = validOrHostile(fc.constantFrom(...featureKeys, 'no_such_feature'), hostileString);
const countedFeatureKey = validOrHostile(fc.constantFrom(...countedFeatureKeys), hostileString, 5);
const planKey = validOrHostile(fc.constantFrom(...hostileCatalog.plans, 'no_such_plan'), hostileString);
const addOnKey = validOrHostile(fc.constantFrom(...hostileCatalog.addOns, 'no_such_add_on'), hostileString);
const newCatalogKey = validOrHostile(
  fc.oneof(
    fc.stringMatching(/^[a-z][a-z0-9_.-]{0,12}$/),
    fc.constantFrom(...featureKeys, ...hostileCatalog.plans, ...hostileCatalog.addOns),
    fc.constantFrom(64, 65).map((length) => new Repeated('k', length)),
  ),
  hostileString,
);
const text = (valid: fc.Arbitrary<string | Repeated>) => validOrHostile(valid, hostileString);
const displayName = text(fc.oneof(fc.string({ minLength: 1, maxLength: 16 }), fc.constantFrom('Ops', 'Ünïcødé 名前 😀')));
const reason = text(fc.constantFrom('support ticket 42', 'billing correction'));
const idempotencyKey = text(
  fc.oneof(
    { arbitrary: fc.constantFrom('k1', 'k2', 'k3'), weight: 2 },
    { arbitrary: fc.uuid(), weight: 3 },
    { arbitrary: fc.constantFrom(255, 256).map((length) => new Repeated('i', length)), weight: 1 },
  ),
);
// Stripe ids: a few, so that duplicates (a price mapped twice, a customer linked twice) are refused too.
const billingPriceId = validOrHostile(
  fc.oneof(fc.constantFrom('price_1HostileA', 'price_1HostileB', 'price_1HostileC'), fc.constantFrom(255, 256).map((length) => new Repeated('p', length))),
  hostileString,
);
const billingPriceIds = validOrHostile(fc.array(billingPriceId, { maxLength: 3 }), fc.constantFrom<unknown>(['price_1HostileA', 'price_1HostileA'], 'price_1HostileA', [null]), 5);
const billingCustomerId = validOrHostile(
  fc.oneof(fc.constantFrom('cus_HostileA', 'cus_HostileB'), fc.constantFrom('customer_1', 'cus_', 'cus_with space')),
  hostileString,
);
const enumValue = <T extends string>(...values: T[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 8 }, { arbitrary: fc.constantFrom<unknown>(values[0]!.toLowerCase(), '', 7), weight: 1 }, { arbitrary: hostileString, weight: 1 });
const bool = validOrHostile(fc.boolean(), fc.constantFrom<unknown>('true', 0, 1), 8);
// Operators and override requests: a few emails (so invites meet again), the run's own ids, made-up ones.
const operatorEmail = text(fc.oneof(
  fc.constantFrom('ops@example.com', 'Support@Example.org', 'a.b+c@example.co'),
  fc.emailAddress(),
  fc.constantFrom(320, 321).map((length) => new Repeated('e', length)),
));
const operatorRole = enumValue('VIEWER', 'SUPPORT', 'BILLING', 'PRICING', 'OWNER');
const operatorId = validOrHostile(fc.oneof(fc.nat(3).map((index) => new StateRef('operator', index)), fc.uuid()), hostileString);
const overrideRequestId = validOrHostile(fc.oneof(fc.nat(3).map((index) => new StateRef('overrideRequest', index)), fc.uuid()), hostileString);
const moneyInput = record({
  amount: integerOrHostile(fc.oneof(fc.constantFrom(0, 2900, 99_900, 2_147_483_647), fc.nat(100_000))),
  currency: text(fc.constantFrom('USD', 'EUR', 'JPY', 'usd', 'BHD', 'XXX')),
});
const planEntitlement = record(
  {
    feature: featureKey,
    enabled: optional(bool),
    limit: optional(quantity(fc.nat(1000))),
    period: optional(enumValue('HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR', 'BILLING_PERIOD', 'NEVER')),
    softLimitPercent: optional(integerOrHostile(fc.integer({ min: 1, max: 100 }))),
    overage: optional(enumValue('BLOCK', 'ALLOW')),
  }, ['feature'],
);
const planEntitlements = fc.array(planEntitlement, { maxLength: 4 });
const usageEvent = record(
  {
    accountId,
    feature: validOrHostile(fc.constantFrom('calls', 'tokens', 'seats', 'flag'), hostileString, 5),
    amount: quantity(),
    idempotencyKey,
    timestamp: optional(validOrHostile(eventDate, hostileDate)),
  }, ['accountId', 'feature', 'amount', 'idempotencyKey'],
);

const compareInput = record(
  {
    accountId,
    feature: featureKey,
    amount: optional(quantity()),
    legacyAllowed: bool,
    legacyLimit: optional(quantity(fc.nat(1000))),
  }, ['accountId', 'feature', 'legacyAllowed'],
);

/** Arbitraries of each mutation's variables, and who may call it. */
const mutationVariables: Record<string, { role: 'admin' | 'backend'; variables: fc.Arbitrary<Record<string, unknown>>; weight: number }> = {
  createFeature: {
    role: 'admin',
    weight: 2,
    variables: record({
      input: record(
        {
          key: newCatalogKey,
          name: displayName,
          kind: enumValue('SWITCH', 'QUANTITY', 'METERED'),
          unit: optional(text(fc.constantFrom('calls', 'MB'))),
          description: optional(text(fc.constant('A feature.'))),
          requires: optional(validOrHostile(fc.array(featureKey, { maxLength: 3 }), fc.constantFrom<unknown>(['sso', 'sso'], 'sso', [null]), 5)),
        }, ['key', 'name', 'kind'],
      ),
    }),
  },
  createPlan: {
    role: 'admin',
    weight: 2,
    variables: record({
      input: record(
        {
          key: newCatalogKey,
          name: displayName,
          rank: integerOrHostile(fc.oneof(fc.nat(100), fc.constantFrom(1_000_000, 1_000_001))),
          description: optional(text(fc.constant('A plan.'))),
          isDefault: optional(bool),
        }, ['key', 'name', 'rank'],
      ),
    }),
  },
  createPlanVersion: {
    role: 'admin',
    weight: 2,
    variables: record({
      input: record(
        {
          plan: planKey,
          price: validOrHostile(moneyInput, fc.constantFrom<unknown>(null, 5, { amount: 1 }), 8),
          interval: optional(enumValue('MONTH', 'YEAR')),
          trialDays: optional(integerOrHostile(fc.constantFrom(0, 7, 365, 366))),
          pastDueGraceDays: optional(integerOrHostile(fc.constantFrom(0, 3, 365, 366))),
          billingPriceIds: optional(billingPriceIds),
          entitlements: planEntitlements,
        }, ['plan', 'price', 'entitlements'],
      ),
    }),
  },
  updatePlanVersion: {
    role: 'admin',
    weight: 2,
    variables: record({
      input: record(
        {
          plan: validOrHostile(fc.constantFrom('drafts', 'drafts', 'pro'), hostileString),
          version: integerOrHostile(fc.integer({ min: 1, max: 4 })),
          price: optional(moneyInput),
          interval: optional(enumValue('MONTH', 'YEAR')),
          trialDays: optional(integerOrHostile(fc.constantFrom(0, 14, 365, 366))),
          pastDueGraceDays: optional(integerOrHostile(fc.constantFrom(0, 3, 365, 366))),
          billingPriceIds: optional(billingPriceIds),
          entitlements: optional(planEntitlements),
        }, ['plan', 'version'],
      ),
    }),
  },
  publishPlanVersion: {
    role: 'admin',
    weight: 1,
    variables: record({
      plan: validOrHostile(fc.constantFrom('drafts', 'pro', 'no_such_plan'), hostileString),
      version: integerOrHostile(fc.integer({ min: 1, max: 4 })),
    }),
  },
  createAddOn: {
    role: 'admin',
    weight: 2,
    variables: record({
      input: record(
        {
          key: newCatalogKey,
          name: displayName,
          description: optional(text(fc.constant('An add-on.'))),
          price: moneyInput,
          interval: optional(enumValue('MONTH', 'YEAR')),
          billingPriceId: optional(billingPriceId),
          grants: fc.array(
            record(
              { feature: featureKey, enable: optional(bool), limitIncrement: optional(quantity(fc.integer({ min: 1, max: 1000 }))) }, ['feature'],
            ),
            { maxLength: 3 },
          ),
        }, ['key', 'name', 'price', 'grants'],
      ),
    }),
  },
  upsertAccount: {
    role: 'backend',
    weight: 3,
    variables: record({
      input: record(
        { id: newAccountId, name: displayName, metadata: optional(hostileMetadata) }, ['id', 'name'],
      ),
    }),
  },
  changePlan: {
    role: 'backend',
    weight: 3,
    variables: record({
      input: record(
        {
          accountId,
          plan: planKey,
          version: optional(integerOrHostile(fc.integer({ min: 1, max: 3 }))),
          trial: optional(bool),
          at: optional(enumValue('NOW', 'PERIOD_END')),
          pinned: optional(bool),
          reason: optional(reason),
        }, ['accountId', 'plan'],
      ),
    }),
  },
  setAddOn: {
    role: 'backend',
    weight: 2,
    variables: record({
      accountId,
      addOn: addOnKey,
      quantity: integerOrHostile(fc.oneof(fc.nat(5), fc.constantFrom(10_000, 10_001))),
    }),
  },
  updateSubscriptionStatus: {
    role: 'backend',
    weight: 2,
    variables: record({
      input: record(
        {
          accountId,
          status: enumValue('ACTIVE', 'TRIALING', 'PAST_DUE', 'CANCELED', 'EXPIRED'),
          graceEndsAt: optional(validOrHostile(futureDate, hostileDate)),
          reason,
        }, ['accountId', 'status', 'reason'],
      ),
    }),
  },
  extendTrial: {
    role: 'admin',
    weight: 2,
    variables: record({
      input: record(
        {
          accountId,
          endsAt: validOrHostile(futureDate, hostileDate),
          reason,
          approvedBy: displayName,
        }, ['accountId', 'endsAt', 'reason', 'approvedBy'],
      ),
    }),
  },
  reconcileBilling: {
    role: 'admin',
    weight: 1,
    variables: record({ apply: optional(bool) }),
  },
  cancelSubscription: {
    role: 'backend',
    weight: 2,
    variables: record({
      input: record({ accountId, atPeriodEnd: optional(bool), reason }, ['accountId', 'reason']),
    }),
  },
  grantOverride: {
    role: 'admin',
    weight: 3,
    variables: record({
      input: record(
        {
          accountId,
          feature: featureKey,
          effect: enumValue('GRANT', 'REVOKE', 'SET_LIMIT', 'ADD_LIMIT'),
          value: optional(quantity(fc.nat(1000))),
          startsAt: optional(validOrHostile(fc.constantFrom<unknown>('2020-01-01T00:00:00Z'), hostileDate, 1)),
          endsAt: optional(validOrHostile(futureDate, hostileDate)),
          permanent: optional(bool),
          reason,
          approvedBy: displayName,
        }, ['accountId', 'feature', 'effect', 'reason', 'approvedBy'],
      ),
    }),
  },
  revokeOverride: {
    role: 'admin',
    weight: 2,
    variables: record({
      id: validOrHostile(fc.oneof(fc.nat(5).map((index) => new StateRef('override', index)), fc.uuid()), hostileString),
      reason,
    }),
  },
  consume: {
    role: 'backend',
    weight: 5,
    variables: record({
      input: record(
        { accountId, feature: countedFeatureKey, amount: optional(quantity()), idempotencyKey }, ['accountId', 'feature', 'idempotencyKey'],
      ),
    }),
  },
  release: {
    role: 'backend',
    weight: 2,
    variables: record({
      input: record(
        { accountId, feature: countedFeatureKey, amount: optional(quantity()), idempotencyKey }, ['accountId', 'feature', 'idempotencyKey'],
      ),
    }),
  },
  setUsage: {
    role: 'backend',
    weight: 3,
    variables: record({
      input: record({ accountId, feature: countedFeatureKey, value: quantity(fc.nat(1000)), reason }),
    }),
  },
  reportUsage: {
    role: 'backend',
    weight: 5,
    variables: record({
      events: validOrHostile(
        fc.array(usageEvent, { maxLength: 6 }),
        fc.oneof(
          fc.constantFrom(1000, 1001).map((count) => new Repeated({ accountId: new StateRef('account', 0), feature: 'calls', amount: 1, idempotencyKey: 'same' }, count)),
          fc.constantFrom<unknown>([null], {}, 'calls'),
        ),
        8,
      ),
    }),
  },
  inviteOperator: {
    role: 'admin',
    weight: 2,
    variables: record({ input: record({ email: operatorEmail, name: displayName, role: operatorRole }) }),
  },
  setOperatorRole: { role: 'admin', weight: 1, variables: record({ id: operatorId, role: operatorRole }) },
  deactivateOperator: { role: 'admin', weight: 1, variables: record({ id: operatorId }) },
  // Session ids are 32 hex characters of the stored hash: a made-up one is SESSION_NOT_FOUND.
  endOperatorSession: { role: 'admin', weight: 1, variables: record({ operatorId, sessionId: validOrHostile(fc.stringMatching(/^[0-9a-f]{32}$/), hostileString) }) },
  createPasswordResetLink: { role: 'admin', weight: 1, variables: record({ id: operatorId }) },
  requestOverride: {
    role: 'admin',
    weight: 2,
    variables: record({
      input: record(
        {
          accountId,
          feature: featureKey,
          effect: enumValue('GRANT', 'REVOKE', 'SET_LIMIT', 'ADD_LIMIT'),
          value: optional(quantity(fc.nat(1000))),
          startsAt: optional(validOrHostile(futureDate, hostileDate, 1)),
          endsAt: optional(validOrHostile(futureDate, hostileDate)),
          permanent: optional(bool),
          reason,
        }, ['accountId', 'feature', 'effect', 'reason'],
      ),
    }),
  },
  approveOverrideRequest: { role: 'admin', weight: 1, variables: record({ id: overrideRequestId, note: optional(reason) }, ['id']) },
  rejectOverrideRequest: { role: 'admin', weight: 1, variables: record({ id: overrideRequestId, reason }) },
  createApiKey: {
    role: 'admin',
    weight: 1,
    variables: record({ input: record({ name: displayName, role: enumValue('SERVER', 'ADMIN') }) }),
  },
  revokeApiKey: {
    role: 'admin',
    weight: 1,
    variables: record({
      id: validOrHostile(fc.oneof(fc.nat(3).map((index) => new StateRef('apiKey', index)), fc.uuid()), hostileString),
    }),
  },
  startPlanMigration: {
    role: 'admin',
    weight: 2,
    variables: record({
      input: record(
        {
          plan: planKey,
          fromVersions: optional(validOrHostile(fc.array(integerOrHostile(fc.integer({ min: 1, max: 3 })), { maxLength: 3 }), fc.constantFrom<unknown>(1, [null], 'v1'), 5)),
          toPlan: optional(planKey),
          toVersion: optional(integerOrHostile(fc.integer({ min: 1, max: 3 }))),
          // Mostly the run's own accounts, so a migration stays within one batch and has finished by its answer.
          accountIds: validOrHostile(
            fc.array(accountId, { minLength: 1, maxLength: 3 }),
            fc.constantFrom<unknown>(null, [], [null], 'acme', new Repeated(new StateRef('account', 0), 10_001)),
            8,
          ),
          effective: optional(enumValue('NOW', 'PERIOD_END')),
        }, ['plan'],
      ),
      reason,
    }),
  },
  createClientToken: {
    role: 'backend',
    weight: 1,
    variables: record(
      { accountId, ttlSeconds: optional(integerOrHostile(fc.constantFrom(1, 900, 86_400, 86_401, 0))) }, ['accountId'],
    ),
  },
  linkBillingCustomer: {
    role: 'admin',
    weight: 2,
    variables: record({ accountId, customerId: billingCustomerId }),
  },
  compareEntitlement: {
    role: 'backend',
    weight: 3,
    variables: record({ input: compareInput }),
  },
  compareEntitlements: {
    role: 'backend',
    weight: 2,
    variables: record({
      inputs: validOrHostile(
        fc.array(compareInput, { maxLength: 6 }),
        fc.oneof(
          fc.constantFrom(1000, 1001).map((count) => new Repeated({ accountId: new StateRef('account', 0), feature: 'seats', legacyAllowed: true }, count)),
          fc.constantFrom<unknown>([null], {}, 'seats'),
        ),
        8,
      ),
    }),
  },
};

/** The mutations this file generates requests for. */
export const generatedMutations = Object.keys(mutationVariables);

const sender = (role: 'admin' | 'backend') =>
  role === 'admin'
    ? fc.oneof({ arbitrary: fc.constant('admin' as const), weight: 9 }, { arbitrary: fc.constant('server' as const), weight: 1 })
    : fc.oneof({ arbitrary: fc.constant('admin' as const), weight: 1 }, { arbitrary: fc.constant('server' as const), weight: 1 });

/** Any one mutation with hostile-or-valid variables. */
const anyMutation: fc.Arbitrary<HostileStep> = fc.oneof(
  ...Object.entries(mutationVariables).map(([mutation, { role, variables, weight }]) => ({
    weight,
    arbitrary: record({ mutation: fc.constant(mutation), as: sender(role), variables }),
  })),
);

const nearLimit = fc.constantFrom(2 ** 31 - 2, 2 ** 31 - 1, 2 ** 53 - 2, 2 ** 53 - 1, 2 ** 30);
const pushAmount = fc.constantFrom(1, 2, 2 ** 30, 2 ** 31 - 1, 2 ** 31, 2 ** 52, 2 ** 53 - 1);
const pushedFeature = fc.constantFrom('calls', 'tokens', 'storage', 'seats');
const pushedAccount = fc.nat(2).map((index) => new StateRef('account', index));

/**
 * Valid requests that drive one counter towards 2^31 and 2^53: setUsage just below, then
 * consume or report on top, on BLOCK limits at 2^31-1, ALLOW overage and unlimited features.
 */
const counterPush: fc.Arbitrary<HostileStep> = fc.oneof(
  record({
    mutation: fc.constant('setUsage'),
    as: fc.constant('server' as const),
    variables: record({ input: record({ accountId: pushedAccount, feature: pushedFeature, value: nearLimit, reason: fc.constant('push') }) }),
  }),
  record({
    mutation: fc.constant('consume'),
    as: fc.constant('server' as const),
    variables: record({ input: record({ accountId: pushedAccount, feature: pushedFeature, amount: pushAmount, idempotencyKey: fc.uuid() }) }),
  }),
  record({
    mutation: fc.constant('reportUsage'),
    as: fc.constant('server' as const),
    variables: record({
      events: fc.array(
        fc.oneof(
          { arbitrary: record({ accountId: pushedAccount, feature: fc.constantFrom('calls', 'tokens'), amount: pushAmount, idempotencyKey: fc.uuid() }), weight: 3 },
          { arbitrary: usageEvent, weight: 1 },
        ),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  }),
);

/** One step of a run: mostly any mutation, often a push on a counter. */
export const hostileStep: fc.Arbitrary<HostileStep> = fc.oneof({ arbitrary: anyMutation, weight: 3 }, { arbitrary: counterPush, weight: 1 });

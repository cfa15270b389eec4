import { readFile } from 'node:fs/promises';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildTollgateSchema, printTollgateSchema } from '../../server/dist/schema/build-schema.js';

const committedSdl = () => readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');

/**
 * Root fields of DESIGN.md's contract that exist so far, with their arguments and result types.
 * The contract lets arguments be added: any after those listed must be optional.
 */
const contract: Record<'Query' | 'Mutation', Record<string, string>> = {
  Query: {
    entitlement: '(accountId: ID!, feature: String!, amount: Quantity): Entitlement!',
    entitlements: '(accountId: ID!): [Entitlement!]!',
    usage: '(accountId: ID!, feature: String!): Usage!',
    upgradeOffers: '(accountId: ID!, feature: String!, amount: Quantity): [UpgradeOffer!]!',
    account: '(id: ID!): Account',
    features: ': [Feature!]!',
    plans: ': [Plan!]!',
    addOns: ': [AddOn!]!',
    auditLog: '(accountId: ID, first: Int, after: String): AuditEntryConnection!',
    me: ': Me!',
    operators: '(first: Int, after: String): OperatorConnection!',
    overrideRequests: '(status: OverrideRequestStatus, first: Int, after: String): OverrideRequestConnection!',
    accounts: '(search: String, plan: String, phase: SubscriptionPhase, first: Int, after: String): AccountConnection!',
  },
  Mutation: {
    createFeature: '(input: CreateFeatureInput!): Feature!',
    createPlan: '(input: CreatePlanInput!): Plan!',
    createPlanVersion: '(input: CreatePlanVersionInput!): PlanVersion!',
    publishPlanVersion: '(plan: String!, version: Int!): PlanVersion!',
    createAddOn: '(input: CreateAddOnInput!): AddOn!',
    upsertAccount: '(input: UpsertAccountInput!): Account!',
    changePlan: '(input: ChangePlanInput!): Account!',
    setAddOn: '(accountId: ID!, addOn: String!, quantity: Int!): Account!',
    grantOverride: '(input: GrantOverrideInput!): Override!',
    revokeOverride: '(id: ID!, reason: String!): Override!',
    consume: '(input: ConsumeInput!): ConsumeResult!',
    release: '(input: ReleaseInput!): ConsumeResult!',
    setUsage: '(input: SetUsageInput!): Usage!',
    reportUsage: '(events: [UsageEventInput!]!): ReportUsageResult!',
    createApiKey: '(input: CreateApiKeyInput!): CreatedApiKey!',
    revokeApiKey: '(id: ID!): ApiKey!',
    createClientToken: '(accountId: ID!, ttlSeconds: Int): ClientToken!',
    inviteOperator: '(input: InviteOperatorInput!): OperatorInvite!',
    setOperatorRole: '(id: ID!, role: OperatorRole!): Operator!',
    deactivateOperator: '(id: ID!): Operator!',
    requestOverride: '(input: GrantOverrideInput!): OverrideRequest!',
    approveOverrideRequest: '(id: ID!, note: String): OverrideRequest!',
    rejectOverrideRequest: '(id: ID!, reason: String!): OverrideRequest!',
  },
};

/** Input fields scripts and the SDK rely on. */
const inputs: Record<string, string[]> = {
  CreateFeatureInput: ['key', 'name', 'kind', 'unit', 'description', 'requires'],
  CreatePlanInput: ['key', 'name', 'rank', 'description', 'isDefault'],
  CreatePlanVersionInput: ['plan', 'price', 'interval', 'trialDays', 'entitlements'],
  PlanEntitlementInput: ['feature', 'enabled', 'limit', 'period', 'softLimitPercent', 'overage'],
  MoneyInput: ['amount', 'currency'],
  CreateAddOnInput: ['key', 'name', 'price', 'grants'],
  AddOnGrantInput: ['feature', 'enable', 'limitIncrement'],
  UpsertAccountInput: ['id', 'name'],
  ChangePlanInput: ['accountId', 'plan', 'version', 'trial'],
  GrantOverrideInput: ['accountId', 'feature', 'effect', 'value', 'startsAt', 'endsAt', 'permanent', 'reason', 'approvedBy'],
  CreateApiKeyInput: ['name', 'role'],
  ConsumeInput: ['accountId', 'feature', 'amount', 'idempotencyKey'],
  ReleaseInput: ['accountId', 'feature', 'amount', 'idempotencyKey'],
  SetUsageInput: ['accountId', 'feature', 'value', 'reason'],
  UsageEventInput: ['accountId', 'feature', 'amount', 'idempotencyKey', 'timestamp'],
};

const enums: Record<string, string[]> = {
  FeatureKind: ['SWITCH', 'QUANTITY', 'METERED'],
  UsagePeriod: ['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR', 'BILLING_PERIOD', 'NEVER'],
  Overage: ['BLOCK', 'ALLOW'],
  OverrideEffect: ['GRANT', 'REVOKE', 'SET_LIMIT', 'ADD_LIMIT'],
  ApiKeyRole: ['ADMIN', 'SERVER'],
};

describe('schema.graphql', () => {
  it('matches the schema the resolvers declare (run `npm run schema` after changing them)', async () => {
    expect(printTollgateSchema(await buildTollgateSchema())).toBe(await committedSdl());
  });

  it('keeps the root fields of the contract, with their arguments in order', async () => {
    const schema = buildSchema(await committedSdl());
    for (const [rootName, fields] of Object.entries(contract)) {
      const root = schema.getType(rootName) as GraphQLObjectType;
      for (const [name, signature] of Object.entries(fields)) {
        const field = root.getFields()[name];
        expect(field, `${rootName}.${name}`).toBeDefined();
        const listed = /^\((.*)\)/.exec(signature)?.[1]?.split(', ').length ?? 0;
        const args = field!.args.slice(0, listed).map((arg) => `${arg.name}: ${arg.type}`).join(', ');
        expect(`${args ? `(${args})` : ''}: ${field!.type}`, `${rootName}.${name}`).toBe(signature);
        for (const added of field!.args.slice(listed)) expect(String(added.type), `${rootName}.${name}(${added.name}) must be optional`).not.toMatch(/!$/);
      }
    }
  });

  it('keeps the input fields and enum values scripts rely on', async () => {
    const schema = buildSchema(await committedSdl());
    for (const [name, fields] of Object.entries(inputs)) {
      const type = schema.getType(name) as GraphQLObjectType;
      expect(Object.keys(type.getFields()), name).toEqual(expect.arrayContaining(fields));
    }
    for (const [name, values] of Object.entries(enums)) {
      const type = schema.getType(name) as unknown as { getValues(): { name: string }[] };
      expect(type.getValues().map((value) => value.name), name).toEqual(values);
    }
  });
});

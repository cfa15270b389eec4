import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildTollgateSchema, printTollgateSchema } from '../../server/dist/schema/build-schema.js';

describe('schema.graphql', () => {
  it('matches the schema the resolvers declare (run `npm run schema` after changing them)', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(printTollgateSchema(await buildTollgateSchema())).toBe(committed);
  });

  it('keeps the root fields of the contract', async () => {
    const sdl = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    for (const field of [
      'entitlement(accountId: ID!, feature: String!, amount: Int): Entitlement!',
      'entitlements(accountId: ID!): [Entitlement!]!',
      'account(id: ID!): Account',
      'features: [Feature!]!',
      'plans: [Plan!]!',
      'addOns: [AddOn!]!',
      'auditLog(accountId: ID, after: String, first: Int): AuditEntryConnection!',
      'createFeature(input: CreateFeatureInput!): Feature!',
      'publishPlanVersion(plan: String!, version: Int!): PlanVersion!',
      'setAddOn(accountId: ID!, addOn: String!, quantity: Int!): Account!',
      'revokeOverride(id: ID!, reason: String!): Override!',
      'createClientToken(accountId: ID!, ttlSeconds: Int): ClientToken!',
    ]) {
      expect(sdl).toContain(field);
    }
  });
});

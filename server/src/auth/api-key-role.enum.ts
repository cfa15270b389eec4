import { registerEnumType } from 'type-graphql';

/** GraphQL enum of what an API key may do. */
export const ApiKeyRole = { ADMIN: 'ADMIN', SERVER: 'SERVER' } as const;

registerEnumType(ApiKeyRole, {
  name: 'ApiKeyRole',
  valuesConfig: {
    ADMIN: { description: 'Everything: catalog, overrides, keys, audit log.' },
    SERVER: { description: 'A host backend: read any account, manage accounts and plans, meter usage, mint client tokens.' },
  },
});

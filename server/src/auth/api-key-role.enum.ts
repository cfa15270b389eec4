import { registerEnumType } from 'type-graphql';
import { API_KEY_ROLES, enumObject } from '../vocabulary/index.js';

/** GraphQL enum of what an API key may do, derived from the vocabulary. */
export const ApiKeyRole = enumObject(API_KEY_ROLES);

registerEnumType(ApiKeyRole, {
  name: 'ApiKeyRole',
  valuesConfig: {
    ADMIN: { description: 'Everything: catalog, overrides, keys, audit log.' },
    SERVER: { description: 'A host backend: read any account, manage accounts and plans, meter usage, mint client tokens.' },
  },
});

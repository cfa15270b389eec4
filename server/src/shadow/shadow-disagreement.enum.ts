import { registerEnumType } from 'type-graphql';
import { enumObject, SHADOW_DISAGREEMENTS } from '../vocabulary/index.js';

/** GraphQL enum: why a shadow comparison disagreed, derived from the vocabulary. */
export const ShadowDisagreement = enumObject(SHADOW_DISAGREEMENTS);

registerEnumType(ShadowDisagreement, {
  name: 'ShadowDisagreement',
  description: 'Why Tollgate and the legacy check disagreed. ACCESS outranks LIMIT.',
  valuesConfig: {
    ACCESS: { description: 'One allowed the request and the other refused it: a customer would notice at cut-over.' },
    LIMIT: { description: 'Both answered alike on access, but the legacy limit is not Tollgate\'s (an unlimited Tollgate limit included).' },
  },
});

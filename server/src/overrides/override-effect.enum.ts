import { registerEnumType } from 'type-graphql';
import { enumObject, OVERRIDE_EFFECTS } from '../vocabulary/index.js';

/** GraphQL enum of what an override does, derived from the vocabulary. */
export const OverrideEffect = enumObject(OVERRIDE_EFFECTS);

registerEnumType(OverrideEffect, {
  name: 'OverrideEffect',
  valuesConfig: {
    GRANT: { description: 'Gives access; `value`, when set, is the limit.' },
    REVOKE: { description: 'Takes access away, whatever the plan says.' },
    SET_LIMIT: { description: 'Replaces the limit with `value`.' },
    ADD_LIMIT: { description: 'Adds `value` to the limit.' },
  },
});

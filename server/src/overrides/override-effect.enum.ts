import { registerEnumType } from 'type-graphql';

/** GraphQL enum of what an override does. */
export const OverrideEffect = { GRANT: 'GRANT', REVOKE: 'REVOKE', SET_LIMIT: 'SET_LIMIT', ADD_LIMIT: 'ADD_LIMIT' } as const;

registerEnumType(OverrideEffect, {
  name: 'OverrideEffect',
  valuesConfig: {
    GRANT: { description: 'Gives access; `value`, when set, is the limit.' },
    REVOKE: { description: 'Takes access away, whatever the plan says.' },
    SET_LIMIT: { description: 'Replaces the limit with `value`.' },
    ADD_LIMIT: { description: 'Adds `value` to the limit.' },
  },
});

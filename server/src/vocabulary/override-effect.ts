/** What an override does to one feature of one account. */
export const OVERRIDE_EFFECTS = ['GRANT', 'REVOKE', 'SET_LIMIT', 'ADD_LIMIT'] as const;

/** What an override does. */
export type OverrideEffect = (typeof OVERRIDE_EFFECTS)[number];

/** What an API key may do: ADMIN everything, SERVER what a host backend does. */
export const API_KEY_ROLES = ['ADMIN', 'SERVER'] as const;

/** What an API key may do. */
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

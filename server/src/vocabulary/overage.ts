/** What happens at a limit: BLOCK refuses, ALLOW records past it. */
export const OVERAGES = ['BLOCK', 'ALLOW'] as const;

/** What happens at a limit. */
export type Overage = (typeof OVERAGES)[number];

/** Where an operator is: invited (the link not yet accepted), active, or deactivated (kept for the audit log's sake). */
export const OPERATOR_STATES = ['INVITED', 'ACTIVE', 'DEACTIVATED'] as const;

/** Where an operator is. */
export type OperatorState = (typeof OPERATOR_STATES)[number];

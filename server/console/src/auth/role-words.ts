import type { OperatorRole } from '../generated/graphql.js';

/** Each role in a few words, for the header. What a role may do comes from the server (`me.permissions`). */
export const ROLE_WORDS: Record<OperatorRole, string> = {
  VIEWER: 'Viewer (read only)',
  SUPPORT: 'Support',
  BILLING: 'Billing',
  PRICING: 'Pricing',
  OWNER: 'Owner',
};

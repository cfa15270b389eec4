/**
 * Who may do what in the console: the permission table of DESIGN.md ("Operators: people, roles,
 * sessions, approvals"), written once. A control whose capability the role lacks is not drawn;
 * the server refuses the request anyway (FORBIDDEN), which the end-to-end tests force.
 */
export type OperatorRole = 'VIEWER' | 'SUPPORT' | 'BILLING' | 'PRICING' | 'OWNER';

/** What a control does, in the table's words. */
export type Capability =
  /** request an override (another operator approves it) */
  | 'override.request'
  /** grant an override within the policy without approval; revoke one */
  | 'override.grant'
  /** extend a trial up to the policy's days */
  | 'trial.extend'
  /** approve or reject another operator's override request */
  | 'override.decide'
  /** change plan, cancel, add-ons, link billing, reconcile */
  | 'subscription.manage'
  /** edit and publish the catalog; plan migrations */
  | 'catalog.edit'
  /** operators, API keys, sessions */
  | 'operators.manage';

const ROLES_MAY: Record<Capability, readonly OperatorRole[]> = {
  'override.request': ['SUPPORT', 'BILLING', 'OWNER'],
  'override.grant': ['SUPPORT', 'BILLING', 'OWNER'],
  'trial.extend': ['SUPPORT', 'BILLING', 'OWNER'],
  'override.decide': ['BILLING', 'OWNER'],
  'subscription.manage': ['BILLING', 'OWNER'],
  'catalog.edit': ['PRICING', 'OWNER'],
  'operators.manage': ['OWNER'],
};

/** Whether `role` may do `capability`. */
export function roleMay(role: OperatorRole, capability: Capability): boolean {
  return ROLES_MAY[capability].includes(role);
}

/** The role in a few words, for the header. */
export const ROLE_WORDS: Record<OperatorRole, string> = {
  VIEWER: 'Viewer (read only)',
  SUPPORT: 'Support',
  BILLING: 'Billing',
  PRICING: 'Pricing',
  OWNER: 'Owner',
};

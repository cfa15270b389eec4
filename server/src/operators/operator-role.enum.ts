import { registerEnumType } from 'type-graphql';
import { enumObject, OPERATOR_ROLES, OPERATOR_STATES, PERMISSIONS } from '../vocabulary/index.js';

/** GraphQL enum of operators' roles, derived from the vocabulary. */
export const OperatorRole = enumObject(OPERATOR_ROLES);

registerEnumType(OperatorRole, {
  name: 'OperatorRole',
  description: 'What an operator may do; docs/operators.md has the table.',
  valuesConfig: {
    VIEWER: { description: 'Reads every account, the catalog, the audit log and reports.' },
    SUPPORT: { description: 'Also requests overrides, grants them within the policy, and extends trials up to the policy\'s days.' },
    BILLING: { description: 'Also approves others\' override requests, changes plans, cancels, sets add-ons, links billing and reconciles.' },
    PRICING: { description: 'Reads, edits and publishes the catalog, and runs plan migrations.' },
    OWNER: { description: 'Everything, operators and API keys included.' },
  },
});

/** GraphQL enum of where an operator is, derived from the vocabulary. */
export const OperatorState = enumObject(OPERATOR_STATES);

registerEnumType(OperatorState, {
  name: 'OperatorState',
  valuesConfig: {
    INVITED: { description: 'Invited; the link is not accepted yet, so they cannot sign in.' },
    ACTIVE: { description: 'Signs in and works.' },
    DEACTIVATED: { description: 'Cannot sign in; kept on record. Invite the same email again to let them back in.' },
  },
});

/** GraphQL enum of the permission table's rows, derived from the vocabulary: what `me.permissions` lists. */
export const Permission = enumObject(PERMISSIONS);

registerEnumType(Permission, {
  name: 'Permission',
  description: 'One row of the permission table: the console draws only the controls the signed-in operator\'s permissions allow.',
  valuesConfig: {
    READ: { description: 'Read accounts, their entitlements, usage and offers, and the catalog.' },
    READ_OPERATIONS: { description: 'Read the audit log, billing sync issues, override requests and plan migrations.' },
    REQUEST_OVERRIDE: { description: 'requestOverride.' },
    GRANT_OVERRIDE: { description: 'grantOverride within TOLLGATE_OVERRIDE_POLICY_DAYS, revokeOverride, extendTrial.' },
    APPROVE_OVERRIDE: { description: 'approveOverrideRequest and rejectOverrideRequest (never one\'s own request).' },
    MANAGE_SUBSCRIPTIONS: { description: 'upsertAccount, changePlan, cancelSubscription, setAddOn, updateSubscriptionStatus.' },
    MANAGE_BILLING: { description: 'linkBillingCustomer, reconcileBilling.' },
    EDIT_CATALOG: { description: 'Create and publish features, plans, versions, add-ons; start plan migrations.' },
    MANAGE_ACCESS: { description: 'Operators (invite, role, deactivate, reset links) and API keys.' },
  },
});

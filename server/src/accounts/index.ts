/** Accounts and their subscription: what other domains may use. Other domains import from here, never from the files. */
export { loadAccountState } from './account-state.js';
export { Account } from './account.entity.js';
export { AccountsService, subscriptionSnapshot, type AccountView } from './accounts.service.js';
export { billingManaged } from './accounts.errors.js';
export type { BilledPlanChange, BilledPlanChanges } from './billed-plan-change.js';
export { AccountType } from './account.type.js';
export type { UpsertAccountValues } from './accounts.validation.js';
export { AccountsResolver } from './accounts.resolver.js';
export { PlanChangeTiming } from './plan-change-timing.enum.js';
export { ProrationBehavior } from './proration-behavior.enum.js';
export { Subscription } from './subscription.entity.js';
export type { AccountsContext } from './accounts.context.js';

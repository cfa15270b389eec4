/**
 * The domain's words, each written once: plain `as const` lists with no I/O imports. The
 * TypeScript unions, the type-graphql enums, the MikroORM enum items and the zod enums all
 * derive from these lists.
 */
export { ACCOUNT_SORTS, type AccountSort } from './account-sort.js';
export { ACTOR_KINDS, type ActorKind } from './actor-kind.js';
export { API_KEY_ROLES, type ApiKeyRole } from './api-key-role.js';
export { AUDIT_ACTIONS, type AuditAction } from './audit-action.js';
export { BILLING_EVENT_OUTCOMES, type BillingEventOutcome } from './billing-event-outcome.js';
export { BILLING_MISMATCH_KINDS, type BillingMismatchKind } from './billing-mismatch-kind.js';
export { BILLING_INTERVALS, type BillingInterval } from './billing-interval.js';
export { BILLING_SYNC_ISSUE_KINDS, type BillingSyncIssueKind } from './billing-sync-issue-kind.js';
export { DECISION_REASONS, type DecisionReason } from './decision-reason.js';
export { enumObject } from './enum-object.js';
export { FEATURE_KIND_RULES, kindsWhere, type FeatureKindRules } from './feature-kind-rules.js';
export { FEATURE_KINDS, type FeatureKind } from './feature-kind.js';
export { OFFER_KINDS, type OfferKind } from './offer-kind.js';
export { OPERATOR_LINK_PURPOSES, type OperatorLinkPurpose } from './operator-link-purpose.js';
export { OPERATOR_ROLES, type OperatorRole } from './operator-role.js';
export { OPERATOR_STATES, type OperatorState } from './operator-state.js';
export { OVERAGES, type Overage } from './overage.js';
export { OVERRIDE_EFFECTS, type OverrideEffect } from './override-effect.js';
export { OVERRIDE_REQUEST_STATUSES, type OverrideRequestStatus } from './override-request-status.js';
export { PERMISSIONS, type Permission } from './permission.js';
export { PLAN_CHANGE_TIMINGS, type PlanChangeTiming } from './plan-change-timing.js';
export {
  PLAN_MIGRATION_OUTCOMES,
  PLAN_MIGRATION_REASONS,
  type PlanMigrationOutcome,
  type PlanMigrationReason,
} from './plan-migration-outcome.js';
export { PLAN_MIGRATION_STATUSES, type PlanMigrationStatus } from './plan-migration-status.js';
export { PLAN_VERSION_STATUSES, type PlanVersionStatus } from './plan-version-status.js';
export { PRORATION_BEHAVIORS, type ProrationBehavior } from './proration-behavior.js';
export { RECONCILIATION_REFUSALS, type ReconciliationRefusal } from './reconciliation-refusal.js';
export { REPORTED_EVENT_STATUSES, type ReportedEventStatus } from './reported-event-status.js';
export { SHADOW_DISAGREEMENTS, type ShadowDisagreement } from './shadow-disagreement.js';
export { SUBSCRIPTION_PHASES, type SubscriptionPhase } from './subscription-phase.js';
export { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from './subscription-status.js';
export { USAGE_EVENT_KINDS, type UsageEventKind } from './usage-event-kind.js';
export { USAGE_PERIODS, type UsagePeriod } from './usage-period.js';
export { WEBHOOK_ERROR_CODES, type WebhookErrorCode } from './webhook-error-code.js';

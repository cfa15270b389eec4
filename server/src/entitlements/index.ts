/** The pure evaluator, its inputs and decision, and the cached read path. Other domains import from here, never from the files. */
export { addDays, billingPeriodAt, billingPeriodEnd, type BillingPeriod } from './billing-period.js';
export { type Decision } from './decision.js';
export { accountNotFound } from './entitlements.errors.js';
export { EntitlementReadModel, type ReadModelLoaders } from './entitlement-read-model.js';
export { EntitlementType } from './entitlement.type.js';
export { EntitlementReason } from './entitlement-reason.enum.js';
export { type AccountDecisions, type CheckedEntitlement, type DecisionInputs, EntitlementsService } from './entitlements.service.js';
export { evaluate, evaluateAccess, planInForce, type CountingPeriod, type Evaluation, type PlanInForce } from './evaluate.js';
export { overrideInForce, overrideMayApply } from './override-in-force.js';
export { periodBounds, type PeriodBounds } from './period-bounds.js';
export { subscriptionPhase, type PhaseAt, type PhaseInputs } from './subscription-phase.js';
export { renewedAt, scheduledChangeDue, subscriptionAt, type ScheduledChangeState } from './subscription-at.js';
export { type AccountState, type CatalogAddOn, type CatalogFeature, type CatalogPlanVersion, type CatalogSnapshot, type FeatureKind, type Overage, type OverrideEffect, type SubscriptionState, type SubscriptionStatus, type UsagePeriod, type UsageSnapshot } from './evaluation-input.js';
export { EntitlementsResolver } from './entitlements.resolver.js';
export type { EntitlementsContext } from './entitlements.context.js';

/** The pure evaluator, its inputs and decision, and the cached read path. Other domains import from here, never from the files. */
export { type Decision } from './decision.js';
export { EntitlementReadModel } from './entitlement-read-model.js';
export { EntitlementType } from './entitlement.type.js';
export { type DecisionInputs, EntitlementsService } from './entitlements.service.js';
export { evaluate } from './evaluate.js';
export { type AccountState, type CatalogAddOn, type CatalogFeature, type CatalogPlanVersion, type CatalogSnapshot, type FeatureKind, type Overage, type OverrideEffect, type SubscriptionState, type SubscriptionStatus, type UsagePeriod, type UsageSnapshot } from './evaluation-input.js';

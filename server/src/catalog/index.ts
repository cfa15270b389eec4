/** Features, plans, plan versions and add-ons. Other domains import from here, never from the files. */
export { AddOn } from './add-on.entity.js';
export { BillingPrice } from './billing-price.entity.js';
export { loadCatalogSnapshot } from './catalog-snapshot.js';
export { BillingInterval, FeatureKind } from './catalog.enums.js';
export { addOnNotFound, noPublishedVersion, planNotFound, planVersionNotFound, planVersionNotPublished, unknownFeature } from './catalog.errors.js';
export { CatalogService, type BillingPricesMappedListener, type PriceMappingMutation } from './catalog.service.js';
export type { CreateAddOnValues, CreateFeatureValues, CreatePlanValues, CreatePlanVersionValues } from './catalog.validation.js';
export { Feature } from './feature.entity.js';
export { formatMoney } from './money.js';
export { MoneyType } from './money.type.js';
export { PlanVersion } from './plan-version.entity.js';
export { PlanVersionType } from './plan-version.type.js';
export { Plan } from './plan.entity.js';
export { CatalogResolver } from './catalog.resolver.js';
export { PlanVersionResolver } from './plan-version.resolver.js';
export { PlanEntitlement } from './plan-entitlement.entity.js';
export type { CatalogContext } from './catalog.context.js';

import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CatalogAddOn,
  CatalogFeature,
  CatalogPlanVersion,
  CatalogSnapshot,
} from '../entitlements/index.js';
import { AddOn } from './add-on.entity.js';
import { Feature } from './feature.entity.js';
import { PlanVersion } from './plan-version.entity.js';

/**
 * Reads the whole catalog the evaluator needs in three queries. Drafts are left out: no account
 * can be on one.
 */
export async function loadCatalogSnapshot(em: EntityManager): Promise<CatalogSnapshot> {
  const [features, versions, addOns] = await Promise.all([
    em.find(Feature, {}),
    em.find(
      PlanVersion,
      { status: { $in: ['PUBLISHED', 'RETIRED'] } },
      { populate: ['plan', 'entitlements'], orderBy: { version: 'asc' } },
    ),
    em.find(AddOn, {}),
  ]);

  const featureMap = new Map<string, CatalogFeature>(
    features.map((feature) => [
      feature.key,
      { key: feature.key, name: feature.name, kind: feature.kind, unit: feature.unit, requires: feature.requires },
    ]),
  );

  const planVersions = new Map<string, CatalogPlanVersion>();
  let defaultPlanVersionId: string | null = null;
  for (const version of versions) {
    planVersions.set(version.id, {
      id: version.id,
      planKey: version.plan.key,
      planName: version.plan.name,
      planRank: version.plan.rank,
      version: version.version,
      status: version.status === 'RETIRED' ? 'RETIRED' : 'PUBLISHED',
      priceAmount: version.priceAmount,
      priceCurrency: version.priceCurrency,
      interval: version.interval,
      trialDays: version.trialDays,
      trialGraceDays: version.trialGraceDays,
      quantityFeatureKey: version.quantityFeatureKey,
      entitlements: new Map(
        version.entitlements.getItems().map((entitlement) => [
          entitlement.featureKey,
          {
            featureKey: entitlement.featureKey,
            enabled: entitlement.enabled,
            limit: entitlement.limit,
            period: entitlement.period,
            softLimitPercent: entitlement.softLimitPercent,
            overage: entitlement.overage,
          },
        ]),
      ),
    });
    // Versions come oldest first, so the last published one of the default plan wins.
    if (version.plan.isDefault && version.status === 'PUBLISHED') defaultPlanVersionId = version.id;
  }

  const addOnMap = new Map<string, CatalogAddOn>(
    addOns.map((addOn) => [
      addOn.key,
      {
        id: addOn.id,
        key: addOn.key,
        name: addOn.name,
        priceAmount: addOn.priceAmount,
        priceCurrency: addOn.priceCurrency,
        interval: addOn.interval,
        grants: new Map(addOn.grants.map((grant) => [grant.featureKey, { ...grant }])),
      },
    ]),
  );

  return { features: featureMap, planVersions, defaultPlanVersionId, addOns: addOnMap };
}

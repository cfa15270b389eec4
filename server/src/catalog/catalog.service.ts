import { LockMode, UniqueConstraintViolationException, wrap } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/index.js';
import { auditActor, type Principal } from '../access/index.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../db/index.js';
import { FEATURE_KIND_RULES, type FeatureKind } from '../vocabulary/index.js';
import { badUserInput, rules, validateInput, type InvalidField } from '../validation/index.js';
import { AddOn } from './add-on.entity.js';
import { BillingPrice } from './billing-price.entity.js';
import {
  addOnNotFound,
  alreadyExists,
  billingPriceTaken,
  planNotFound,
  planVersionImmutable,
  planVersionNotFound,
  unknownFeatures,
} from './catalog.errors.js';
import {
  createAddOnSchema,
  createFeatureSchema,
  createPlanSchema,
  createPlanVersionSchema,
  updatePlanVersionSchema,
  type PlanEntitlementValues,
  type CreateAddOnValues,
  type CreateFeatureValues,
  type CreatePlanValues,
  type CreatePlanVersionValues,
  type UpdatePlanVersionValues,
} from './catalog.validation.js';
import { Feature } from './feature.entity.js';
import { PlanEntitlement } from './plan-entitlement.entity.js';
import { PlanVersion } from './plan-version.entity.js';
import { Plan } from './plan.entity.js';

/** Which catalog mutation mapped billing prices: named in the sentence that resolves a sync issue. */
export type PriceMappingMutation = 'createPlanVersion' | 'updatePlanVersion' | 'createAddOn';

/** Told, after commit, that billing prices now map to a plan version or add-on. */
export type BillingPricesMappedListener = (mapped: { actor: Principal; priceIds: string[]; mutation: PriceMappingMutation }) => Promise<void>;

/**
 * Features, plans, plan versions and add-ons: the data that replaces plan checks in the host
 * product's code. Every write is audited and announced, so caches everywhere drop the old catalog.
 */
export class CatalogService {
  private readonly pricesMappedListeners: BillingPricesMappedListener[] = [];

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  /**
   * Calls `listener` after a write that maps billing prices has committed, before the mutation
   * answers: billing sync replays the events that waited for those prices (services.ts wires it,
   * so the catalog needs no knowledge of billing). A listener's failure does not fail the write,
   * which has committed; what it was doing stays to be done (an open sync issue stays open).
   */
  onBillingPricesMapped(listener: BillingPricesMappedListener): void {
    this.pricesMappedListeners.push(listener);
  }

  async listFeatures(): Promise<Feature[]> {
    return this.orm.em.fork().find(Feature, {}, { orderBy: { key: 'asc' } });
  }

  async listPlans(): Promise<Plan[]> {
    return this.orm.em
      .fork()
      .find(Plan, {}, { populate: ['versions', 'versions.entitlements'], orderBy: { rank: 'asc', key: 'asc' } });
  }

  /** How many subscriptions are on a plan version now (one index lookup on subscription.plan_version_id). */
  async subscriptionCount(versionId: string): Promise<number> {
    const rows = await this.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from subscription where plan_version_id = ?', [versionId]);
    return rows[0]?.n ?? 0;
  }

  /**
   * Every plan with a published version, as its newest published version (plan and
   * entitlements loaded), by rank; and the features they name. What a pricing page shows.
   */
  async listPublishedPlans(): Promise<{ versions: PlanVersion[]; features: Map<string, Feature> }> {
    const em = this.orm.em.fork();
    const [published, features] = await Promise.all([
      em.find(PlanVersion, { status: 'PUBLISHED' }, { populate: ['plan', 'entitlements'], orderBy: { version: 'desc' } }),
      em.find(Feature, {}),
    ]);
    const newest = new Map<string, PlanVersion>();
    for (const version of published) if (!newest.has(version.plan.id)) newest.set(version.plan.id, version);
    const versions = [...newest.values()].sort((a, b) => a.plan.rank - b.plan.rank || a.plan.key.localeCompare(b.plan.key));
    return { versions, features: new Map(features.map((feature) => [feature.key, feature])) };
  }

  async listAddOns(): Promise<AddOn[]> {
    return this.orm.em.fork().find(AddOn, {}, { orderBy: { key: 'asc' } });
  }

  async createFeature(actor: Principal, input: CreateFeatureValues): Promise<Feature> {
    const values = validateInput(createFeatureSchema, input);
    const requires = [...new Set(values.requires ?? [])];
    if (requires.includes(values.key)) {
      throw badUserInput([{ path: 'requires', message: 'a feature cannot require itself' }]);
    }
    return this.write(async (em, now) => {
      await this.existingFeatureKinds(em, requires);
      if (await em.count(Feature, { key: values.key })) throw alreadyExists('feature', values.key);
      const feature = em.create(Feature, {
        key: values.key,
        name: values.name,
        kind: values.kind,
        unit: values.unit ?? null,
        description: values.description ?? null,
        requires,
        createdAt: now,
      });
      recordAudit(em, {
        actor: auditActor(actor), action: 'feature.create', entityType: 'Feature', entityId: values.key,
        after: wrap(feature).toObject(),
      }, now);
      return feature;
    }, () => alreadyExists('feature', values.key));
  }

  async createPlan(actor: Principal, input: CreatePlanValues): Promise<Plan> {
    const values = validateInput(createPlanSchema, input);
    return this.write(async (em, now) => {
      if (await em.count(Plan, { key: values.key })) throw alreadyExists('plan', values.key);
      if (values.isDefault) {
        const previous = await em.findOne(Plan, { isDefault: true });
        if (previous) {
          previous.isDefault = false;
          // The partial unique index allows one default: clear the old one before the new one lands.
          await em.flush();
          recordAudit(em, {
            actor: auditActor(actor), action: 'plan.unset_default', entityType: 'Plan', entityId: previous.key,
            before: { isDefault: true }, after: { isDefault: false },
          }, now);
        }
      }
      const plan = em.create(Plan, {
        key: values.key,
        name: values.name,
        rank: values.rank,
        description: values.description ?? null,
        isDefault: values.isDefault ?? false,
        createdAt: now,
      });
      recordAudit(em, {
        actor: auditActor(actor), action: 'plan.create', entityType: 'Plan', entityId: values.key,
        after: { key: plan.key, name: plan.name, rank: plan.rank, isDefault: plan.isDefault },
      }, now);
      return plan;
    }, () => alreadyExists('plan', values.key));
  }

  /** Creates the next version of a plan as a draft; nothing changes for anyone until it is published. */
  async createPlanVersion(actor: Principal, input: CreatePlanVersionValues): Promise<PlanVersion> {
    const values = validateInput(createPlanVersionSchema, input);
    const version = await this.write(async (em, now) => {
      const plan = await em.findOne(Plan, { key: values.plan });
      if (!plan) throw planNotFound(values.plan);
      // Serialises concurrent drafts of one plan so version numbers never collide.
      await em.execute('select id from plan where id = ? for update', [plan.id]);
      const newest = await em.findOne(PlanVersion, { plan }, { orderBy: { version: 'desc' } });
      const kinds = await this.featureKinds(em, values.entitlements.map((entitlement) => entitlement.feature));
      const created = em.create(PlanVersion, {
        plan,
        version: (newest?.version ?? 0) + 1,
        status: 'DRAFT',
        priceAmount: values.price.amount,
        priceCurrency: values.price.currency,
        interval: values.interval ?? 'MONTH',
        trialDays: values.trialDays ?? 0,
        trialGraceDays: values.trialGraceDays ?? 0,
        pastDueGraceDays: values.pastDueGraceDays ?? null,
        billingPriceIds: values.billingPriceIds ?? [],
        quantityFeatureKey: values.quantityFeature ?? null,
        createdAt: now,
      });
      if (values.quantityFeature) {
        const entitlement = values.entitlements.find((candidate) => candidate.feature === values.quantityFeature);
        const kind = kinds.get(values.quantityFeature) ?? (await this.featureKinds(em, [values.quantityFeature])).get(values.quantityFeature);
        if (kind !== 'QUANTITY' || !entitlement || entitlement.enabled === false) {
          throw badUserInput([{
            path: 'quantityFeature',
            message: `must be a QUANTITY feature enabled in this version's entitlements; "${values.quantityFeature}" is ${kind ? `a ${kind} feature` : 'not a feature'}${entitlement ? '' : ' and has no entitlement here'}`,
          }]);
        }
      }
      await this.mapBillingPrices(em, created.billingPriceIds, { planVersion: created }, now);
      for (const entitlement of values.entitlements) {
        em.create(PlanEntitlement, entitlementRow(created, entitlement, kinds.get(entitlement.feature)));
      }
      recordAudit(em, {
        actor: auditActor(actor), action: 'plan_version.create', entityType: 'PlanVersion',
        entityId: `${plan.key}@${created.version}`, after: values,
      }, now);
      return created;
    });
    await this.announcePricesMapped(actor, values.billingPriceIds ?? [], 'createPlanVersion');
    return this.findVersion(values.plan, version.version);
  }

  /** Changes a draft. Published and retired versions are immutable. */
  async updatePlanVersion(actor: Principal, input: UpdatePlanVersionValues): Promise<PlanVersion> {
    const values = validateInput(updatePlanVersionSchema, input);
    await this.write(async (em, now) => {
      const version = await this.lockVersion(em, values.plan, values.version);
      if (version.status !== 'DRAFT') throw planVersionImmutable(values.plan, values.version, version.status);
      const before = wrap(version).toObject();
      if (values.price) {
        version.priceAmount = values.price.amount;
        version.priceCurrency = values.price.currency;
      }
      if (values.interval) version.interval = values.interval;
      if (values.trialDays !== null && values.trialDays !== undefined) version.trialDays = values.trialDays;
      if (values.trialGraceDays !== null && values.trialGraceDays !== undefined) version.trialGraceDays = values.trialGraceDays;
      if (values.pastDueGraceDays !== null && values.pastDueGraceDays !== undefined) version.pastDueGraceDays = values.pastDueGraceDays;
      if (values.billingPriceIds) {
        const dropped = version.billingPriceIds.filter((id) => !values.billingPriceIds!.includes(id));
        if (dropped.length) await em.nativeDelete(BillingPrice, { priceId: { $in: dropped }, planVersion: version });
        version.billingPriceIds = values.billingPriceIds;
        await this.mapBillingPrices(em, values.billingPriceIds, { planVersion: version }, now);
      }
      if (values.entitlements) {
        const kinds = await this.featureKinds(em, values.entitlements.map((entitlement) => entitlement.feature));
        await em.nativeDelete(PlanEntitlement, { planVersion: version });
        version.entitlements.removeAll();
        for (const entitlement of values.entitlements) {
          em.create(PlanEntitlement, entitlementRow(version, entitlement, kinds.get(entitlement.feature)));
        }
      }
      recordAudit(em, {
        actor: auditActor(actor), action: 'plan_version.update', entityType: 'PlanVersion',
        entityId: `${values.plan}@${values.version}`, before, after: values,
      }, now);
    });
    await this.announcePricesMapped(actor, values.billingPriceIds ?? [], 'updatePlanVersion');
    return this.findVersion(values.plan, values.version);
  }

  /**
   * Publishes a draft: from now on new subscriptions to the plan get it. Checks that every
   * feature exists and that each entitlement fits its feature's kind.
   */
  async publishPlanVersion(actor: Principal, planKey: string, versionNumber: number): Promise<PlanVersion> {
    await this.write(async (em, now) => {
      const version = await this.lockVersion(em, planKey, versionNumber);
      if (version.status !== 'DRAFT') throw planVersionImmutable(planKey, versionNumber, version.status);
      await version.entitlements.init();
      const entitlements = version.entitlements.getItems();
      const kinds = await this.existingFeatureKinds(em, entitlements.map((entitlement) => entitlement.featureKey));
      const problems: InvalidField[] = [];
      entitlements.forEach((entitlement) => {
        const problem = kindProblem(kinds.get(entitlement.featureKey)!, entitlement);
        if (problem) problems.push({ path: `entitlements.${entitlement.featureKey}`, message: problem });
      });
      if (problems.length) throw badUserInput(problems);
      version.status = 'PUBLISHED';
      version.publishedAt = now;
      recordAudit(em, {
        actor: auditActor(actor), action: 'plan_version.publish', entityType: 'PlanVersion',
        entityId: `${planKey}@${versionNumber}`, before: { status: 'DRAFT' }, after: { status: 'PUBLISHED' },
      }, now);
    });
    return this.findVersion(planKey, versionNumber);
  }

  async createAddOn(actor: Principal, input: CreateAddOnValues): Promise<AddOn> {
    const values = validateInput(createAddOnSchema, input);
    const created = await this.write(async (em, now) => {
      const kinds = await this.existingFeatureKinds(em, values.grants.map((grant) => grant.feature));
      const problems: InvalidField[] = values.grants.flatMap((grant, index) => {
        const kind = kinds.get(grant.feature)!;
        return !FEATURE_KIND_RULES[kind].countable && grant.limitIncrement
          ? [{ path: `grants.${index}.limitIncrement`, message: `"${grant.feature}" is a ${kind} feature and has no limit to raise` }]
          : [];
      });
      if (problems.length) throw badUserInput(problems);
      if (await em.count(AddOn, { key: values.key })) throw alreadyExists('add-on', values.key);
      const addOn = em.create(AddOn, {
        key: values.key,
        name: values.name,
        description: values.description ?? null,
        priceAmount: values.price.amount,
        priceCurrency: values.price.currency,
        interval: values.interval ?? 'MONTH',
        grants: values.grants.map((grant) => ({
          featureKey: grant.feature,
          enable: grant.enable ?? false,
          limitIncrement: grant.limitIncrement ?? null,
        })),
        billingPriceId: values.billingPriceId ?? null,
        createdAt: now,
      });
      await this.mapBillingPrices(em, values.billingPriceId ? [values.billingPriceId] : [], { addOn }, now);
      recordAudit(em, {
        actor: auditActor(actor), action: 'add_on.create', entityType: 'AddOn', entityId: values.key,
        after: wrap(addOn).toObject(),
      }, now);
      return addOn;
    }, () => alreadyExists('add-on', values.key));
    await this.announcePricesMapped(actor, values.billingPriceId ? [values.billingPriceId] : [], 'createAddOn');
    return created;
  }

  /** A plan version with its plan and entitlements loaded. */
  async findVersion(planKey: string, versionNumber: number): Promise<PlanVersion> {
    const version = await this.orm.em
      .fork()
      .findOne(PlanVersion, { plan: { key: planKey }, version: versionNumber }, { populate: ['plan', 'entitlements'] });
    if (!version) throw planVersionNotFound(planKey, versionNumber);
    return version;
  }

  /** Fails with ADD_ON_NOT_FOUND unless the add-on exists. */
  async findAddOn(em: EntityManager, key: string): Promise<AddOn> {
    const addOn = await em.findOne(AddOn, { key });
    if (!addOn) throw addOnNotFound(key);
    return addOn;
  }

  /**
   * Maps `priceIds` to a plan version or an add-on in `billing_price`, or fails with
   * BILLING_PRICE_TAKEN naming what has one already. The table's primary key settles a race.
   */
  private async mapBillingPrices(
    em: EntityManager,
    priceIds: string[],
    owner: { planVersion: PlanVersion } | { addOn: AddOn },
    now: Date,
  ): Promise<void> {
    if (!priceIds.length) return;
    const existing = await em.find(BillingPrice, { priceId: { $in: priceIds } }, { populate: ['planVersion', 'planVersion.plan', 'addOn'] });
    const mine = (price: BillingPrice) => 'planVersion' in owner && price.planVersion?.id === owner.planVersion.id;
    const taken = existing.find((price) => !mine(price));
    if (taken) throw billingPriceTaken(taken.priceId, priceOwner(taken));
    for (const priceId of priceIds) {
      if (!existing.some((price) => price.priceId === priceId)) em.create(BillingPrice, { priceId, ...owner, createdAt: now });
    }
  }

  private async announcePricesMapped(actor: Principal, priceIds: string[], mutation: PriceMappingMutation): Promise<void> {
    if (!priceIds.length) return;
    for (const listener of this.pricesMappedListeners) await listener({ actor, priceIds, mutation }).catch(() => {});
  }

  private async lockVersion(em: EntityManager, planKey: string, versionNumber: number): Promise<PlanVersion> {
    const plan = rules.isCatalogKey(planKey) ? await em.findOne(Plan, { key: planKey }) : null;
    if (!plan) throw planNotFound(planKey);
    const version = await em.findOne(PlanVersion, { plan, version: versionNumber }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!version) throw planVersionNotFound(planKey, versionNumber);
    return version;
  }

  /** The kinds of the features a draft names; features need not exist until it is published. */
  private async featureKinds(em: EntityManager, keys: string[]): Promise<Map<string, FeatureKind>> {
    if (!keys.length) return new Map();
    const features = await em.find(Feature, { key: { $in: keys } });
    return new Map(features.map((feature) => [feature.key, feature.kind]));
  }

  /** The kinds of `keys`, every one of which must be in the catalog (UNKNOWN_FEATURE naming all that are not). */
  private async existingFeatureKinds(em: EntityManager, keys: string[]): Promise<Map<string, FeatureKind>> {
    const kinds = await this.featureKinds(em, keys);
    const missing = keys.filter((key) => !kinds.has(key));
    if (missing.length) throw unknownFeatures(missing);
    return kinds;
  }

  /** One audited catalog write: a transaction that announces the change and drops local caches. */
  private async write<T>(work: (em: EntityManager, now: Date) => Promise<T>, onDuplicate?: () => Error): Promise<T> {
    const now = this.clock();
    try {
      return await this.feed.write(this.orm.em, { scope: 'catalog' }, (em) => work(em, now));
    } catch (error) {
      // A price mapped by a concurrent write between our check and our insert.
      if (error instanceof UniqueConstraintViolationException && /billing_price/.test(error.message)) throw billingPriceTaken(priceIdIn(error.message), null);
      if (onDuplicate && error instanceof UniqueConstraintViolationException) throw onDuplicate();
      throw error;
    }
  }
}

/** "plan "pro" version 2" or "add-on "extra_seats"", for BILLING_PRICE_TAKEN. */
function priceOwner(price: BillingPrice): string | null {
  if (price.planVersion) return `plan "${price.planVersion.plan.key}" version ${price.planVersion.version}`;
  if (price.addOn) return `add-on "${price.addOn.key}"`;
  return null;
}

/** The price id PostgreSQL names in a unique violation's detail (`Key (price_id)=(price_1) already exists.`), when the message carries it. */
function priceIdIn(message: string): string | null {
  return /\(price_id\)=\((.*?)\)/.exec(message)?.[1] ?? null;
}

function entitlementRow(planVersion: PlanVersion, values: PlanEntitlementValues, kind: FeatureKind | undefined) {
  return {
    planVersion,
    featureKey: values.feature,
    enabled: values.enabled ?? true,
    limit: values.limit ?? null,
    period: values.period ?? (kind ? FEATURE_KIND_RULES[kind].defaultPeriod : 'NEVER'),
    softLimitPercent: values.softLimitPercent ?? (kind ? FEATURE_KIND_RULES[kind].defaultSoftLimitPercent : 80),
    overage: values.overage ?? 'BLOCK',
  } as const;
}

/** Why an entitlement does not fit its feature's kind, or null when it does. */
function kindProblem(kind: FeatureKind, entitlement: PlanEntitlement): string | null {
  const rules = FEATURE_KIND_RULES[kind];
  if (!rules.countable && entitlement.limit !== null) return `a ${kind} feature has no limit; leave limit empty`;
  if (!rules.hasPeriod && entitlement.period !== 'NEVER') return `a ${kind} feature does not reset; leave period empty or NEVER`;
  return null;
}

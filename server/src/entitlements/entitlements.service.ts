import { unknownFeature } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import type { UsageReader } from '../metering/index.js';
import { badUserInput } from '../validation/index.js';
import { accountNotFound } from './entitlements.errors.js';
import type { Decision } from './decision.js';
import type { EntitlementReadModel } from './entitlement-read-model.js';
import { evaluateAccess } from './evaluate.js';
import type { AccountState, CatalogFeature, CatalogSnapshot } from './evaluation-input.js';

/** One decision with the feature it is about. */
export interface CheckedEntitlement {
  feature: CatalogFeature;
  decision: Decision;
  /** The instant the decision was made for, right after its inputs were read (GraphQL `asOf`). */
  asOf: Date;
}

/** Every decision about one account at one instant, with the inputs they were made from. */
export interface AccountDecisions {
  catalog: CatalogSnapshot;
  account: AccountState;
  /** One per feature of the catalog, by key. */
  entitlements: CheckedEntitlement[];
  asOf: Date;
}

/** What a decision about one account and feature is made from. */
export interface DecisionInputs {
  catalog: CatalogSnapshot;
  account: AccountState;
  feature: CatalogFeature;
}

/**
 * Answers entitlement questions: loads the (cached) inputs and calls the pure evaluator.
 * Unknown features and accounts are errors with codes, never a silent false.
 */
export class EntitlementsService {
  /** Told of every decision answered to a caller by check and checkAll (the metrics count them by reason); set by the composition root. */
  onDecision: (decision: Decision) => void = () => {};

  constructor(
    private readonly readModel: EntitlementReadModel,
    private readonly clock: Clock,
    private readonly usage: UsageReader,
  ) {}

  async check(accountId: string, featureKey: string, amount?: number | null): Promise<CheckedEntitlement> {
    if (amount !== null && amount !== undefined && (!Number.isInteger(amount) || amount < 1)) {
      throw badUserInput([{ path: 'amount', message: 'must be a whole number of 1 or more' }]);
    }
    const inputs = await this.inputsFor(accountId, featureKey);
    const now = this.clock();
    const decision = await this.decide(inputs, now, amount ?? undefined);
    this.onDecision(decision);
    return { feature: inputs.feature, decision, asOf: now };
  }

  /** A decision for every feature in the catalog, by key. */
  async checkAll(accountId: string): Promise<CheckedEntitlement[]> {
    const { entitlements } = await this.decideAll(accountId);
    for (const { decision } of entitlements) this.onDecision(decision);
    return entitlements;
  }

  /**
   * Every decision about the account at one instant, with the catalog and account they were
   * made from: live updates push the decisions and find, from the same inputs, the next instant
   * they can change by themselves.
   */
  async decideAll(accountId: string): Promise<AccountDecisions> {
    const { catalog, account } = await this.accountInputs(accountId);
    const now = this.clock();
    const features = [...catalog.features.values()].sort((a, b) => a.key.localeCompare(b.key));
    const entitlements = await Promise.all(
      features.map(async (feature) => ({ feature, decision: await this.decide({ catalog, account, feature }, now), asOf: now })),
    );
    return { catalog, account, entitlements, asOf: now };
  }

  /**
   * The (cached) catalog and account the decisions are made from, or ACCOUNT_NOT_FOUND: for
   * views that must agree with the decisions, such as the account's current plan.
   */
  async accountInputs(accountId: string): Promise<{ catalog: CatalogSnapshot; account: AccountState }> {
    const [catalog, account] = await Promise.all([this.readModel.catalogSnapshot(), this.readModel.accountState(accountId)]);
    if (!account) throw accountNotFound(accountId);
    return { catalog, account };
  }

  /** The catalog, the account and the feature, or UNKNOWN_FEATURE / ACCOUNT_NOT_FOUND. */
  async inputsFor(accountId: string, featureKey: string): Promise<DecisionInputs> {
    const [catalog, account] = await Promise.all([this.readModel.catalogSnapshot(), this.readModel.accountState(accountId)]);
    const feature = catalog.features.get(featureKey);
    if (!feature) throw unknownFeature(featureKey);
    if (!account) throw accountNotFound(accountId);
    return { catalog, account, feature };
  }

  /** Settles access, reads the counter of the period it names (if any), and decides. */
  async decide(inputs: DecisionInputs, now: Date, amount?: number): Promise<Decision> {
    const { catalog, account, feature } = inputs;
    const evaluation = evaluateAccess(catalog, account, feature.key, now);
    const used = evaluation.counting ? await this.usage.read(account.accountId, feature.key, evaluation.counting.start) : 0;
    return evaluation.decide(used, amount);
  }
}

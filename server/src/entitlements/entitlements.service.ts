import { accountNotFound } from '../accounts/accounts.errors.js';
import { unknownFeature } from '../catalog/catalog.errors.js';
import type { Clock } from '../clock.js';
import { badUserInput } from '../validation/index.js';
import type { Decision } from './decision.js';
import type { EntitlementReadModel } from './entitlement-read-model.js';
import { evaluate } from './evaluate.js';
import type { AccountState, CatalogFeature, CatalogSnapshot, UsageSnapshot } from './evaluation-input.js';

/** Current usage of an account, by feature. Metering provides it; until then, nothing is used. */
export type UsageSource = (account: AccountState, catalog: CatalogSnapshot, now: Date) => Promise<UsageSnapshot>;

/** One decision with the feature it is about. */
export interface CheckedEntitlement {
  feature: CatalogFeature;
  decision: Decision;
}

/**
 * Answers entitlement questions: loads the (cached) inputs and calls the pure evaluator.
 * Unknown features and accounts are errors with codes, never a silent false.
 */
export class EntitlementsService {
  constructor(
    private readonly readModel: EntitlementReadModel,
    private readonly clock: Clock,
    private readonly usage: UsageSource = async () => new Map(),
  ) {}

  async check(accountId: string, featureKey: string, amount?: number | null): Promise<CheckedEntitlement> {
    if (amount !== null && amount !== undefined && (!Number.isInteger(amount) || amount < 1)) {
      throw badUserInput([{ path: 'amount', message: 'must be a whole number of 1 or more' }]);
    }
    const [catalog, account] = await Promise.all([this.readModel.catalogSnapshot(), this.readModel.accountState(accountId)]);
    const feature = catalog.features.get(featureKey);
    if (!feature) throw unknownFeature(featureKey);
    if (!account) throw accountNotFound(accountId);
    const now = this.clock();
    const usage = await this.usage(account, catalog, now);
    return { feature, decision: evaluate(catalog, account, usage, featureKey, now, amount ?? undefined) };
  }

  /** A decision for every feature in the catalog, by key. */
  async checkAll(accountId: string): Promise<CheckedEntitlement[]> {
    const [catalog, account] = await Promise.all([this.readModel.catalogSnapshot(), this.readModel.accountState(accountId)]);
    if (!account) throw accountNotFound(accountId);
    const now = this.clock();
    const usage = await this.usage(account, catalog, now);
    return [...catalog.features.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((feature) => ({ feature, decision: evaluate(catalog, account, usage, feature.key, now) }));
  }
}

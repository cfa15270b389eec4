import type { Clock } from '../clock.js';
import type { EntitlementsService } from '../entitlements/index.js';
import type { UsageReader } from '../metering/index.js';
import { badUserInput } from '../validation/index.js';
import { findUpgradeOffers, type UpgradeOffer } from './find-upgrade-offers.js';

/** What would unlock a refused request: loads the inputs and asks the pure offer finder. */
export class OffersService {
  constructor(
    private readonly entitlements: EntitlementsService,
    private readonly usage: UsageReader,
    private readonly clock: Clock,
  ) {}

  async upgradeOffers(accountId: string, featureKey: string, amount?: number | null): Promise<UpgradeOffer[]> {
    if (amount !== null && amount !== undefined && (!Number.isInteger(amount) || amount < 1)) {
      throw badUserInput([{ path: 'amount', message: 'must be a whole number of 1 or more' }]);
    }
    const inputs = await this.entitlements.inputsFor(accountId, featureKey);
    const now = this.clock();
    const decision = await this.entitlements.decide(inputs, now);
    const used = decision.periodStart ? await this.usage.read(accountId, featureKey, decision.periodStart) : 0;
    return findUpgradeOffers(inputs.catalog, inputs.account, new Map([[featureKey, used]]), featureKey, now, amount ?? undefined);
  }
}

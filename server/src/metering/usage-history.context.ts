import type { Caller } from '../access/index.js';
import type { UsageHistoryReader } from './usage-history.js';

/** What the usage history resolver reads from a request's context (see metering.context.ts for why each domain names its slice). */
export interface UsageHistoryContext {
  principal: Caller;
  services: {
    usageHistory: UsageHistoryReader;
  };
}

/** Usage counters and the usage ledger. Other domains import from here, never from the files. */
export { MeteringService, type MeteringOutcome, type UsageView } from './metering.service.js';
export { REPORT_USAGE_BODY_BYTES } from './metering.validation.js';
export { UsageReader } from './usage-reader.js';
export { LedgerHorizon, type HorizonReport } from './ledger-horizon.js';
export { MeteringResolver } from './metering.resolver.js';
export { UsageCounter } from './usage-counter.entity.js';
export { UsageEvent } from './usage-event.entity.js';
export { UsageKeyGuard } from './usage-key-guard.entity.js';
export type { MeteringContext } from './metering.context.js';
export { UsageHistoryReader, USAGE_HISTORY_MAX_DAYS, type UsageDayView } from './usage-history.js';
export { UsageHistoryResolver } from './usage-history.resolver.js';
export type { UsageHistoryContext } from './usage-history.context.js';

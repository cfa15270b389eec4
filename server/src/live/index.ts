/** Live updates: changes and timed boundaries pushed to each account's subscribers. Other domains import from here, never from the files. */
export { fireAt, MAX_TIMER_DELAY_MS, nodeTimers, type Timers } from './boundary-timer.js';
export { EntitlementsChangeType } from './entitlements-change.type.js';
export { LatestOnlyIterator } from './latest-only-iterator.js';
export { LiveEntitlements, type EntitlementsChange, type LiveErrorLog, type LiveSettings } from './live-entitlements.js';
export { LiveOverrideRequests, type OverrideRequestsChange } from './live-override-requests.js';
export { OverrideRequestsChangeType } from './override-requests-change.type.js';
export { tooManySubscriptions, type SubscriptionBound } from './live.errors.js';
export { LiveSockets, type LiveSocketSettings, type Release } from './live-sockets.js';
export { LiveResolver } from './live.resolver.js';
export { nextDecisionChange, type DecisionsAt } from './next-decision-change.js';
export type { LiveContext } from './live.context.js';

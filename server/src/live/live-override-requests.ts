import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../db/index.js';
import type { OverrideRequestStatus } from '../vocabulary/index.js';
import { LatestOnlyIterator } from './latest-only-iterator.js';

/** A push about override requests: one was made or decided, or (requestId null) anything may have changed. */
export interface OverrideRequestsChange {
  at: Date;
  requestId: string | null;
  accountId: string | null;
  status: OverrideRequestStatus | null;
}

/**
 * Override requests as they are made and decided, from any process, for the console's approvals
 * inbox and an account's pending requests: the change feed already announces each one
 * (`scope: 'override-request'`), and this turns the announcements into a subscriber's stream.
 * Each subscriber holds at most one unread push (the newest): a reader refetches the list on a
 * push, so only the latest matters. A push with no request says "look again": the first one, at
 * once (closing the gap between a reader's query and its subscription), and one after the feed's
 * link is replaced (`scope: 'all'`).
 */
export class LiveOverrideRequests {
  constructor(
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  /** Pushes about requests of `accountId` (every account when null), until the subscriber stops reading. */
  watch(accountId: string | null): AsyncIterableIterator<OverrideRequestsChange> {
    let unsubscribe = () => {};
    const iterator = new LatestOnlyIterator<OverrideRequestsChange>(() => unsubscribe());
    // First push at once: whatever happened between the subscriber's last read and now is not missed.
    iterator.put({ at: this.clock(), requestId: null, accountId: null, status: null });
    unsubscribe = this.feed.subscribe((change) => {
      if (change.scope === 'override-request') {
        if (accountId !== null && change.accountId !== accountId) return;
        iterator.put({ at: this.clock(), requestId: change.requestId, accountId: change.accountId, status: change.status });
      } else if (change.scope === 'all') {
        iterator.put({ at: this.clock(), requestId: null, accountId: null, status: null });
      }
    });
    return iterator;
  }
}

import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { requireAccountRead, requirePermission } from '../access/index.js';
import { EntitlementsChangeType } from './entitlements-change.type.js';
import type { EntitlementsChange } from './live-entitlements.js';
import type { OverrideRequestsChange } from './live-override-requests.js';
import { OverrideRequestsChangeType } from './override-requests-change.type.js';
import type { LiveContext } from './live.context.js';

/**
 * GraphQL face of live updates. The subscription builds its own event stream (the account's
 * {@link LiveEntitlements.watch}) instead of a pubsub: a push is computed once per account and
 * coalesced before any subscriber sees it, and each subscriber holds at most one unread push,
 * which a topic pubsub (one queue per subscriber, every event kept) would not give.
 */
@Resolver()
export class LiveResolver {
  @Subscription(() => EntitlementsChangeType, {
    description:
      'Every decision of the account, now and after anything that can change one: plan, add-on, override, catalog, usage, and the instants a trial, grace, override, scheduled change, cancellation or metered period ends or starts. At most one push per 250 ms per account (configurable), always ending on the latest state. Over GraphQL over WebSocket (graphql-ws) on /graphql. Any key, or a client token of this account.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, LiveContext>) => {
      requireAccountRead(context.principal, args.accountId);
      return context.services.live.watch(context.principal, args.accountId);
    },
  })
  entitlementsChanged(@Root() change: EntitlementsChange, @Arg('accountId', () => ID) _accountId: string): EntitlementsChangeType {
    return EntitlementsChangeType.from(change);
  }

  @Subscription(() => OverrideRequestsChangeType, {
    description:
      'A push at once, then whenever an override request is made, approved or rejected (of one account, or of any when accountId is omitted), from any server process: the console\'s approvals inbox reads overrideRequests again. Whoever may read override requests (any operator, an admin key).',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { accountId?: string | null }, LiveContext>) => {
      requirePermission(context.principal, 'READ_OPERATIONS');
      return context.services.liveOverrideRequests.watch(args.accountId ?? null);
    },
  })
  overrideRequestsChanged(
    @Root() change: OverrideRequestsChange,
    @Arg('accountId', () => ID, { nullable: true }) _accountId: string | null,
  ): OverrideRequestsChangeType {
    return OverrideRequestsChangeType.from(change);
  }
}

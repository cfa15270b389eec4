import { useQuery } from '@apollo/client/react';
import { OverrideRequestsDocument } from '../generated/graphql.js';
import { useOverrideRequestsLive } from './use-override-requests-live.js';

/** How many override requests wait for a decision, beside the Approvals link, live. */
export function PendingCount() {
  const pending = useQuery(OverrideRequestsDocument, { variables: { status: 'PENDING', first: 100 } });
  useOverrideRequestsLive(null);
  const list = pending.data?.overrideRequests;
  if (!list?.edges.length) return null;
  const count = `${list.edges.length}${list.pageInfo.hasNextPage ? '+' : ''}`;
  return (
    <span className="nav-count">
      {count}
      <span className="visually-hidden"> waiting</span>
    </span>
  );
}

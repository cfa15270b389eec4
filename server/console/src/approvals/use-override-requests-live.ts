import { useApolloClient, useSubscription } from '@apollo/client/react';
import { OverrideRequestsLiveDocument } from '../generated/graphql.js';

/**
 * Keeps every list of override requests on the page current: on a push (a request made or
 * decided anywhere, or "look again"), the lists are read again.
 */
export function useOverrideRequestsLive(accountId: string | null): void {
  const client = useApolloClient();
  useSubscription(OverrideRequestsLiveDocument, {
    variables: { accountId },
    onData: () => {
      void client.refetchQueries({ include: ['OverrideRequests'] });
    },
  });
}

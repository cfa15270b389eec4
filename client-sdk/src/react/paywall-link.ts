import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { readEntitlementError } from '../entitlement-error.js';
import { paywallEvents } from './paywall-events.js';

/**
 * An Apollo Link that opens the upgrade prompt whenever an operation, yours or Tollgate's, is
 * refused with ENTITLEMENT_DENIED or LIMIT_EXCEEDED. Put it in the link chain of the Apollo
 * Client that talks to your own API; the mounted TollgateProvider shows the prompt with offers.
 * The error still reaches your code as usual.
 *
 * @example
 * const client = new ApolloClient({ link: ApolloLink.from([createPaywallLink(), new HttpLink({ uri: '/api/graphql' })]), cache: new InMemoryCache() });
 */
export function createPaywallLink(): ErrorLink {
  return new ErrorLink(({ error }) => {
    if (!CombinedGraphQLErrors.is(error)) return;
    for (const graphQLError of error.errors) {
      const refusal = readEntitlementError(graphQLError as { extensions?: Record<string, unknown> });
      if (refusal) {
        paywallEvents.emit({ feature: refusal.feature, amount: refusal.requested, reason: refusal.reason });
        return;
      }
    }
  });
}

/** Opens the upgrade prompt for a feature from anywhere, such as a button outside React. */
export function openPaywall(feature: string, amount?: number): void {
  paywallEvents.emit({ feature, amount });
}

import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { createPaywallLink } from '@tollgate/sdk/react';

/** The product's own API client. The paywall link turns its refusals into the upgrade prompt. */
export function createHostClient(accountId: string): ApolloClient {
  return new ApolloClient({
    link: ApolloLink.from([createPaywallLink(), new HttpLink({ uri: '/api/graphql', headers: { 'x-account-id': accountId } })]),
    cache: new InMemoryCache(),
  });
}

export const NOTES: TypedDocumentNode<{ notes: { id: string; title: string }[] }> = gql`
  query Notes { notes { id title } }
`;
export const CREATE_NOTE: TypedDocumentNode<{ createNote: { id: string } }, { title: string }> = gql`
  mutation CreateNote($title: String!) { createNote(title: $title) { id } }
`;
export const EXPORT_NOTES: TypedDocumentNode<{ exportNotes: string }> = gql`
  mutation ExportNotes { exportNotes }
`;
export const UPGRADE_PLAN: TypedDocumentNode<{ upgradePlan: boolean }, { plan: string }> = gql`
  mutation UpgradePlan($plan: String!) { upgradePlan(plan: $plan) }
`;
/** STRIPE_CHECKOUT: plans are bought on Stripe's page (startCheckout); DIRECT: upgradePlan changes them at once. */
export const CHECKOUT_MODE: TypedDocumentNode<{ checkoutMode: 'STRIPE_CHECKOUT' | 'DIRECT' }> = gql`
  query CheckoutMode { checkoutMode }
`;
export const START_CHECKOUT: TypedDocumentNode<{ startCheckout: string }, { plan: string }> = gql`
  mutation StartCheckout($plan: String!) { startCheckout(plan: $plan) }
`;

/** A client token for Tollgate, minted by the product's backend for the signed-in account. */
export async function fetchClientToken(accountId: string): Promise<{ token: string; expiresAt: string }> {
  const response = await fetch('/api/client-token', { method: 'POST', headers: { 'x-account-id': accountId } });
  if (!response.ok) throw new Error(`Could not get a client token (HTTP ${response.status}).`);
  return response.json();
}

import { GraphQLError } from 'graphql';

/** Add-ons belong to a subscription; an account on the default plan has none yet. */
export function subscriptionRequired(accountId: string): GraphQLError {
  return new GraphQLError(
    `Account "${accountId}" has no subscription. Put it on a plan with changePlan before adding add-ons.`,
    { extensions: { code: 'SUBSCRIPTION_REQUIRED', accountId } },
  );
}

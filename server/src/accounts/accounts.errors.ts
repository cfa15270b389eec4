import { GraphQLError } from 'graphql';

/** The account id is not known. Codes are part of the public contract. */
export function accountNotFound(id: string): GraphQLError {
  return new GraphQLError(`Unknown account "${id}". Create it with upsertAccount or check the id.`, {
    extensions: { code: 'ACCOUNT_NOT_FOUND', accountId: id },
  });
}

/** Add-ons belong to a subscription; an account on the default plan has none yet. */
export function subscriptionRequired(accountId: string): GraphQLError {
  return new GraphQLError(
    `Account "${accountId}" has no subscription. Put it on a plan with changePlan before adding add-ons.`,
    { extensions: { code: 'SUBSCRIPTION_REQUIRED', accountId } },
  );
}

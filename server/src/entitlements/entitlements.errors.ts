import { GraphQLError } from 'graphql';

/**
 * The account id is not known: never a silent `false`. It lives with the entitlement questions
 * every domain asks about an account, so any of them can answer it. Codes are part of the
 * public contract.
 */
export function accountNotFound(id: string): GraphQLError {
  return new GraphQLError(`Unknown account "${id}". Create it with upsertAccount or check the id.`, {
    extensions: { code: 'ACCOUNT_NOT_FOUND', accountId: id },
  });
}

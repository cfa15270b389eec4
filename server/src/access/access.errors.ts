import { GraphQLError } from 'graphql';
import type { CredentialProblem } from './principal.js';

const problemText: Record<CredentialProblem, string> = {
  missing: 'No credential was sent. Send "Authorization: Bearer <API key or client token>", or sign in to the console.',
  malformed: 'The Authorization header is malformed. Send "Authorization: Bearer <API key or client token>".',
  unknown: 'The API key is not known. Check that it was copied whole, or create a new one with createApiKey.',
  revoked: 'The API key has been revoked. Create a new one with createApiKey.',
  expired: 'The client token has expired. Mint a new one with createClientToken from your backend.',
  'invalid-token': 'The client token is not valid (bad signature or claims). Mint a new one with createClientToken.',
  session: 'The console session has ended (signed out, expired, or ended by an owner). Sign in again at /console.',
};

/** The request has no usable credential. */
export function unauthenticated(problem: CredentialProblem): GraphQLError {
  return new GraphQLError(problemText[problem], { extensions: { code: 'UNAUTHENTICATED', problem } });
}

/** The credential is valid but may not do this. Says what would be allowed, never whose data exists. */
export function forbidden(what: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(`Forbidden: ${what}.`, { extensions: { code: 'FORBIDDEN', ...details } });
}

import { GraphQLError } from 'graphql';

/** No operator has this id. */
export function operatorNotFound(id: string): GraphQLError {
  return new GraphQLError(`No operator with id "${id}". The operators query lists them.`, { extensions: { code: 'OPERATOR_NOT_FOUND', id } });
}

/** The operator has no session in force with this id (it ended already, or is someone else's). */
export function sessionNotFound(operatorId: string, sessionId: string): GraphQLError {
  return new GraphQLError(
    `Operator "${operatorId}" has no session "${sessionId}" in force: it has ended already. operatorSessions lists the ones in force.`,
    { extensions: { code: 'SESSION_NOT_FOUND', id: sessionId } },
  );
}

/** An active operator already has this email; inviting again would reset their password behind their back. */
export function operatorExists(email: string): GraphQLError {
  return new GraphQLError(
    `An active operator already has the email "${email}". Change their role with setOperatorRole, or send them a password reset link with createPasswordResetLink.`,
    { extensions: { code: 'OPERATOR_EXISTS', email } },
  );
}

/** The change would leave nobody able to manage operators. */
export function lastOwner(id: string): GraphQLError {
  return new GraphQLError(
    'This is the last active OWNER: nobody could manage operators and API keys after this change. Make another operator OWNER first.',
    { extensions: { code: 'LAST_OWNER', id } },
  );
}

/** A password reset for someone who has not accepted their invite yet. */
export function invitePending(id: string): GraphQLError {
  return new GraphQLError(
    'This operator has not accepted their invite yet, so has no password to reset. Send a new invite with inviteOperator (the old link stops working).',
    { extensions: { code: 'OPERATOR_INVITE_PENDING', id } },
  );
}

/** A deactivated operator cannot be given a role or a reset link. */
export function operatorDeactivated(id: string): GraphQLError {
  return new GraphQLError(
    'This operator is deactivated. Invite them again with inviteOperator (same email) to let them back in.',
    { extensions: { code: 'OPERATOR_DEACTIVATED', id } },
  );
}

/**
 * A refusal of the `/auth/*` routes: answered as `{ "error": { "code", "message" } }` with its
 * HTTP status (and Retry-After when `retryAfterSeconds` is set).
 */
export class SignInRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'SignInRefusal';
  }
}

/** Wrong email or password, an unknown email, a deactivated operator, an invite not accepted: one answer for all. */
export function invalidCredentials(): SignInRefusal {
  return new SignInRefusal(401, 'INVALID_CREDENTIALS', 'The email or password is wrong. Check both, or ask an owner for a password reset link.');
}

/** Too many sign-ins for this email or from this address. */
export function tooManyAttempts(retryAfterSeconds: number): SignInRefusal {
  return new SignInRefusal(429, 'TOO_MANY_ATTEMPTS', `Too many sign-in attempts. Try again in ${retryAfterSeconds} seconds.`, retryAfterSeconds);
}

/** The link's token is not one Tollgate made. */
export function linkInvalid(): SignInRefusal {
  return new SignInRefusal(400, 'LINK_INVALID', 'This link is not valid. Copy the whole link, or ask an owner for a new one.');
}

/** The link was used already, or a newer link replaced it. */
export function linkUsed(): SignInRefusal {
  return new SignInRefusal(410, 'LINK_USED', 'This link has been used already (or a newer one replaced it). Sign in, or ask an owner for a new link.');
}

/** The link is older than 72 hours. */
export function linkExpired(): SignInRefusal {
  return new SignInRefusal(410, 'LINK_EXPIRED', 'This link has expired (links last 72 hours). Ask an owner for a new one.');
}

/** The new password does not meet the policy; the link is still good. */
export function weakPassword(problem: string): SignInRefusal {
  return new SignInRefusal(400, 'WEAK_PASSWORD', `The password ${problem}.`);
}

/** The body is not what the route takes. */
export function badAuthRequest(message: string): SignInRefusal {
  return new SignInRefusal(400, 'BAD_REQUEST', message);
}

/** Single sign-on vouched for a person whose operator is deactivated: their identity is proven, so the answer can say so. */
export function operatorDeactivatedSignIn(): SignInRefusal {
  return new SignInRefusal(403, 'OPERATOR_DEACTIVATED', 'Your Tollgate operator is deactivated. Ask an owner to invite you again.');
}

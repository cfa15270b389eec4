/**
 * What the sign-in page says when single sign-on sent the browser back with `?error=CODE`
 * (server/src/http/sso-routes.ts). The words are the console's own: a link's query string is
 * anyone's to write, so only its code is read, never a message.
 */
const SSO_REFUSALS: Record<string, string> = {
  SSO_STATE_INVALID: 'This single sign-on did not start on this page, was already used, or took longer than 10 minutes. Start again.',
  SSO_DOMAIN_NOT_ALLOWED: 'Your email domain may not sign in to this Tollgate. Ask an owner to invite you, or to allow your domain.',
  SSO_EMAIL_UNVERIFIED: 'Your identity provider has not verified your email address. Verify it there, then sign in again.',
  SSO_EMAIL_MISSING: 'Your identity provider sent no email address. Ask whoever runs it to release your email to Tollgate.',
  SSO_NO_ROLE: 'Your identity provider gives you no Tollgate role. Ask whoever runs it to add you to a group that has one.',
  SSO_REJECTED: 'The identity provider refused this sign-in. Start again.',
  SSO_DENIED: 'The identity provider did not sign you in.',
  SSO_PROVIDER_UNAVAILABLE: 'The identity provider could not be reached. Try again in a minute, or sign in with your password.',
  SSO_NOT_CONFIGURED: 'Single sign-on is not set up on this Tollgate. Sign in with your email and password.',
  OPERATOR_DEACTIVATED: 'Your Tollgate operator is deactivated. Ask an owner to invite you again.',
};

/** The sentence for a single sign-on refusal's code, or a general one for a code this console does not know. */
export function ssoRefusal(code: string): string {
  return Object.hasOwn(SSO_REFUSALS, code) ? SSO_REFUSALS[code]! : 'Single sign-on did not work. Start again, or sign in with your password.';
}

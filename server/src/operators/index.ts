/** Operators: people with roles, their sign-in, sessions and one-time links. Other domains import from here, never from the files. */
export { Operator } from './operator.entity.js';
export { OperatorLink } from './operator-link.entity.js';
export { OperatorSession } from './operator-session.entity.js';
export { SignInCounter } from './sign-in-counter.entity.js';
export { OperatorsService, LINK_LIFETIME_MS, type IssuedLink, type OperatorsOptions, type SignedIn } from './operators.service.js';
export { SignInRefusal } from './operators.errors.js';
export { OperatorsResolver } from './operators.resolver.js';
export { MIN_PASSWORD_LENGTH } from './password-policy.js';
export type { OperatorsContext } from './operators.context.js';
export { SingleSignOn, type SingleSignOnOptions, type SsoIdentity } from './single-sign-on.js';
export { SSO_STATE_COOKIE } from './sso-state.js';

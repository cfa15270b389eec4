import * as oidc from 'openid-client';
import type { Clock } from '../clock.js';
import { OPERATOR_ROLES, type OperatorRole } from '../vocabulary/index.js';
import { operatorEmail } from './operators.validation.js';
import { SignInRefusal } from './operators.errors.js';
import { SSO_STATE_LIFETIME_MS, SsoStateSealer, type SsoAttempt } from './sso-state.js';

/** Single sign-on's settings (TOLLGATE_OIDC_*); docs/operators.md, "Setting up single sign-on". */
export interface SingleSignOnOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedDomains: string[];
  roleClaim: string;
  /** Claim values to role names, as configured; checked by the constructor. */
  roleMap: Record<string, string>;
  /** null: a person whose claim names no role is refused. */
  defaultRole: string | null;
}

/** A person the provider vouched for: a verified email in an allowed domain. */
export interface SsoIdentity {
  email: string;
  name: string;
  /** The role a first sign-in gets, from the role claim or the default. */
  role: OperatorRole;
  /** The provider's subject id, for the audit log. */
  subject: string;
}

/** Where the browser goes to sign in, and the sealed attempt to set as the state cookie. */
export interface SsoStart {
  authorizationUrl: string;
  stateCookie: string;
}

/** The provider's answer could not be used; the code names why (docs/operators.md lists them). */
export function ssoRefusal(status: number, code: string, message: string): SignInRefusal {
  return new SignInRefusal(status, code, message);
}

/** Roles from least to most, so a list of claim values gives the most it names. */
const RANK = new Map(OPERATOR_ROLES.map((role, index) => [role, index]));

/**
 * Single sign-on with an OpenID Connect provider through openid-client: the authorization code
 * flow with PKCE (S256), a random state and nonce sealed in a short-lived httpOnly cookie and
 * checked on return, the ID token's signature, issuer, audience, expiry and nonce checked by
 * openid-client. The provider's metadata is discovered on first use (and again after a failure),
 * so a provider that is down does not stop Tollgate from starting. It decides who may come in
 * (verified email, allowed domain, a role); OperatorsService signs them in.
 */
export class SingleSignOn {
  private configuration: Promise<oidc.Configuration> | null = null;
  private readonly sealer: SsoStateSealer;
  private readonly roleMap: Record<string, OperatorRole>;
  private readonly defaultRole: OperatorRole | null;

  /** Throws at start, naming the variable, when the role map or the default role names a role that does not exist. */
  constructor(
    private readonly options: SingleSignOnOptions,
    private readonly clock: Clock,
  ) {
    this.sealer = new SsoStateSealer(options.clientSecret);
    const problems: string[] = [];
    const known = (role: string): role is OperatorRole => (OPERATOR_ROLES as readonly string[]).includes(role);
    this.roleMap = {};
    for (const [value, role] of Object.entries(options.roleMap)) {
      if (known(role)) this.roleMap[value] = role;
      else problems.push(`  TOLLGATE_OIDC_ROLE_MAP: "${value}=${role}" names no role; roles are ${OPERATOR_ROLES.join(', ')}`);
    }
    if (options.defaultRole !== null && !known(options.defaultRole)) {
      problems.push(`  TOLLGATE_OIDC_DEFAULT_ROLE: "${options.defaultRole}" is no role; use one of ${OPERATOR_ROLES.join(', ')}, or NONE`);
    }
    if (problems.length) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
    this.defaultRole = options.defaultRole as OperatorRole | null;
  }

  /** Begins a sign-on: the provider's authorization URL and the sealed state cookie. */
  async start(redirectUri: string, next: string): Promise<SsoStart> {
    const configuration = await this.discover();
    const attempt: SsoAttempt = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      next,
      expiresAt: this.clock().getTime() + SSO_STATE_LIFETIME_MS,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(attempt.codeVerifier),
      code_challenge_method: 'S256',
      state: attempt.state,
      nonce: attempt.nonce,
    });
    return { authorizationUrl: url.href, stateCookie: this.sealer.seal(attempt) };
  }

  /**
   * Finishes a sign-on at the callback: checks the state against the cookie, exchanges the code
   * (with the PKCE verifier) and checks the ID token, then the email, its domain and the role.
   * Answers the attempt too, for where to go next. Refusals are SignInRefusals; nothing is written.
   */
  async finish(callbackUrl: URL, stateCookie: string | null): Promise<{ identity: SsoIdentity; next: string }> {
    const attempt = this.sealer.open(stateCookie, this.clock().getTime());
    const state = callbackUrl.searchParams.get('state');
    if (!attempt || !state || state !== attempt.state) {
      throw ssoRefusal(401, 'SSO_STATE_INVALID', 'This sign-in did not start here, was already used, or took longer than 10 minutes. Start again with "Sign in with single sign-on".');
    }
    const providerError = callbackUrl.searchParams.get('error');
    if (providerError) {
      throw ssoRefusal(403, 'SSO_DENIED', `The identity provider did not sign you in (${providerError.replace(/[^\w.-]/g, '').slice(0, 64)}). Try again, or ask whoever runs it.`);
    }
    const configuration = await this.discover();
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: attempt.codeVerifier,
        expectedState: attempt.state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      const subject = claims.sub as string;
      if (claims.email === undefined || claims[this.options.roleClaim] === undefined) {
        // Many providers put the profile in userinfo rather than in the ID token.
        const userInfo = await oidc.fetchUserInfo(configuration, tokens.access_token, subject);
        claims = { ...userInfo, ...claims, email: claims.email ?? userInfo.email, email_verified: claims.email_verified ?? userInfo.email_verified };
        if (claims[this.options.roleClaim] === undefined) claims[this.options.roleClaim] = userInfo[this.options.roleClaim];
      }
    } catch (error) {
      throw providerFailure(error);
    }
    return { identity: this.identity(claims), next: attempt.next };
  }

  /** Who the claims name, or the refusal: an unverified email, a domain not allowed, no role. */
  private identity(claims: Record<string, unknown>): SsoIdentity {
    const parsed = operatorEmail.safeParse(claims.email);
    if (typeof claims.email !== 'string' || claims.email.includes('\u0000') || !parsed.success) {
      throw ssoRefusal(403, 'SSO_EMAIL_MISSING', 'The identity provider sent no usable email address. Ask whoever runs it to release the email claim to Tollgate.');
    }
    const email = parsed.data;
    if (claims.email_verified !== true) {
      throw ssoRefusal(403, 'SSO_EMAIL_UNVERIFIED', `The identity provider has not verified ${email}. Verify it there, then sign in again.`);
    }
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (!this.options.allowedDomains.includes(domain)) {
      throw ssoRefusal(403, 'SSO_DOMAIN_NOT_ALLOWED', `People with ${domain} addresses may not sign in to this Tollgate. Ask an owner to invite you, or to allow the domain.`);
    }
    const role = this.roleOf(claims[this.options.roleClaim]) ?? this.defaultRole;
    if (!role) {
      throw ssoRefusal(403, 'SSO_NO_ROLE', 'Your identity provider gives you no Tollgate role. Ask whoever runs it to add you to a group that has one.');
    }
    const name = typeof claims.name === 'string' ? claims.name.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200) : '';
    return { email, name: name || email.slice(0, email.indexOf('@')).slice(0, 200), role, subject: String(claims.sub).slice(0, 255) };
  }

  /** The most a role claim (a string or a list of strings) names through the map, or null. */
  private roleOf(claim: unknown): OperatorRole | null {
    const values = (Array.isArray(claim) ? claim : [claim]).filter((value): value is string => typeof value === 'string').slice(0, 100);
    let best: OperatorRole | null = null;
    for (const value of values) {
      const mapped = (Object.hasOwn(this.roleMap, value) ? this.roleMap[value] : undefined) ?? (OPERATOR_ROLES as readonly string[]).find((role) => role === value.toUpperCase()) ?? null;
      if (mapped && (best === null || RANK.get(mapped as OperatorRole)! > RANK.get(best)!)) best = mapped as OperatorRole;
    }
    return best;
  }

  private discover(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(new URL(this.options.issuer), this.options.clientId, this.options.clientSecret, undefined, {
        // An http:// issuer is refused by openid-client unless allowed; only a local provider (tests, a laptop) is.
        execute: isLocalHttp(this.options.issuer) ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        this.configuration = null;
        throw ssoRefusal(503, 'SSO_PROVIDER_UNAVAILABLE', `The identity provider could not be reached (${describe(error)}). Try again in a minute, or sign in with your password.`);
      });
    return this.configuration;
  }
}

/** An http:// issuer on this machine; anything else must be https (openid-client refuses plain http otherwise). */
function isLocalHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** A refusal for whatever the code exchange or the ID token check threw. */
function providerFailure(error: unknown): SignInRefusal {
  if (error instanceof SignInRefusal) return error;
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    return ssoRefusal(401, 'SSO_REJECTED', `The identity provider refused this sign-in (${error.error}): a code is good once, for this Tollgate only. Start again.`);
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('OAUTH_')) {
    return ssoRefusal(401, 'SSO_REJECTED', `The identity provider's answer failed its checks (${code}: ${describe(error)}). Start again.`);
  }
  return ssoRefusal(503, 'SSO_PROVIDER_UNAVAILABLE', `The identity provider could not be reached (${describe(error)}). Try again in a minute.`);
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
}

import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { Button, ErrorNote, Field } from '../ui/index.js';
import { AuthPage } from './auth-page.js';
import { postAuth, signInMethods, type AuthAnswer } from './auth-routes.js';
import { ssoRefusal } from './sso-refusals.js';

/** Where to go after signing in: a console path from `?next=`, never another site. */
export function nextPath(params: URLSearchParams): string {
  const next = params.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/accounts';
}

/**
 * Sign in with email and password (POST /auth/login), or with single sign-on when the server
 * has it set up (GET /auth/methods): a link to /auth/oidc/start, which comes back signed in, or
 * back here with `?error=CODE`, said in place. A wrong pair is said under the password; too
 * many tries says when to try again. On success the page reloads at `?next=`, so nothing
 * cached for another person survives.
 */
export function SignInPage() {
  useDocumentTitle('Sign in');
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<Extract<AuthAnswer, { ok: false }> | null>(null);
  const [busy, setBusy] = useState(false);
  const [singleSignOn, setSingleSignOn] = useState(false);
  useEffect(() => {
    let current = true;
    void signInMethods().then((methods) => current && setSingleSignOn(methods.singleSignOn));
    return () => {
      current = false;
    };
  }, []);
  const ssoError = params.get('error');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!email.trim()) problems.email = 'Enter the email you were invited with.';
    if (!password) problems.password = 'Enter your password.';
    setMissing(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    const answer = await postAuth('/auth/login', { email: email.trim(), password });
    if (answer.ok) {
      location.assign(`/console${nextPath(params)}`);
      return;
    }
    setBusy(false);
    setRefused(answer);
  };
  const wrongPair = refused?.code === 'INVALID_CREDENTIALS' ? refused.message : null;
  return (
    <AuthPage title="Sign in">
      {params.get('signedOut') ? (
        <p className="notice" role="status">
          You are signed out.
        </p>
      ) : null}
      {ssoError ? <ErrorNote problems={[{ message: ssoRefusal(ssoError), code: /^[A-Z_]{1,40}$/.test(ssoError) ? ssoError : null }]} title="Single sign-on did not sign you in" /> : null}
      {singleSignOn ? (
        <>
          <a className="tg-button tg-button--secondary auth-page__sso" href={`/auth/oidc/start?next=${encodeURIComponent(nextPath(params))}`}>
            Sign in with single sign-on
          </a>
          <p className="auth-page__or">or with your email and password</p>
        </>
      ) : null}
      <form className="tg-form" onSubmit={submit} noValidate>
        <Field label="Email" required error={missing.email}>
          {(control) => <input {...control} className="tg-input" type="email" autoComplete="username" value={email} onChange={(event) => setEmail(event.target.value)} />}
        </Field>
        <Field label="Password" required error={missing.password ?? wrongPair}>
          {(control) => <input {...control} className="tg-input" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} />}
        </Field>
        {refused && !wrongPair ? (
          <ErrorNote
            problems={[{ message: refused.retryAfterSeconds ? `${refused.message} (try again in ${Math.ceil(refused.retryAfterSeconds / 60)} min)` : refused.message, code: refused.code }]}
            title="Could not sign in"
          />
        ) : null}
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
      </form>
    </AuthPage>
  );
}

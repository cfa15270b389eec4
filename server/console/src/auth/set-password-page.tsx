import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { Button, ErrorNote, Field } from '../ui/index.js';
import { AuthPage } from './auth-page.js';
import { postAuth, type AuthAnswer } from './auth-routes.js';

/**
 * A one-time link's page: accept an invite (`/console/invite/<token>`, POST /auth/invite) or reset
 * a password (`/console/reset/<token>`, POST /auth/reset). Either sets the password and signs in.
 * A weak password is said under the field; a used or expired link says to ask for a new one.
 */
export function SetPasswordPage({ purpose }: { purpose: 'invite' | 'reset' }) {
  const { token = '' } = useParams();
  useDocumentTitle(purpose === 'invite' ? 'Accept your invitation' : 'Choose a new password');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<Extract<AuthAnswer, { ok: false }> | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!password) problems.password = 'Choose a password.';
    if (password && again !== password) problems.again = 'The two passwords differ.';
    setChecked(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    const answer = await postAuth(purpose === 'invite' ? '/auth/invite' : '/auth/reset', { token, password });
    if (answer.ok) {
      location.assign('/console/accounts');
      return;
    }
    setBusy(false);
    setRefused(answer);
  };
  const weak = refused?.code === 'WEAK_PASSWORD' ? refused.message : null;
  const linkProblem = refused && !weak ? refused : null;
  return (
    <AuthPage title={purpose === 'invite' ? 'Welcome: choose your password' : 'Choose a new password'}>
      <form className="tg-form" onSubmit={submit} noValidate>
        <Field label="Password" required hint="At least 12 characters; not a common password." error={checked.password ?? weak}>
          {(control) => <input {...control} className="tg-input" type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} />}
        </Field>
        <Field label="The same password again" required error={checked.again}>
          {(control) => <input {...control} className="tg-input" type="password" autoComplete="new-password" value={again} onChange={(event) => setAgain(event.target.value)} />}
        </Field>
        {linkProblem ? (
          <ErrorNote
            problems={[{ message: linkProblem.code.startsWith('LINK_') ? `${linkProblem.message} Ask the owner who sent it for a new link.` : linkProblem.message, code: linkProblem.code }]}
            title="This link did not work"
          />
        ) : null}
        <Button type="submit" variant="primary" busy={busy}>
          {purpose === 'invite' ? 'Set password and sign in' : 'Set password and sign in'}
        </Button>
      </form>
    </AuthPage>
  );
}

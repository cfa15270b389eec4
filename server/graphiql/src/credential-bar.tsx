import { useId, useState, type FormEvent } from 'react';
import { CONSOLE_SESSION } from './tollgate-fetcher.js';

/** Props of {@link CredentialBar}. */
export interface CredentialBarProps {
  /** The credential in use ('' when none). */
  credential: string;
  /** Called with the new credential when the form is submitted ('' to forget it). */
  onChange(credential: string): void;
}

/**
 * The field for the bearer credential every Tollgate request needs: an admin or server API key,
 * or a client token. Kept for this tab only (sessionStorage), never in a URL or a cookie. Or
 * "Use console session": act as the operator signed in to the console in this browser, through
 * its httpOnly cookie, which no script here can read.
 */
export function CredentialBar({ credential, onChange }: CredentialBarProps) {
  const session = credential === CONSOLE_SESSION;
  const [draft, setDraft] = useState(session ? '' : credential);
  const inputId = useId();
  const hintId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft.trim());
  };
  return (
    <form className="tollgate-credential" onSubmit={submit} aria-label="Credential">
      <strong className="tollgate-credential__title">Tollgate</strong>
      <label htmlFor={inputId}>Bearer credential</label>
      <input
        id={inputId}
        name="credential"
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder="tg_admin_…, tg_server_… or a client token"
        aria-describedby={hintId}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit">Use</button>
      {session ? null : (
        <button type="button" className="tollgate-credential__secondary" onClick={() => { setDraft(''); onChange(CONSOLE_SESSION); }}>
          Use console session
        </button>
      )}
      {credential ? (
        <button type="button" className="tollgate-credential__secondary" onClick={() => { setDraft(''); onChange(''); }}>
          Forget
        </button>
      ) : null}
      <span id={hintId} className="tollgate-credential__hint" role="status">
        {session
          ? 'Acting as the operator signed in to the console in this browser (its session cookie), with their role.'
          : credential
          ? 'Sent as Authorization: Bearer … with every request and subscription from this tab.'
          : 'Every request needs one: paste an API key or a client token, then Use. The schema loads once it is accepted.'}
      </span>
    </form>
  );
}

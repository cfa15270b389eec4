import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ROLE_WORDS } from '../auth/role-words.js';
import { InviteOperatorDocument, type InviteOperatorMutation, type OperatorRole } from '../generated/graphql.js';
import { Button, Dialog, DialogActions, DialogClose, ErrorNote, Field, problemsByField, TimeText } from '../ui/index.js';
import { ShownOnce } from './shown-once.js';

const ROLES = Object.keys(ROLE_WORDS) as OperatorRole[];

/**
 * Invites a person: email, name and role, then the one-time link, shown once with a copy button
 * (only its hash is kept; inviting again makes a new link and ends this one).
 */
export function InviteOperator() {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<OperatorRole>('VIEWER');
  const [issued, setIssued] = useState<InviteOperatorMutation['inviteOperator'] | null>(null);
  const [checked, setChecked] = useState(false);
  const [invite, inviting] = useMutation(InviteOperatorDocument, { refetchQueries: ['SettingsOperators'] });
  const reset = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setIssued(null);
      setEmail('');
      setName('');
      setRole('VIEWER');
      setChecked(false);
      inviting.reset();
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!email.trim() || !name.trim()) return;
    try {
      const answer = await invite({ variables: { input: { email: email.trim(), name: name.trim(), role } } });
      setIssued(answer.data?.inviteOperator ?? null);
    } catch {
      // Shown from inviting.error.
    }
  };
  const { byField, general } = problemsByField(inviting.error, { OPERATOR_EXISTS: 'email' });
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        Invite an operator
      </Button>
      <Dialog open={open} onOpenChange={reset} title={issued ? `Invited ${issued.operator.name}` : 'Invite an operator'} description={issued ? undefined : 'They choose their password from a one-time link that lasts 72 hours.'}>
        {issued ? (
          <div className="tg-form">
            <ShownOnce label="Invite link" value={issued.link} note="Shown once: copy it now and give it to them. Tollgate keeps only its hash." />
            <p className="tg-muted">
              For {issued.operator.email} as {ROLE_WORDS[issued.operator.role]}; it works until <TimeText iso={issued.expiresAt} mode="absolute" />.
            </p>
            <DialogActions>
              <DialogClose asChild>
                <Button variant="primary">Done</Button>
              </DialogClose>
            </DialogActions>
          </div>
        ) : (
          <form className="tg-form" onSubmit={submit} noValidate>
            <Field label="Email" required error={checked && !email.trim() ? 'Their email: they sign in with it.' : byField.email}>
              {(control) => <input {...control} className="tg-input" type="email" autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} />}
            </Field>
            <Field label="Name" required error={checked && !name.trim() ? 'Their name, as the console shows it.' : byField.name}>
              {(control) => <input {...control} className="tg-input" autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} />}
            </Field>
            <Field label="Role" error={byField.role}>
              {(control) => (
                <select {...control} className="tg-select" value={role} onChange={(event) => setRole(event.target.value as OperatorRole)}>
                  {ROLES.map((entry) => (
                    <option key={entry} value={entry}>
                      {ROLE_WORDS[entry]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <ErrorNote problems={general} title="The server refused the invite" />
            <DialogActions>
              <DialogClose asChild>
                <Button>Cancel</Button>
              </DialogClose>
              <Button type="submit" variant="primary" busy={inviting.loading}>
                Invite
              </Button>
            </DialogActions>
          </form>
        )}
      </Dialog>
    </>
  );
}

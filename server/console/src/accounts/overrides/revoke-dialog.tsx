import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { RevokeOverrideDocument, type AccountOverrideFragment } from '../../generated/graphql.js';
import { Button, Dialog, DialogActions, DialogClose, ErrorNote, Field, problemsByField } from '../../ui/index.js';
import { effectWords } from '../access/reason-words.js';

/** Revoke one override, with a reason (required, audited). */
export function RevokeDialog({ override, onClose, onDone }: { override: AccountOverrideFragment | null; onClose(): void; onDone(message: string): void }) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [revoke, revoked] = useMutation(RevokeOverrideDocument, { refetchQueries: ['AccountPage', 'AccountAccess', 'AccountHistory'] });
  const { byField, general } = problemsByField(revoked.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!override) return;
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    try {
      await revoke({ variables: { id: override.id, reason: reason.trim() } });
      onDone(`Revoked the override on ${override.feature}.`);
    } catch {
      // Shown from revoked.error.
    }
  };
  return (
    <Dialog
      open={Boolean(override)}
      onOpenChange={(open) => (open ? null : onClose())}
      title="Revoke override"
      description={override ? `${effectWords(override.effect, override.value ?? null)} on ${override.feature} stops now; the account's access is evaluated again at once.` : undefined}
    >
      <form className="tg-form" onSubmit={submit} noValidate>
        <Field label="Reason" required error={missing ? 'Say why it is revoked: the audit log keeps it.' : byField.reason}>
          {(control) => <textarea {...control} className="tg-textarea" value={reason} onChange={(event) => setReason(event.target.value)} />}
        </Field>
        <ErrorNote problems={general} title="The server refused it" />
        <DialogActions>
          <DialogClose asChild>
            <Button>Keep it</Button>
          </DialogClose>
          <Button type="submit" variant="danger" busy={revoked.loading}>
            Revoke
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { CancelSubscriptionDocument } from '../../generated/graphql.js';
import { Button, Dialog, DialogActions, DialogClose, ErrorNote, Field, formatDateTime, problemsByField } from '../../ui/index.js';

/** Cancel the subscription at the end of the period (the default) or at once, with a reason. */
export function CancelDialog({ open, onClose, accountId, periodEnd, onDone }: { open: boolean; onClose(): void; accountId: string; periodEnd: string; onDone(message: string): void }) {
  const [atPeriodEnd, setAtPeriodEnd] = useState(true);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [cancel, canceled] = useMutation(CancelSubscriptionDocument, { refetchQueries: ['AccountPage', 'AccountAccess', 'AccountHistory'] });
  const { byField, general } = problemsByField(canceled.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setMissing(true);
    try {
      await cancel({ variables: { input: { accountId, atPeriodEnd, reason: reason.trim() } } });
      onDone(atPeriodEnd ? `Canceled at the end of the period (${formatDateTime(periodEnd)}).` : 'Canceled now.');
    } catch {
      // Shown from canceled.error.
    }
  };
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? null : onClose())} title="Cancel the subscription" description="After it ends the account has the free plan; usage and overrides are kept.">
      <form className="tg-form" onSubmit={submit} noValidate>
        <fieldset className="tg-choice">
          <legend>When</legend>
          <label>
            <input type="radio" name="cancel-when" checked={atPeriodEnd} onChange={() => setAtPeriodEnd(true)} /> at the end of the period ({formatDateTime(periodEnd)})
          </label>
          <label>
            <input type="radio" name="cancel-when" checked={!atPeriodEnd} onChange={() => setAtPeriodEnd(false)} /> now
          </label>
        </fieldset>
        <Field label="Reason" required error={missing && !reason.trim() ? 'Say why: the audit log keeps it.' : byField.reason}>
          {(control) => <textarea {...control} className="tg-textarea" value={reason} onChange={(event) => setReason(event.target.value)} />}
        </Field>
        <ErrorNote problems={general} title="The server refused it" />
        <DialogActions>
          <DialogClose asChild>
            <Button>Keep the subscription</Button>
          </DialogClose>
          <Button type="submit" variant="danger" busy={canceled.loading}>
            {atPeriodEnd ? 'Cancel at period end' : 'Cancel now'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

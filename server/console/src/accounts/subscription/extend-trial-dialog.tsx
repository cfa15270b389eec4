import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ExtendTrialDocument } from '../../generated/graphql.js';
import { Button, Dialog, DialogActions, DialogClose, ErrorNote, Field, formatDateTime, problemsByField } from '../../ui/index.js';
import { toLocalInput } from '../overrides/override-window.js';

const PRESETS = [7, 14] as const;

/** Extend a trial: a new end (7 or 14 days more, or a date), a reason and who approved it. */
export function ExtendTrialDialog({ open, onClose, accountId, trialEndsAt, onDone }: { open: boolean; onClose(): void; accountId: string; trialEndsAt: string | null; onDone(message: string): void }) {
  const base = trialEndsAt && new Date(trialEndsAt) > new Date() ? new Date(trialEndsAt) : new Date();
  const [choice, setChoice] = useState<'7' | '14' | 'custom'>('7');
  const [custom, setCustom] = useState(() => toLocalInput(new Date(base.getTime() + 7 * 86_400_000)));
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [extend, extended] = useMutation(ExtendTrialDocument, { refetchQueries: ['AccountPage', 'AccountAccess', 'AccountHistory'] });
  const { byField, general } = problemsByField(extended.error, { NOT_IN_TRIAL: 'endsAt' });
  const errors = { ...byField, ...checked };
  const end = choice === 'custom' ? (custom ? new Date(custom) : null) : new Date(base.getTime() + Number(choice) * 86_400_000);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!end || Number.isNaN(end.getTime())) problems.endsAt = 'Choose the new end.';
    else if (end <= new Date()) problems.endsAt = 'The new end must be in the future.';
    if (!reason.trim()) problems.reason = 'Say why: the audit log keeps it.';
    setChecked(problems);
    if (Object.keys(problems).length || !end) return;
    try {
      await extend({ variables: { input: { accountId, endsAt: end.toISOString(), reason: reason.trim() } } });
      onDone(`The trial now ends ${formatDateTime(end.toISOString())}.`);
    } catch {
      // Shown from extended.error.
    }
  };
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? null : onClose())} title="Extend the trial" description={`It ends ${formatDateTime(trialEndsAt)} now. The account keeps the trial's plan until the new end.`}>
      <form className="tg-form" onSubmit={submit} noValidate>
        <fieldset className="tg-choice">
          <legend>New end</legend>
          {PRESETS.map((days) => (
            <label key={days}>
              <input type="radio" name="trial-end" checked={choice === `${days}`} onChange={() => setChoice(`${days}`)} /> {days} days more
            </label>
          ))}
          <label>
            <input type="radio" name="trial-end" checked={choice === 'custom'} onChange={() => setChoice('custom')} /> on a date
          </label>
        </fieldset>
        {choice === 'custom' ? (
          <Field label="New end" required error={errors.endsAt}>
            {(control) => <input {...control} type="datetime-local" className="tg-input" value={custom} onChange={(event) => setCustom(event.target.value)} />}
          </Field>
        ) : (
          <p className={errors.endsAt ? 'tg-field__error' : 'tg-muted'} role={errors.endsAt ? 'alert' : undefined}>
            {errors.endsAt ?? `New end: ${formatDateTime(end?.toISOString())}.`}
          </p>
        )}
        <Field label="Reason" required error={errors.reason}>
          {(control) => <textarea {...control} className="tg-textarea" value={reason} onChange={(event) => setReason(event.target.value)} />}
        </Field>
        <ErrorNote problems={general} title="The server refused it" />
        <DialogActions>
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="primary" busy={extended.loading}>
            Extend the trial
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

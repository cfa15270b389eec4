import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { GrantOverrideDocument, type ConsoleCatalogQuery, type GrantOverrideInput, type OverrideEffect } from '../../generated/graphql.js';
import { Button, DialogActions, DialogClose, ErrorNote, Field, problemsByField } from '../../ui/index.js';
import { effectWords } from '../access/reason-words.js';
import { endAfterDays, endOfMonth, EXPIRY_PRESETS, toLocalInput } from './override-window.js';

/** Which end the person picked: a preset, a date, or none. */
type Expiry = `${(typeof EXPIRY_PRESETS)[number]}` | 'month' | 'custom' | 'permanent';

/** The server's codes that belong to one field of this form (the rest are shown above the buttons). */
const CODE_FIELDS: Record<string, string> = {
  APPROVAL_REQUIRED: 'endsAt',
  UNKNOWN_FEATURE: 'feature',
  QUANTITY_OUT_OF_RANGE: 'value',
};

/** Props of {@link OverrideForm}. */
export interface OverrideFormProps {
  accountId: string;
  catalog: ConsoleCatalogQuery;
  /** The feature to start with (from `?grant=`). */
  feature?: string | null;
  /** What the signed-in person may send: a grant, a request for approval, or both. */
  mayGrant: boolean;
  mayRequest: boolean;
  /** TOLLGATE_OVERRIDE_POLICY_DAYS: a grant reaching further (or permanent) needs a request and a second person. */
  policyDays: number;
  /** Sends a request for approval; resolves when it is stored, throws the server's refusal. */
  request(input: GrantOverrideInput): Promise<void>;
  onDone(message: string): void;
}

/**
 * Grant (or request) an override with every required field: the feature, what it does, its value
 * where one is needed, when it ends (presets of 7, 14 and 30 days, the end of the month, a date, or
 * permanent), and the reason. Checked before anything is sent; the server's own message is shown
 * next to the field it names.
 */
export function OverrideForm({ accountId, catalog, feature: initialFeature, mayGrant, mayRequest, policyDays, request, onDone }: OverrideFormProps) {
  const [feature, setFeature] = useState(initialFeature && catalog.features.some((entry) => entry.key === initialFeature) ? initialFeature : (catalog.features[0]?.key ?? ''));
  const [effect, setEffect] = useState<OverrideEffect>('GRANT');
  const [value, setValue] = useState('');
  const [expiry, setExpiry] = useState<Expiry>('14');
  const [customEnd, setCustomEnd] = useState(() => toLocalInput(endAfterDays(new Date(), 14)));
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [requestError, setRequestError] = useState<unknown>(null);
  const [sending, setSending] = useState<'grant' | 'request' | null>(null);
  const [grant, granted] = useMutation(GrantOverrideDocument, { refetchQueries: ['AccountPage', 'AccountAccess', 'AccountHistory'] });

  const kind = catalog.features.find((entry) => entry.key === feature)?.kind;
  const needsValue = effect === 'SET_LIMIT' || effect === 'ADD_LIMIT';
  const takesValue = needsValue || (effect === 'GRANT' && kind !== 'SWITCH');
  const endsAt = (start: Date): Date | null => {
    if (expiry === 'permanent') return null;
    if (expiry === 'month') return endOfMonth(start);
    if (expiry === 'custom') return customEnd ? new Date(customEnd) : null;
    return endAfterDays(start, Number(expiry));
  };

  const { byField, general } = problemsByField(requestError ?? granted.error, CODE_FIELDS);
  const plannedEnd = endsAt(new Date());
  // The policy, said before the click: past it only a request (and a second person) will do.
  const beyondPolicy = expiry === 'permanent' || (plannedEnd !== null && plannedEnd.getTime() - Date.now() > policyDays * 86_400_000);
  const errors = { ...byField, ...checked };

  /** The input as the server takes it, or the problems to show before sending anything. */
  const build = (): GrantOverrideInput | null => {
    const problems: Record<string, string> = {};
    const now = new Date();
    const end = endsAt(now);
    if (!feature) problems.feature = 'Choose a feature.';
    if (!reason.trim()) problems.reason = 'Say why: the reason is kept in the audit log.';
    if (needsValue && value.trim() === '') problems.value = 'Give the limit this override sets or adds.';
    if (value.trim() !== '' && !/^\d+$/.test(value.trim())) problems.value = 'A whole number from 0.';
    if (expiry === 'custom' && (!end || Number.isNaN(end.getTime()))) problems.endsAt = 'Choose when it ends.';
    else if (end && end <= now) problems.endsAt = 'The end must be in the future.';
    setChecked(problems);
    if (Object.keys(problems).length) return null;
    return {
      accountId,
      feature,
      effect,
      value: takesValue && value.trim() !== '' ? Number(value.trim()) : null,
      startsAt: null,
      endsAt: end ? end.toISOString() : null,
      permanent: expiry === 'permanent' ? true : null,
      reason: reason.trim(),
    };
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const action = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'request' ? 'request' : 'grant';
    const input = build();
    if (!input) return;
    setRequestError(null);
    setSending(action);
    try {
      if (action === 'request') {
        await request(input);
        onDone(`Requested: ${effectWords(effect, input.value ?? null).toLowerCase()} on ${feature}. An approver sees it now.`);
      } else {
        await grant({ variables: { input } });
        onDone(`Granted: ${effectWords(effect, input.value ?? null).toLowerCase()} on ${feature}.`);
      }
    } catch (error) {
      if (action === 'request') setRequestError(error);
      // A grant's error is on `granted.error`.
    } finally {
      setSending(null);
    }
  };

  return (
    <form className="tg-form" onSubmit={submit} noValidate>
      <div className="tg-form__row">
        <Field label="Feature" required error={errors.feature}>
          {(control) => (
            <select {...control} className="tg-select" value={feature} onChange={(event) => setFeature(event.target.value)}>
              {catalog.features.map((entry) => (
                <option key={entry.key} value={entry.key}>
                  {entry.name} ({entry.key})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="What it does" required error={errors.effect}>
          {(control) => (
            <select {...control} className="tg-select" value={effect} onChange={(event) => setEffect(event.target.value as OverrideEffect)}>
              <option value="GRANT">Grant access</option>
              <option value="REVOKE">Take access away</option>
              {kind !== 'SWITCH' ? <option value="SET_LIMIT">Set the limit</option> : null}
              {kind !== 'SWITCH' ? <option value="ADD_LIMIT">Add to the limit</option> : null}
            </select>
          )}
        </Field>
        {takesValue ? (
          <Field label={effect === 'ADD_LIMIT' ? 'Units to add' : 'Limit'} required={needsValue} hint={needsValue ? undefined : 'Optional: leave empty to keep the plan\'s limit.'} error={errors.value}>
            {(control) => <input {...control} className="tg-input" inputMode="numeric" value={value} onChange={(event) => setValue(event.target.value)} />}
          </Field>
        ) : null}
      </div>
      <fieldset className="tg-choice" aria-describedby={errors.endsAt ? 'override-ends-error' : undefined}>
        <legend>Ends</legend>
        {EXPIRY_PRESETS.map((days) => (
          <label key={days}>
            <input type="radio" name="expiry" value={days} checked={expiry === `${days}`} onChange={() => setExpiry(`${days}` as Expiry)} /> in {days} days
          </label>
        ))}
        <label>
          <input type="radio" name="expiry" value="month" checked={expiry === 'month'} onChange={() => setExpiry('month')} /> end of month
        </label>
        <label>
          <input type="radio" name="expiry" value="custom" checked={expiry === 'custom'} onChange={() => setExpiry('custom')} /> on a date
        </label>
        {mayRequest ? (
          <label>
            <input type="radio" name="expiry" value="permanent" checked={expiry === 'permanent'} onChange={() => setExpiry('permanent')} /> never (needs approval)
          </label>
        ) : null}
      </fieldset>
      {expiry === 'custom' ? (
        <Field label="End date and time" required error={errors.endsAt}>
          {(control) => <input {...control} type="datetime-local" className="tg-input" value={customEnd} onChange={(event) => setCustomEnd(event.target.value)} />}
        </Field>
      ) : errors.endsAt ? (
        <div className="tg-field__error" id="override-ends-error" role="alert">
          {errors.endsAt}
        </div>
      ) : null}
      <Field label="Reason" required hint="Kept in the audit log with your name, and shown to whoever approves it." error={errors.reason}>
        {(control) => <textarea {...control} className="tg-textarea" value={reason} onChange={(event) => setReason(event.target.value)} />}
      </Field>
      {mayGrant ? (
        <p className={beyondPolicy ? 'policy-line policy-line--beyond' : 'policy-line'}>
          {beyondPolicy
            ? `Beyond ${policyDays} days (or permanent) an override needs a second person: request approval.`
            : `Within the ${policyDays}-day policy: you may grant it now, or ask a second person to approve it.`}
        </p>
      ) : null}
      <ErrorNote problems={general} title="The server refused it" />
      <DialogActions>
        <DialogClose asChild>
          <Button>Cancel</Button>
        </DialogClose>
        {mayRequest ? (
          <Button type="submit" value="request" variant={mayGrant && !beyondPolicy ? 'secondary' : 'primary'} busy={sending === 'request'} disabled={sending !== null}>
            Request approval
          </Button>
        ) : null}
        {mayGrant && !beyondPolicy ? (
          <Button type="submit" value="grant" variant="primary" busy={sending === 'grant'} disabled={sending !== null}>
            Grant now
          </Button>
        ) : null}
      </DialogActions>
    </form>
  );
}

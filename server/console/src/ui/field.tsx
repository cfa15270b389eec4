import { useId, type ReactElement, type ReactNode } from 'react';

/** What {@link Field} hands its control so label, hint and error are tied to it. */
export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  'aria-required'?: true;
}

/** Props of {@link Field}. */
export interface FieldProps {
  label: string;
  /** Shown under the label: what the value means, its bounds. */
  hint?: ReactNode;
  /** The server's (or the form's) words about this field; shown under it and announced. */
  error?: string | null;
  required?: boolean;
  /** Renders the control with the ids and ARIA attributes that tie it to its label, hint and error. */
  children: (control: FieldControlProps) => ReactElement;
}

/**
 * A labelled form control with its hint and its error next to it. The error comes from the server
 * in its own words where it names this field (see problemsByField), so nothing is shown far away.
 *
 * @example
 * <Field label="Reason" required error={byField.reason}>{(p) => <input {...p} name="reason" />}</Field>
 */
export function Field({ label, hint, error, required, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`tg-field${error ? ' tg-field--invalid' : ''}`}>
      <label className="tg-field__label" htmlFor={id}>
        {label}
        {required ? <span className="tg-field__required" aria-hidden="true"> *</span> : null}
      </label>
      {hint ? (
        <div className="tg-field__hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined, 'aria-required': required ? true : undefined })}
      {error ? (
        <div className="tg-field__error" id={errorId} role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

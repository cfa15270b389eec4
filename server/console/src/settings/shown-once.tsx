import { useId, useState } from 'react';
import { Button } from '../ui/index.js';

/**
 * A secret (an invite link, an API key) shown this once, in a read-only box that selects itself on
 * focus, with a copy button that says whether the copy worked: the server keeps only a hash.
 */
export function ShownOnce({ label, value, note }: { label: string; value: string; note: string }) {
  const id = useId();
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="shown-once">
      <label className="tg-field__label" htmlFor={`${id}-value`}>
        {label}
      </label>
      <div className="shown-once__row">
        <input id={`${id}-value`} className="tg-input mono" readOnly value={value} onFocus={(event) => event.currentTarget.select()} aria-describedby={`${id}-note`} />
        <Button onClick={copy}>Copy</Button>
      </div>
      <p id={`${id}-note`} className="warning-line">
        {note}
      </p>
      <p role="status" className="tg-muted">
        {copied === 'yes' ? 'Copied.' : copied === 'failed' ? 'The browser did not allow copying: select the text and copy it.' : ''}
      </p>
    </div>
  );
}

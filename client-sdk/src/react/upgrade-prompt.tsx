'use client';
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import type { TollgateUpgradeOfferFieldsFragment } from '../generated/graphql.js';
import { Paywall } from './paywall.js';

/** Props of {@link UpgradePrompt}. */
export interface UpgradePromptProps {
  feature: string;
  amount?: number;
  open: boolean;
  onClose(): void;
  onUpgrade?: (offer: TollgateUpgradeOfferFieldsFragment) => Promise<void> | void;
  title?: string;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * The paywall in a modal dialog: labelled, focus moved in and kept inside, Escape and the close
 * button close it, and focus goes back where it was. Opens by itself from TollgateProvider when
 * a refusal arrives; render it yourself for your own triggers.
 *
 * @example
 * <UpgradePrompt feature="seats" amount={5} open={open} onClose={() => setOpen(false)} />
 */
export function UpgradePrompt({ feature, amount, open, onClose, onUpgrade, title }: UpgradePromptProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const labelId = useId();

  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement as HTMLElement | null;
    const first = dialog.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? dialog.current)?.focus();
    return () => previous?.focus?.();
  }, [open]);

  if (!open) return null;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="tollgate-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelId}
        className="tollgate-dialog"
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <button type="button" className="tollgate-dialog__close" aria-label="Close" onClick={onClose}>
          ×
        </button>
        <span id={labelId} className="tollgate-visually-hidden">{title ?? 'Upgrade your plan'}</span>
        <Paywall feature={feature} amount={amount} title={title} onUpgrade={onUpgrade} onUpgraded={onClose} />
      </div>
    </div>
  );
}

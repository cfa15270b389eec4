'use client';
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
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
 * It renders in a portal on `document.body`, so no ancestor's overflow, transform or alignment
 * reaches it; the nearest `data-theme` around where it is rendered is carried over.
 *
 * @example
 * <UpgradePrompt feature="seats" amount={5} open={open} onClose={() => setOpen(false)} />
 */
export function UpgradePrompt({ feature, amount, open, onClose, onUpgrade, title }: UpgradePromptProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const anchor = useRef<HTMLSpanElement>(null);
  const labelId = useId();
  const [theme, setTheme] = useState<string | undefined>();

  // The portal leaves the themed subtree: take its data-theme along, before the first paint.
  useLayoutEffect(() => {
    if (open) setTheme(anchor.current?.closest('[data-theme]')?.getAttribute('data-theme') ?? undefined);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement as HTMLElement | null;
    const first = dialog.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? dialog.current)?.focus();
    return () => previous?.focus?.();
  }, [open]);

  // No document in server rendering: a prompt opens only in the browser.
  if (!open || typeof document === 'undefined') return null;

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

  const prompt = (
    <div className="tollgate-backdrop" data-theme={theme} onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
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
  return (
    <>
      <span ref={anchor} hidden />
      {createPortal(prompt, document.body)}
    </>
  );
}

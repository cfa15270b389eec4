import * as RadixDialog from '@radix-ui/react-dialog';
import { useRef, type ReactNode } from 'react';

/** Props of {@link Dialog}. */
export interface DialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  /** One sentence under the title: what confirming will do. */
  description?: ReactNode;
  children: ReactNode;
  /** Wider for diffs and tables. */
  wide?: boolean;
}

/**
 * A modal dialog on Radix's primitive: focus moves to its first field and is trapped, Escape and
 * the close button close it, focus returns to what opened it, and the title and description label it.
 */
export function Dialog({ open, onOpenChange, title, description, children, wide }: DialogProps) {
  const content = useRef<HTMLDivElement>(null);
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="tg-dialog__overlay" />
        <RadixDialog.Content
          ref={content}
          className={`tg-dialog${wide ? ' tg-dialog--wide' : ''}`}
          {...(description ? {} : { 'aria-describedby': undefined })}
          onOpenAutoFocus={(event) => {
            // Into the first field, where the person starts typing (Radix would take the close button).
            const first = content.current?.querySelector<HTMLElement>('.tg-dialog__body input, .tg-dialog__body select, .tg-dialog__body textarea');
            if (first) {
              event.preventDefault();
              first.focus();
            }
          }}
        >
          <div className="tg-dialog__header">
            <RadixDialog.Title className="tg-dialog__title">{title}</RadixDialog.Title>
            <RadixDialog.Close className="tg-dialog__close" aria-label="Close">
              ×
            </RadixDialog.Close>
          </div>
          {description ? <RadixDialog.Description className="tg-dialog__description">{description}</RadixDialog.Description> : null}
          <div className="tg-dialog__body">{children}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** The row of buttons at the foot of a dialog's form: cancel first, the action last. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="tg-dialog__actions">{children}</div>;
}

/** Closes the surrounding dialog (for a Cancel button). */
export const DialogClose = RadixDialog.Close;

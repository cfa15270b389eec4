import { forwardRef, type ButtonHTMLAttributes } from 'react';

/** Props of {@link Button}. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** primary: the one thing the view is for; danger: removes or ends something; quiet: secondary links and toggles. */
  variant?: 'primary' | 'secondary' | 'danger' | 'quiet';
  size?: 'normal' | 'small';
  /** While the request runs: disabled, with the label kept (no layout jump) and aria-busy. */
  busy?: boolean;
}

/**
 * The console's button. A native <button> (type="button" unless told), so keyboard and screen readers
 * get it for free.
 *
 * @example
 * <Button variant="primary" busy={saving} type="submit">Grant override</Button>
 */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = 'secondary', size = 'normal', busy = false, className, disabled, type = 'button', children, ...rest },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      className={['tg-button', `tg-button--${variant}`, size === 'small' ? 'tg-button--small' : '', className ?? ''].join(' ').trim()}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {children}
    </button>
  );
});

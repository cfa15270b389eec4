import type { ReactNode } from 'react';

/** A short status word: ok (allowed, active), bad (denied, expired), warn (soon, pending), info, or neutral. */
export function Badge({ tone = 'neutral', children, title }: { tone?: 'ok' | 'bad' | 'warn' | 'info' | 'neutral'; children: ReactNode; title?: string }) {
  return (
    <span className={`tg-badge tg-badge--${tone}`} title={title}>
      {children}
    </span>
  );
}

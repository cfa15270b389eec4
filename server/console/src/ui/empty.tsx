import type { ReactNode } from 'react';

/** An empty list or view: says what is missing and, when there is one, what to do about it. */
export function Empty({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="tg-empty">
      <p className="tg-empty__title">{title}</p>
      {children ? <div className="tg-empty__text">{children}</div> : null}
      {action ? <div className="tg-empty__action">{action}</div> : null}
    </div>
  );
}

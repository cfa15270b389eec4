import type { ReactNode } from 'react';
import { ThemeSelect } from '../app/theme-select.js';

/** The frame of the pages before sign-in: the name, a card in the middle, the theme choice. */
export function AuthPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page" id="main">
      <div className="auth-page__card">
        <p className="auth-page__brand">
          <span aria-hidden="true" className="shell__logo">
            ◆
          </span>{' '}
          Tollgate console
        </p>
        <h1>{title}</h1>
        {children}
      </div>
      <div className="auth-page__foot">
        <ThemeSelect />
      </div>
    </main>
  );
}

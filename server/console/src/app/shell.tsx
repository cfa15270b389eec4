import { NavLink, Outlet } from 'react-router';
import { ROLE_WORDS } from '../auth/role-words.js';
import { useMay, useSession } from '../auth/session.js';
import { useLiveStatus } from './live-state.js';
import { PendingCount } from '../approvals/pending-count.js';
import { ThemeSelect } from './theme-select.js';

const LIVE_WORDS = { idle: '', connected: 'Live', reconnecting: 'Reconnecting…' } as const;

/**
 * The frame of every signed-in page: a skip link, the header (navigation, live status, theme, who
 * is signed in) and the page in <main>.
 */
export function Shell({ signOut }: { signOut: () => void }) {
  const { operator } = useSession();
  const mayDecide = useMay('APPROVE_OVERRIDE');
  const mayReadOperations = useMay('READ_OPERATIONS');
  const mayManageAccess = useMay('MANAGE_ACCESS');
  const live = useLiveStatus();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell__header">
        <div className="shell__brand">
          <span className="shell__logo" aria-hidden="true">
            ◆
          </span>
          Tollgate
        </div>
        <nav aria-label="Console" className="shell__nav">
          <NavLink to="/accounts">Accounts</NavLink>
          {mayDecide ? (
            <NavLink to="/approvals">
              Approvals <PendingCount />
            </NavLink>
          ) : null}
          <NavLink to="/catalog">Catalog</NavLink>
          {mayReadOperations ? <NavLink to="/migrations">Migrations</NavLink> : null}
          <NavLink to="/shadow">Shadow mode</NavLink>
          {mayReadOperations ? <NavLink to="/billing">Billing</NavLink> : null}
          {mayReadOperations ? <NavLink to="/audit">Audit</NavLink> : null}
          {mayManageAccess ? <NavLink to="/settings">Settings</NavLink> : null}
        </nav>
        <div className="shell__tools">
          <span className={`shell__live shell__live--${live}`} role="status" aria-live="polite" title="Pages update by themselves while this says Live">
            {live === 'idle' ? null : (
              <>
                <span aria-hidden="true" className="shell__live-dot" />
                {LIVE_WORDS[live]}
              </>
            )}
          </span>
          <ThemeSelect />
          <span className="shell__who">
            <span className="shell__name" title={operator.email}>
              {operator.name}
            </span>
            <span className="tg-muted shell__role">{ROLE_WORDS[operator.role]}</span>
          </span>
          <button type="button" className="tg-button tg-button--quiet tg-button--small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="shell__main">
        <Outlet />
      </main>
    </div>
  );
}
